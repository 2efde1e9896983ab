//! The one list of exercises: name, lesson, title, hint and files. The crates
//! in `exercises/` and `solutions/` declare the same files (their `lib.rs`),
//! and the tests below check that the copies agree.
use std::fmt;

/// One exercise.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ExerciseInfo {
    /// The name used on the command line and in test names (`philosophers`).
    pub name: &'static str,
    /// The lesson it belongs to, 1 to 6.
    pub lesson: u8,
    /// A one-line title.
    pub title: &'static str,
    /// What to look at when stuck.
    pub hint: &'static str,
    /// The learner's file, relative to the project root.
    pub path: &'static str,
    /// The reference answer, relative to the project root.
    pub solution: &'static str,
}

macro_rules! exercise {
    ($lesson:literal, $file:literal, $name:literal, $title:literal, $hint:literal) => {
        ExerciseInfo {
            name: $name,
            lesson: $lesson,
            title: $title,
            hint: $hint,
            path: concat!("exercises/", $file),
            solution: concat!("solutions/", $file),
        }
    };
}

const EXERCISES: &[ExerciseInfo] = &[
    exercise!(
        1,
        "01_word_count.rs",
        "word_count",
        "Parallel word count with scoped threads (T3)",
        "`lines.chunks(n)` gives the chunks; inside `thread::scope(|s| ...)`, `s.spawn(move || count(chunk))` \
         may borrow the chunk. Keep the handles in a Vec, then `join()` each and add its map into the total \
         (`*total.entry(word).or_insert(0) += n`). Round the chunk size up (`div_ceil`) and never let it be 0."
    ),
    exercise!(
        1,
        "01_ordered_results.rs",
        "ordered_results",
        "Results in order (rayon) and as they complete (a channel) (T4)",
        "map_in_order: `items.par_iter().map(f).collect()` (use rayon::prelude::*). in_completion_order: \
         `let (tx, rx) = mpsc::channel()`; in a `thread::scope`, spawn one thread per delay with its own \
         `tx.clone()`; drop the original `tx`, then `rx.iter().collect()` ends when the last thread is done."
    ),
    exercise!(
        1,
        "01_lost_update.rs",
        "lost_update",
        "Fix lost updates in a shared counter (T5, S5)",
        "A load followed by a store is two steps; another thread can run between them. `fetch_add(1, ..)` \
         does both at once. For take_ticket, `fetch_update(.., |taken| (taken < limit).then_some(taken + 1))` \
         retries until its check and its update happen atomically together."
    ),
    exercise!(
        2,
        "02_line_protocol.rs",
        "line_protocol",
        "A worker process, one message a line (M2, M3)",
        "serve: `for line in input.lines() { writeln!(output, \"{}\", handle(&line?))?; output.flush()?; }`. \
         ask: move the writing loop into `thread::scope(|s| s.spawn(move || ...))` so it runs while this \
         thread reads `BufReader::new(stdout).lines()`; let the writer drop stdin when done, then \
         `child.wait()` and check `status.success()`."
    ),
    exercise!(
        2,
        "02_crash_pool.rs",
        "crash_pool",
        "A process pool that survives a crashing worker (M7, M8)",
        "run_one: `Command::new(\"sh\").args([\"-c\", job]).output()`; `status.code()` is None when a signal \
         killed it, and `status.signal()` (ExitStatusExt) says which. run_jobs: `workers` scoped threads loop on \
         `next.fetch_add(1, ..)` until the index is past the end, sending (index, result); sort by index."
    ),
    exercise!(
        2,
        "02_child_timeout.rs",
        "child_timeout",
        "Kill a hanging child after a timeout (M10)",
        "Spawn with `.stdout(Stdio::piped())`, take the stdout and `read_to_string` it on a thread. Then loop: \
         `if let Some(status) = child.try_wait()? { ... }`; past the deadline `child.kill()?; child.wait()?;` \
         (the wait reaps it); otherwise sleep a few ms."
    ),
    exercise!(
        3,
        "03_fetch_all.rs",
        "fetch_all",
        "Many requests at once: join_all and spawn (A2, A3)",
        "`futures::future::join_all(urls.iter().map(|u| fetch(u.to_string()))).await`. For the spawned \
         version: `let fetch = Arc::new(fetch);`, `tokio::spawn(fetch(url.to_string()))` for each URL into a \
         Vec of handles, then `handle.await` each in order (a JoinError becomes an Err string)."
    ),
    exercise!(
        3,
        "03_blocking_executor.rs",
        "blocking_executor",
        "Fix a task that blocks the executor (A4, A7)",
        "Inside the task: `tokio::task::spawn_blocking(move || render(request)).await.expect(..)`. The \
         closure must own what it uses: the request (a u64, copied) and its own clone of the Arc."
    ),
    exercise!(
        3,
        "03_first_answer.rs",
        "first_answer",
        "The first answer wins, with a deadline (A11)",
        "Collect `async move { (index, mirror.await) }` futures into a FuturesUnordered; an async block loops \
         on `.next().await` and returns the first Ok. `tokio::select! { a = that => a, () = sleep(deadline) => None }`. \
         Returning drops the FuturesUnordered, which cancels the mirrors still in it."
    ),
    exercise!(
        4,
        "04_philosophers.rs",
        "philosophers",
        "Fix the dining philosophers' deadlock (S6)",
        "Return the two forks as (smaller number, larger number): `(left.min(right), left.max(right))`. \
         Every philosopher then locks in the same global order, and the last one reaches for fork 0 first."
    ),
    exercise!(
        4,
        "04_bounded_buffer.rs",
        "bounded_buffer",
        "Fix a lost wake-up in a bounded buffer (S3)",
        "Change both `if` to `while`: after `wait` returns, look at the condition again before going on. \
         `Condvar::wait_while(guard, |items| items.is_empty())` is the same loop written for you."
    ),
    exercise!(
        4,
        "04_semaphore.rs",
        "semaphore",
        "A counting semaphore from Mutex and Condvar (S2)",
        "acquire: lock `free`; `while *free == 0 { free = self.released.wait(free).unwrap(); }`; \
         `*free -= 1`; return `Permit { semaphore: self }`. Drop for Permit: add one under the lock, then \
         `notify_one()`. available: read the count under the lock."
    ),
    exercise!(
        5,
        "05_pipeline.rs",
        "pipeline",
        "A bounded pipeline without sentinels (V1, V7)",
        "Make two `mpsc::sync_channel(bound)`. In `thread::scope`, the source thread moves the first sender in \
         and sends each item; the transform thread moves the first receiver and second sender in and loops \
         `for x in rx`. Move the senders into the threads (do not clone and keep one), so they drop when \
         each thread ends; then `for y in rx2 { sink(y) }` here ends by itself."
    ),
    exercise!(
        5,
        "05_pool_lock.rs",
        "pool_lock",
        "Fix a thread pool that runs one job at a time (V2, S1)",
        "The guard `receiver` lives until the end of the loop body, so the job runs locked. Take the job in one \
         statement, `let job = receiver.lock().unwrap().recv();`, where the guard is a temporary dropped at \
         the `;`, then match on `job` (or `drop` the guard before calling the job)."
    ),
    exercise!(
        5,
        "05_async_pool.rs",
        "async_pool",
        "An async pool: JoinSet with a Semaphore (V2, A8)",
        "`let permits = Arc::new(Semaphore::new(limit))`; for each job, `set.spawn(async move { let _p = \
         permits.acquire_owned().await.unwrap(); job.await })` and remember `handle.id()` → index. Then \
         `while let Some(r) = set.join_next_with_id().await`: Ok((id, v)) or Err(e) with `e.id()`; \
         `panic_message(e)` gives the text."
    ),
    exercise!(
        6,
        "06_link_checker.rs",
        "link_checker",
        "Check a page's links concurrently (P1, A6)",
        "`let (_, body) = fetch(page.to_string()).await?;` then a BTreeSet of `links_in(&body)` removes \
         duplicates. `futures::stream::iter(links).map(|link| async move { ... }).buffer_unordered(limit)\
         .collect::<Vec<_>>().await`, with `let fetch = &fetch;` first so each async block can borrow it."
    ),
    exercise!(
        6,
        "06_rate_limiter.rs",
        "rate_limiter",
        "A token-bucket rate limiter (P3)",
        "In a loop: lock the state, `tokens = (tokens + elapsed_secs * per_second).min(burst)`, set `updated = \
         now`; if tokens >= 1, take one and return; else compute the wait `(1 - tokens) / per_second` seconds, \
         release the lock (end the block), and `tokio::time::sleep(wait).await`."
    ),
    exercise!(
        6,
        "06_image_filter.rs",
        "image_filter",
        "A parallel image filter, identical to the sequential one (P2, T6)",
        "Copy `apply` and change `chunks_mut` to `par_chunks_mut` and `for` to `.enumerate().for_each(|(y, row)| \
         filter_row(image, kernel, y, row))` (use rayon::prelude::*). Each row is written by one thread only."
    ),
];

