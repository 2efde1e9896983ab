//! `isolated!()`, the first line of every check: the rest of the test runs in
//! a process of its own (the same test binary, asked for just this test), in
//! a process group of its own, under a 10 s deadline. So an answer that
//! calls `std::process::exit`, aborts, is killed by a signal or deadlocks
//! fails the check with a sentence saying what was seen (at a deadlock: which
//! threads wait, on what), and every process the answer started, those that
//! left the group with `setsid()` too, is killed and reaped when the check
//! ends. The engine is `supervisor::isolation` (src/supervisor), shared with
//! `workbook check`; its own tests run it against small misbehaving answers.
//! A test in `src/exercises/` checks that no check forgets this line.

/// Runs the rest of the enclosing test in a process of its own (see the
/// module doc).
macro_rules! isolated {
    () => {
        supervisor::isolated!()
    };
}
