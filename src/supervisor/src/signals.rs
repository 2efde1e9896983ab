//! Ctrl-C and its kin for the command-line commands that start processes:
//! on SIGINT, SIGTERM, SIGHUP or SIGQUIT every supervised child's whole tree
//! is stopped and the process exits with the conventional code, 128 + the
//! signal (130 after Ctrl-C). Ctrl-Z (SIGTSTP) freezes the children with the
//! command where a [`TerminalStop`] is installed.
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

/// Ctrl-Z for a command whose children run in process groups of their own
/// (out of the terminal's reach: the terminal's SIGTSTP stops only the
/// command). While it lives, SIGTSTP calls `hook(true)` (freeze the
/// children), then stops this process with SIGSTOP, so the shell shows it
/// stopped and takes the terminal back; when the shell continues it (`fg`
/// or `bg` send SIGCONT) it calls `hook(false)` (resume them).
///
/// Dropping it stops listening; a SIGTSTP after that is ignored (the
/// handler stays installed), which is harmless for a command about to end.
pub struct TerminalStop {
    handle: signal_hook::iterator::Handle,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl TerminalStop {
    pub fn install(mut hook: impl FnMut(bool) + Send + 'static) -> std::io::Result<TerminalStop> {
        let mut signals = signal_hook::iterator::Signals::new([signal_hook::consts::SIGTSTP])?;
        let handle = signals.handle();
        let thread = std::thread::Builder::new()
            .name("terminal-stop".into())
            .spawn(move || {
                for _ in signals.forever() {
                    hook(true);
                    // SIGSTOP cannot be caught: the whole process stops here
                    // and this call returns once it is continued.
                    let _ = nix::sys::signal::raise(nix::sys::signal::Signal::SIGSTOP);
                    hook(false);
                }
            })?;
        Ok(TerminalStop {
            handle,
            thread: Some(thread),
        })
    }
}

impl Drop for TerminalStop {
    fn drop(&mut self) {
        self.handle.close();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}