/// Every exercise, in lesson order.
pub fn catalog() -> &'static [ExerciseInfo] {
    EXERCISES
}

/// The exercise named `name`, or an error listing the valid names.
pub fn find(name: &str) -> Result<&'static ExerciseInfo, UnknownExercise> {
    EXERCISES
        .iter()
        .find(|e| e.name == name)
        .ok_or_else(|| UnknownExercise(name.to_string()))
}

/// A name that is not an exercise; its message lists the valid names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownExercise(pub String);

impl fmt::Display for UnknownExercise {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "there is no exercise named `{}`. The exercises are:",
            self.0
        )?;
        for lesson in 1..=6 {
            let names: Vec<_> = EXERCISES
                .iter()
                .filter(|e| e.lesson == lesson)
                .map(|e| e.name)
                .collect();
            writeln!(f, "  {lesson:02}  {}", names.join(", "))?;
        }
        Ok(())
    }
}

impl std::error::Error for UnknownExercise {}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;
    use std::path::Path;

    fn read(path: &str) -> String {
        let full = Path::new(env!("CARGO_MANIFEST_DIR")).join(path);
        std::fs::read_to_string(&full)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", full.display()))
    }

    #[test]
    fn every_exercise_has_stub_solution_hint_lesson_and_check() {
        let mut names = BTreeSet::new();
        for e in catalog() {
            assert!(names.insert(e.name), "{} is listed twice", e.name);
            assert!(
                (1..=6).contains(&e.lesson),
                "{}: lesson {}",
                e.name,
                e.lesson
            );
            assert!(
                !e.hint.trim().is_empty() && !e.title.is_empty(),
                "{}: no hint or title",
                e.name
            );
            let file = e.path.strip_prefix("exercises/").unwrap();
            assert!(
                file.starts_with(&format!("{:02}_", e.lesson)),
                "{}: file named after another lesson",
                e.name
            );
            assert_eq!(
                e.solution,
                format!("solutions/{file}"),
                "{}: the solution mirrors the stub",
                e.name
            );
            let stub = read(e.path);
            assert!(
                stub.contains("// TODO"),
                "{}: the stub has no // TODO mark",
                e.name
            );
            assert!(
                stub.starts_with("//! # "),
                "{}: the stub starts with its instructions",
                e.name
            );
            assert!(
                !read(e.solution).contains("TODO"),
                "{}: the solution still has a TODO",
                e.name
            );
            read(&format!("tests/checks/{}.rs", e.name));
            for krate in ["exercises", "solutions"] {
                let lib = read(&format!("{krate}/lib.rs"));
                let declared = format!("#[path = \"{file}\"]\npub mod {};", e.name);
                assert!(
                    lib.contains(&declared),
                    "{krate}/lib.rs does not declare {}",
                    e.name
                );
            }
            let checks = read("tests/checks/mod.rs");
            assert!(
                checks.contains(&format!("mod {};", e.name)),
                "tests/checks/mod.rs misses {}",
                e.name
            );
        }
    }

    #[test]
    fn the_catalog_lists_every_exercise_file() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("exercises");
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            let file = path.file_name().unwrap().to_string_lossy().into_owned();
            if path.extension().is_some_and(|ext| ext == "rs") && file != "lib.rs" {
                let path = format!("exercises/{file}");
                assert!(
                    catalog().iter().any(|e| e.path == path),
                    "{path} is not in the catalog"
                );
            }
        }
    }

    #[test]
    fn enough_exercises_per_lesson() {
        assert!(catalog().len() >= 18);
        for lesson in 1..=6 {
            let n = catalog().iter().filter(|e| e.lesson == lesson).count();
            assert!(n >= 3, "lesson {lesson} has {n} exercises");
        }
        assert!(
            catalog().windows(2).all(|w| w[0].lesson <= w[1].lesson),
            "in lesson order"
        );
    }

    #[test]
    fn unknown_names_list_the_valid_ones() {
        let err = find("nope").unwrap_err().to_string();
        assert!(
            err.contains("nope") && err.contains("philosophers") && err.contains("image_filter")
        );
        assert_eq!(find("philosophers").unwrap().lesson, 4);
    }
}
