//! Every process a check starts (cargo, the test binaries) runs in a process
//! group of its own, listed here while it lives, so that quitting the TUI in
//! the middle of a check can stop them all instead of leaving them behind.
use std::os::unix::process::CommandExt;
use std::process::{Child, Command, Output};
use std::sync::{Mutex, PoisonError};

static GROUPS: Mutex<Vec<i32>> = Mutex::new(Vec::new());

/// A child in its own process group; dropping it takes it off the list.
pub struct Tracked {
    pub child: Child,
}

impl Drop for Tracked {
    fn drop(&mut self) {
        let pid = self.child.id() as i32;
        GROUPS
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .retain(|&g| g != pid);
    }
}

pub fn spawn(command: &mut Command) -> std::io::Result<Tracked> {
    let child = command.process_group(0).spawn()?;
    GROUPS
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .push(child.id() as i32);
    Ok(Tracked { child })
}

/// Like [`Command::output`], tracked while it runs.
pub fn output(command: &mut Command) -> std::io::Result<Output> {
    use std::process::Stdio;
    let mut tracked = spawn(command.stdout(Stdio::piped()).stderr(Stdio::piped()))?;
    let stdout = tracked.child.stdout.take();
    let stderr = tracked.child.stderr.take();
    // Read both pipes at once so neither fills up and stalls the child.
    let err_reader = std::thread::spawn(move || read_all(stderr));
    let stdout = read_all(stdout);
    let stderr = err_reader.join().unwrap_or_default();
    let status = tracked.child.wait()?;
    Ok(Output {
        status,
        stdout,
        stderr,
    })
}

fn read_all(pipe: Option<impl std::io::Read>) -> Vec<u8> {
    let mut buf = Vec::new();
    if let Some(mut pipe) = pipe {
        let _ = pipe.read_to_end(&mut buf);
    }
    buf
}

/// Kills every check process still running, children of children too.
pub fn stop_all() {
    let groups = std::mem::take(&mut *GROUPS.lock().unwrap_or_else(PoisonError::into_inner));
    for group in groups {
        let _ = nix::sys::signal::killpg(
            nix::unistd::Pid::from_raw(group),
            nix::sys::signal::Signal::SIGKILL,
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `stop_all` kills every tracked child of this process, so the tests
    /// that start children take turns.
    static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

    #[test]
    fn stop_all_kills_what_is_still_running() {
        let _turn = ONE_AT_A_TIME.lock().unwrap_or_else(PoisonError::into_inner);
        let mut tracked = spawn(Command::new("sleep").arg("30")).unwrap();
        stop_all();
        let status = tracked.child.wait().unwrap();
        assert!(!status.success());
        assert!(GROUPS.lock().unwrap().is_empty());
    }

    #[test]
    fn output_collects_both_streams() {
        let _turn = ONE_AT_A_TIME.lock().unwrap_or_else(PoisonError::into_inner);
        let out = output(Command::new("sh").args(["-c", "echo out; echo err >&2"])).unwrap();
        assert_eq!(out.stdout, b"out\n");
        assert_eq!(out.stderr, b"err\n");
    }
}
