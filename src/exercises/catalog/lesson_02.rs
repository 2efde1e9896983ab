//! Lesson 02's exercises, in the order a learner meets them.
use super::ExerciseInfo;

pub(super) const EXERCISES: &[ExerciseInfo] = &[
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
            // Steps 1 (where to look) and 2 (the idea) are still to write;
            // step 3 is the shape of the fix.
            "serve: `for line in input.lines() { writeln!(output, \"{}\", handle(&line?))?; output.flush()?; }`. \
         ask: move the writing loop into `thread::scope(|s| s.spawn(move || ...))` so it runs while this \
         thread reads `BufReader::new(stdout).lines()`; let the writer drop stdin when done, then \
         `child.wait()` and check `status.success()`.",
            "serve: `for line in input.lines() { writeln!(output, \"{}\", handle(&line?))?; output.flush()?; }`. \
         ask: move the writing loop into `thread::scope(|s| s.spawn(move || ...))` so it runs while this \
         thread reads `BufReader::new(stdout).lines()`; let the writer drop stdin when done, then \
         `child.wait()` and check `status.success()`.",
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
            // Steps 1 (where to look) and 2 (the idea) are still to write;
            // step 3 is the shape of the fix.
            "run_one: `Command::new(\"sh\").args([\"-c\", job]).output()`; `status.code()` is None when a signal \
         killed it, and `status.signal()` (ExitStatusExt) says which. run_jobs: `workers` scoped threads loop on \
         `next.fetch_add(1, ..)` until the index is past the end, sending (index, result); sort by index.",
            "run_one: `Command::new(\"sh\").args([\"-c\", job]).output()`; `status.code()` is None when a signal \
         killed it, and `status.signal()` (ExitStatusExt) says which. run_jobs: `workers` scoped threads loop on \
         `next.fetch_add(1, ..)` until the index is past the end, sending (index, result); sort by index.",
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
            // Steps 1 (where to look) and 2 (the idea) are still to write;
            // step 3 is the shape of the fix.
            "Spawn with `.stdout(Stdio::piped())`, take the stdout and `read_to_string` it on a thread. Then loop: \
         `if let Some(status) = child.try_wait()? { ... }`; past the deadline `child.kill()?; child.wait()?;` \
         (the wait reaps it); otherwise sleep a few ms.",
            "Spawn with `.stdout(Stdio::piped())`, take the stdout and `read_to_string` it on a thread. Then loop: \
         `if let Some(status) = child.try_wait()? { ... }`; past the deadline `child.kill()?; child.wait()?;` \
         (the wait reaps it); otherwise sleep a few ms.",
            "Spawn with `.stdout(Stdio::piped())`, take the stdout and `read_to_string` it on a thread. Then loop: \
         `if let Some(status) = child.try_wait()? { ... }`; past the deadline `child.kill()?; child.wait()?;` \
         (the wait reaps it); otherwise sleep a few ms.",
        ],
    },
];
