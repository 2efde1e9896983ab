//! One supervisor for the workbook's child processes (lessons, cargo, test
//! binaries, Python): each child starts in a process group of its own and
//! carries a tag its descendants inherit; one registry lists what is alive;
//! a waiter thread reaps each child and posts its status, so waiting for an
//! exit, a deadline or a stop needs no polling; ending a child kills its
//! whole tree (the group, descendants by parent pid, and tagged strays that
//! left with `setsid()`) and reaps what is ours to reap.
//!
//! [`isolation`] is the exercise checks' per-test process isolation, built on
//! the same pieces; [`threads`] describes who waits in a hung process.
mod child;
pub mod isolation;
mod output;
pub mod procfs;
mod registry;
pub mod signals;
mod stopper;
pub mod threads;
pub mod tree;

pub use child::{Ended, Outcome, Supervised, Waited, signal_name, spawn};
pub use output::{Output, output, read_all};
pub use registry::{alive, stop_all};
pub use signals::{TerminalStop, stop_all_on_signals};
pub use stopper::Stopper;
pub use tree::become_subreaper;

/// The first line of every exercise check: runs the rest of the test in a
/// process of its own under a deadline (see [`isolation`]). In the parent it
/// returns from the test once the child passed; in the child it keeps the
/// guard that reports the body's completion.
#[macro_export]
macro_rules! isolated {
    () => {
        fn __isolated_here() {}
        let _isolated_completion =
            match $crate::isolation::isolate(::std::any::type_name_of_val(&__isolated_here)) {
                ::std::option::Option::Some(completion) => completion,
                ::std::option::Option::None => return,
            };
    };
}
