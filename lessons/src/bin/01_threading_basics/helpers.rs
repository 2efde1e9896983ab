//! Small helpers for lesson 01 that are not the point of any demo.
use std::any::Any;
use std::io::Read;
use std::ops::Range;
use std::process::{Command, ExitStatus, Stdio};
use std::sync::mpsc;
use std::thread;
use std::time::Duration;

/// Steps the Collatz rule (halve if even, else 3n+1) takes to reach 1 from
/// `n`: cheap to state, impossible for the compiler to skip, and uneven from
/// one number to the next, like real work.
pub fn collatz_steps(mut n: u64) -> u64 {
    let mut steps = 0;
    while n > 1 {
        n = if n % 2 == 0 { n / 2 } else { 3 * n + 1 };
        steps += 1;
    }
    steps
}

/// Total Collatz steps for every `stride`-th number of `range`.
pub fn steps_total(range: Range<u64>, stride: usize) -> u64 {
    range.step_by(stride).map(collatz_steps).sum()
}

/// How many threads can run at once here (cores, or the CPU quota).
pub fn cores() -> usize {
    thread::available_parallelism().map_or(1, usize::from)
}

/// CPU time this process has used so far, all threads, user and system.
pub fn cpu_time() -> Duration {
    use nix::sys::resource::{UsageWho, getrusage};
    let Ok(usage) = getrusage(UsageWho::RUSAGE_SELF) else {
        return Duration::ZERO;
    };
    let micros = |t: nix::sys::time::TimeVal| {
        Duration::from_secs(t.tv_sec().unsigned_abs())
            + Duration::from_micros(t.tv_usec().unsigned_abs())
    };
    micros(usage.user_time()) + micros(usage.system_time())
}

/// A duration in milliseconds, for printing.
pub fn fmt_ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1e3)
}

/// The message inside a panic payload: `panic!("literal")` carries a
/// `&'static str`, `panic!("{x}")` and `.expect()` carry a `String`.
pub fn payload_text(payload: &(dyn Any + Send)) -> &str {
    if let Some(text) = payload.downcast_ref::<&str>() {
        text
    } else if let Some(text) = payload.downcast_ref::<String>() {
        text
    } else {
        "(a payload that is not text)"
    }
}

/// Runs this same executable with `args` and returns its exit status and
/// stdout. A child still running at `deadline` is killed, so this never hangs.
pub fn run_child_with_deadline(
    args: &[&str],
    deadline: Duration,
) -> Result<(ExitStatus, String), String> {
    let exe = std::env::current_exe().map_err(|e| format!("cannot find this program: {e}"))?;
    let mut child = Command::new(exe)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot start the child: {e}"))?;
    let mut stdout = child.stdout.take().expect("stdout was piped");
    let (done, output) = mpsc::channel();
    // The reader gets the whole output once the child (and its pipe) closes.
    thread::spawn(move || {
        let mut text = String::new();
        let _ = stdout.read_to_string(&mut text);
        let _ = done.send(text);
    });
    let text = output.recv_timeout(deadline);
    if text.is_err() {
        let _ = child.kill();
    }
    let status = child
        .wait()
        .map_err(|e| format!("cannot reap the child: {e}"))?;
    text.map(|text| (status, text))
        .map_err(|_| format!("the child ran past {deadline:?} and was killed ({status})"))
}
