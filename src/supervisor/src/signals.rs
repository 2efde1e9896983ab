//! Ctrl-C and its kin for the command-line commands that start processes:
//! on SIGINT, SIGTERM, SIGHUP or SIGQUIT every supervised child's whole tree
//! is stopped and the process exits with the conventional code, 128 + the
//! signal (130 after Ctrl-C).
use signal_hook::consts::{SIGHUP, SIGINT, SIGQUIT, SIGTERM};
use std::sync::Once;

/// The signals that end a command.
pub const ENDING: [i32; 4] = [SIGINT, SIGTERM, SIGHUP, SIGQUIT];

/// Installs, once, a thread that waits for [`ENDING`] signals, then stops
/// every supervised tree ([`crate::stop_all`]) and exits with 128 + signal.
/// Without it, a signal would end this process and leave its children (in
/// groups of their own, out of the terminal's reach) running.
pub fn stop_all_on_signals() {
    static INSTALLED: Once = Once::new();
    INSTALLED.call_once(|| {
        let Ok(mut signals) = signal_hook::iterator::Signals::new(ENDING) else {
            return;
        };
        let _ = std::thread::Builder::new()
            .name("signals".into())
            .spawn(move || {
                if let Some(signal) = signals.forever().next() {
                    crate::stop_all();
                    std::process::exit(128 + signal);
                }
            });
    });
}
