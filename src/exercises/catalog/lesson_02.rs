//! Lesson 02's exercises, in the order a learner meets them.
use super::ExerciseInfo;

pub(super) const EXERCISES: &[ExerciseInfo] = &[
    exercise! {
        lesson: 2,
        file: "02_pipe_between.rs",
        name: "pipe_between",
        title: "Warm-up: one child's output straight into another's input (M4)",
        kind: WarmUp,
        difficulty: 1,
        minutes: 15,
        is_async: false,
        hints: [
            "The first child is running and `first_stdout` is the read end of its stdout pipe. Which `Stdio` \
             can the second `Command` take as its stdin, and what must you still wait for?",
            "Give the read end to the second child (`Stdio::from`) so the bytes never pass through this process, \
             pipe the second's stdout and read it to the end, then wait for both. A writer only learns that its \
             reader is gone when no process holds the read end any more, this one included: a `Command` keeps its \
             `Stdio` until the `Command` is dropped.",
            "`let spawned = second.stdin(Stdio::from(first_stdout)).stdout(Stdio::piped()).spawn(); drop(second);` \
             then `read_to_string` the second child's stdout, `second.wait()?`, `first.wait()?`, and return \
             `Piped { first, second, output }`.",
        ],
    },
    exercise! {
        lesson: 2,
        file: "02_capture_output.rs",
        name: "capture_output",
        title: "Fix a capture that hangs on big output (M3, M1)",
        kind: FixTheBug,
        difficulty: 2,
        minutes: 20,
        is_async: false,
        hints: [
            "Follow `run_filter` one line at a time and ask, for each line, what it waits for. Then ask what the \
             child is doing at that moment, and where its output goes while nobody reads it.",
            "A pipe holds about 64 KiB. A child that has filled its stdout (or stderr) pipe stops until someone \
             reads; a parent that is busy writing stdin, or reading the other pipe, or waiting for the exit, never \
             does. Writing stdin, reading stdout and reading stderr must all happen at the same time, and stdin \
             must be closed when the input is written.",
            "In a `thread::scope`: one thread writes the input to the `ChildStdin` it owns (so it is dropped, \
             closing the pipe), one thread `read_to_end`s stderr, and this thread reads stdout; then \
             `child.wait()`. Or: the writer thread plus `child.wait_with_output()`, which reads both pipes at once.",
        ],
    },
    exercise! {
        lesson: 2,
        file: "02_line_protocol.rs",
        name: "line_protocol",
        title: "A worker process, one message a line (M2, M3)",
        kind: BuildFromSpec,
        difficulty: 2,
        minutes: 25,
        is_async: false,
        hints: [
            "Two places: `serve` (does each reply leave the process while the parent is still waiting for it?) and `ask` (which thread writes, which reads, and when does the worker learn that the requests are over?).",
            "A pipe holds about 64 KiB. A parent that writes every request before reading any reply, and a worker that stops reading once its own output pipe is full, wait for each other. Write on one thread while another reads; close stdin when the requests are written; in serve, push each reply out before reading the next request; wait for the worker at the end and look at how it exited.",
            "serve: `for line in input.lines() { writeln!(output, \"{}\", handle(&line?))?; output.flush()?; }`. \
         ask: move the writing loop into `thread::scope(|s| s.spawn(move || ...))` so it runs while this \
         thread reads `BufReader::new(stdout).lines()`; let the writer drop stdin when done, then \
         `child.wait()` and check `status.success()`.",
        ],
    },
    exercise! {
        lesson: 2,
        file: "02_crash_pool.rs",
        name: "crash_pool",
        title: "A process pool that survives a crashing worker (M7, M8)",
        kind: BuildFromSpec,
        difficulty: 3,
        minutes: 30,
        is_async: false,
        hints: [
            "`run_one` first: how does the status in `std::process::Output` tell 'exited with code n' from 'killed by a signal'? Then `run_jobs`: how will `workers` threads share the jobs without running one twice?",
            "A crash stays in its child process; the pool only sees an exit status: a code, or on Unix a signal and no code. A pool is a fixed number of workers that each take the next job until none is left, so a slow job holds one worker, not the others. Tag each result with its job's index to put the results back in order.",
            "run_one: `Command::new(\"sh\").args([\"-c\", job]).output()`; `status.code()` is None when a signal \
         killed it, and `status.signal()` (ExitStatusExt) says which. run_jobs: `workers` scoped threads loop on \
         `next.fetch_add(1, ..)` until the index is past the end, sending (index, result); sort by index.",
        ],
    },
    exercise! {
        lesson: 2,
        file: "02_child_timeout.rs",
        name: "child_timeout",
        title: "Kill a hanging child after a timeout (M10)",
        kind: BuildFromSpec,
        difficulty: 2,
        minutes: 20,
        is_async: false,
        hints: [
            "`Child::wait()` is the call to avoid: it blocks until the child exits, which may be never. Look at what else `std::process::Child` offers, and at what becomes of a child after it is killed.",
            "Poll instead of blocking: ask whether the child has exited, sleep a little, ask again, until the deadline; then kill it and collect its exit status, or it stays in the process table as a zombie. Read its output while it runs, on another thread, or a child with a lot to say fills the pipe and stops.",
            "Spawn with `.stdout(Stdio::piped())`, take the stdout and `read_to_string` it on a thread. Then loop: \
         `if let Some(status) = child.try_wait()? { ... }`; past the deadline `child.kill()?; child.wait()?;` \
         (the wait reaps it); otherwise sleep a few ms.",
        ],
    },
    exercise! {
        lesson: 2,
        file: "02_supervisor.rs",
        name: "supervisor",
        title: "Stretch (async): a supervisor that restarts a crashing worker and stops it cleanly (M8, M10)",
        kind: Stretch,
        difficulty: 3,
        minutes: 35,
        is_async: true,
        hints: [
            "Write one loop: start a worker, wait for it, decide. There are two waits in the loop (the worker's \
             end, and the backoff); ask at each of them what must happen if `shutdown` completes right then.",
            "Race each wait against `shutdown` with `tokio::select!` (pin `shutdown` once, outside the loop, and \
             select on `&mut shutdown`). On shutdown a running worker must be killed and then waited for: \
             dropping a `Child` does neither. Count starts; a crash gives up once the restarts reach \
             `max_restarts`; double the backoff after each wait.",
            "`tokio::pin!(shutdown); loop { let mut w = make().spawn()?; starts += 1; let status = select! { s = \
             w.wait() => s?, _ = &mut shutdown => { w.kill().await?; return Stopped } }; if status.success() \
             { return Finished } if starts > max_restarts { return GaveUp } select! { _ = sleep(backoff) => {}, \
             _ = &mut shutdown => return Stopped } backoff *= 2; }`",
        ],
    },
];
