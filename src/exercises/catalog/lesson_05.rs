//! Lesson 05's exercises, in the order a learner meets them.
use super::ExerciseInfo;

pub(super) const EXERCISES: &[ExerciseInfo] = &[
    exercise! {
        lesson: 5,
        file: "05_ticker.rs",
        name: "ticker",
        title: "Every subscriber sees every price: tokio broadcast (V1, A6)",
        kind: WarmUp,
        difficulty: 1,
        minutes: 10,
        is_async: true,
        hints: [
            "Only the `Err` arm of the `match` in `follow` is left. Look up `RecvError` in \
             `tokio::sync::broadcast::error`: it has two variants.",
            "`Lagged(n)` means this receiver fell behind and n prices were overwritten before it read \
             them; the channel is still open and the next `recv` gives the oldest price still kept. \
             `Closed` means every sender is gone: the only reason to stop.",
            "`Err(RecvError::Lagged(lost)) => seen.missed += lost,` and \
             `Err(RecvError::Closed) => return seen,`",
        ],
    },
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
            "Three stages and two channels: the file imports `mpsc` and `thread`. Which channel constructor takes a bound, and which thread should run each stage?",
            "Two scoped threads (the source and the transform) and the sink loop on the calling thread, connected by bounded channels, so a full channel makes its sender wait. A receiver's loop ends when every sender of that channel is gone: move each sender into the one stage that uses it, and it goes away when that stage ends. No sentinel, no timeout.",
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
            "Look at `work`: where is the receiver locked, and where is that lock released? (A lock guard unlocks when it is dropped.)",
            "A guard lives until the end of its scope, and in `work` that scope includes running the job, so the other workers wait for the lock instead of taking the next job. Make the guard's life end as soon as the job is received, before the job runs. Temporaries in a `while let` condition or a `match` scrutinee live until the end of its body.",
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
            "Three tools from the module doc: a `JoinSet` to own the tasks, a `Semaphore` to bound how many run, and task ids to map each result back to its job.",
            "Each task takes a permit before its job starts and holds it until the job ends (bind it to a named variable: `_` drops it at once). Spawn them all, collect the results as they finish with their task ids, and put each in its job's slot. A panicked task's JoinError still carries the id, so its job gets an Err with the panic message.",
            "`let permits = Arc::new(Semaphore::new(limit))`; for each job, `set.spawn(async move { let _p = \
         permits.acquire_owned().await.unwrap(); job.await })` and remember `handle.id()` → index. Then \
         `while let Some(r) = set.join_next_with_id().await`: Ok((id, v)) or Err(e) with `e.id()`; \
         `panic_message(e)` gives the text.",
        ],
    },
    exercise! {
        lesson: 5,
        file: "05_keep_going.rs",
        name: "keep_going",
        title: "Fix a batch that dies with its first broken job (A8, V2)",
        kind: FixTheBug,
        difficulty: 2,
        minutes: 15,
        is_async: true,
        hints: [
            "Each job runs in its own task, so a panic in it ends that task only. Look at what `run_all` \
             does with what `join_next_with_id` hands back for a task that panicked.",
            "A panicking task is not a bug in the batch: `join_next_with_id` returns `Err(JoinError)` for \
             it, and panicking on that error unwinds out of `run_all`, which drops the `JoinSet`, and \
             dropping a `JoinSet` aborts every task still in it. Treat the error as that job's result.",
            "`let (id, result) = match joined { Ok((id, result)) => (id, result), Err(error) => \
             (error.id(), Err(panic_message(error))) };` (a `JoinError` knows its task's id).",
        ],
    },
    exercise! {
        lesson: 5,
        file: "05_graceful_pool.rs",
        name: "graceful_pool",
        title: "A thread pool that shuts down two ways: drain or abort (V2, V7)",
        kind: Stretch,
        difficulty: 3,
        minutes: 35,
        is_async: false,
        hints: [
            "Start from the pool of lesson 05 (workers taking jobs from one queue). Write `new`, `submit` \
             and `shutdown` first; `abort` differs from `shutdown` only in what happens to the jobs still \
             queued.",
            "A worker stops when there is no job left *and* no more will come; shutdown says \"no more \
             will come\" and joins. Abort also empties the queue, counting what it threw away, in one \
             step under the lock so no worker can start one of those jobs in between. Run each job \
             outside the lock, inside `catch_unwind`.",
            "State: `Mutex<(VecDeque<Job>, closed: bool)>` + `Condvar`. Worker: `loop { lock; loop { if \
             let Some(job) = pop_front() { break job } if closed { return } wait } ; unlock; \
             catch_unwind(AssertUnwindSafe(job)) }`. abort: `closed = true; take(&mut jobs).len()`, \
             `notify_all`, join.",
        ],
    },
];
