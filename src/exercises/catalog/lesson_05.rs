//! Lesson 05's exercises, in the order a learner meets them.
use super::ExerciseInfo;

pub(super) const EXERCISES: &[ExerciseInfo] = &[
    exercise! {
        lesson: 5,
        file: "05_pipeline.rs",
        name: "pipeline",
        title: "A bounded pipeline without sentinels (V1, V7)",
        kind: BuildFromSpec,
        difficulty: 2,
        minutes: 25,
        is_async: false,
        hints: [
            // Steps 1 (where to look) and 2 (the idea) are still to write;
            // step 3 is the shape of the fix.
            "Make two `mpsc::sync_channel(bound)`. In `thread::scope`, the source thread moves the first sender in \
         and sends each item; the transform thread moves the first receiver and second sender in and loops \
         `for x in rx`. Move the senders into the threads (do not clone and keep one), so they drop when \
         each thread ends; then `for y in rx2 { sink(y) }` here ends by itself.",
            "Make two `mpsc::sync_channel(bound)`. In `thread::scope`, the source thread moves the first sender in \
         and sends each item; the transform thread moves the first receiver and second sender in and loops \
         `for x in rx`. Move the senders into the threads (do not clone and keep one), so they drop when \
         each thread ends; then `for y in rx2 { sink(y) }` here ends by itself.",
            "Make two `mpsc::sync_channel(bound)`. In `thread::scope`, the source thread moves the first sender in \
         and sends each item; the transform thread moves the first receiver and second sender in and loops \
         `for x in rx`. Move the senders into the threads (do not clone and keep one), so they drop when \
         each thread ends; then `for y in rx2 { sink(y) }` here ends by itself.",
        ],
    },
    exercise! {
        lesson: 5,
        file: "05_pool_lock.rs",
        name: "pool_lock",
        title: "Fix a thread pool that runs one job at a time (V2, S1)",
        kind: FixTheBug,
        difficulty: 2,
        minutes: 15,
        is_async: false,
        hints: [
            // Steps 1 (where to look) and 2 (the idea) are still to write;
            // step 3 is the shape of the fix.
            "The guard `receiver` lives until the end of the loop body, so the job runs locked. Take the job in one \
         statement, `let job = receiver.lock().unwrap().recv();`, where the guard is a temporary dropped at \
         the `;`, then match on `job` (or `drop` the guard before calling the job).",
            "The guard `receiver` lives until the end of the loop body, so the job runs locked. Take the job in one \
         statement, `let job = receiver.lock().unwrap().recv();`, where the guard is a temporary dropped at \
         the `;`, then match on `job` (or `drop` the guard before calling the job).",
            "The guard `receiver` lives until the end of the loop body, so the job runs locked. Take the job in one \
         statement, `let job = receiver.lock().unwrap().recv();`, where the guard is a temporary dropped at \
         the `;`, then match on `job` (or `drop` the guard before calling the job).",
        ],
    },
    exercise! {
        lesson: 5,
        file: "05_async_pool.rs",
        name: "async_pool",
        title: "An async pool: JoinSet with a Semaphore (V2, A8)",
        kind: BuildFromSpec,
        difficulty: 3,
        minutes: 30,
        is_async: true,
        hints: [
            // Steps 1 (where to look) and 2 (the idea) are still to write;
            // step 3 is the shape of the fix.
            "`let permits = Arc::new(Semaphore::new(limit))`; for each job, `set.spawn(async move { let _p = \
         permits.acquire_owned().await.unwrap(); job.await })` and remember `handle.id()` → index. Then \
         `while let Some(r) = set.join_next_with_id().await`: Ok((id, v)) or Err(e) with `e.id()`; \
         `panic_message(e)` gives the text.",
            "`let permits = Arc::new(Semaphore::new(limit))`; for each job, `set.spawn(async move { let _p = \
         permits.acquire_owned().await.unwrap(); job.await })` and remember `handle.id()` → index. Then \
         `while let Some(r) = set.join_next_with_id().await`: Ok((id, v)) or Err(e) with `e.id()`; \
         `panic_message(e)` gives the text.",
            "`let permits = Arc::new(Semaphore::new(limit))`; for each job, `set.spawn(async move { let _p = \
         permits.acquire_owned().await.unwrap(); job.await })` and remember `handle.id()` → index. Then \
         `while let Some(r) = set.join_next_with_id().await`: Ok((id, v)) or Err(e) with `e.id()`; \
         `panic_message(e)` gives the text.",
        ],
    },
];
