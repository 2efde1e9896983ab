//! Lesson 03's exercises, in the order a learner meets them.
use super::ExerciseInfo;

pub(super) const EXERCISES: &[ExerciseInfo] = &[
    exercise! {
        lesson: 3,
        file: "03_fetch_all.rs",
        name: "fetch_all",
        title: "Many requests at once: join_all and spawn (A2, A3)",
        kind: WarmUp,
        difficulty: 1,
        minutes: 15,
        is_async: true,
        hints: [
            // Steps 1 (where to look) and 2 (the idea) are still to write;
            // step 3 is the shape of the fix.
            "`futures::future::join_all(urls.iter().map(|u| fetch(u.to_string()))).await`. For the spawned \
         version: `let fetch = Arc::new(fetch);`, `tokio::spawn(fetch(url.to_string()))` for each URL into a \
         Vec of handles, then `handle.await` each in order (a JoinError becomes an Err string).",
            "`futures::future::join_all(urls.iter().map(|u| fetch(u.to_string()))).await`. For the spawned \
         version: `let fetch = Arc::new(fetch);`, `tokio::spawn(fetch(url.to_string()))` for each URL into a \
         Vec of handles, then `handle.await` each in order (a JoinError becomes an Err string).",
            "`futures::future::join_all(urls.iter().map(|u| fetch(u.to_string()))).await`. For the spawned \
         version: `let fetch = Arc::new(fetch);`, `tokio::spawn(fetch(url.to_string()))` for each URL into a \
         Vec of handles, then `handle.await` each in order (a JoinError becomes an Err string).",
        ],
    },
    exercise! {
        lesson: 3,
        file: "03_blocking_executor.rs",
        name: "blocking_executor",
        title: "Fix a task that blocks the executor (A4, A7)",
        kind: FixTheBug,
        difficulty: 1,
        minutes: 15,
        is_async: true,
        hints: [
            // Steps 1 (where to look) and 2 (the idea) are still to write;
            // step 3 is the shape of the fix.
            "Inside the task: `tokio::task::spawn_blocking(move || render(request)).await.expect(..)`. The \
         closure must own what it uses: the request (a u64, copied) and its own clone of the Arc.",
            "Inside the task: `tokio::task::spawn_blocking(move || render(request)).await.expect(..)`. The \
         closure must own what it uses: the request (a u64, copied) and its own clone of the Arc.",
            "Inside the task: `tokio::task::spawn_blocking(move || render(request)).await.expect(..)`. The \
         closure must own what it uses: the request (a u64, copied) and its own clone of the Arc.",
        ],
    },
    exercise! {
        lesson: 3,
        file: "03_first_answer.rs",
        name: "first_answer",
        title: "The first answer wins, with a deadline (A11)",
        kind: BuildFromSpec,
        difficulty: 3,
        minutes: 25,
        is_async: true,
        hints: [
            // Steps 1 (where to look) and 2 (the idea) are still to write;
            // step 3 is the shape of the fix.
            "Collect `async move { (index, mirror.await) }` futures into a FuturesUnordered; an async block loops \
         on `.next().await` and returns the first Ok. `tokio::select! { a = that => a, () = sleep(deadline) => None }`. \
         Returning drops the FuturesUnordered, which cancels the mirrors still in it.",
            "Collect `async move { (index, mirror.await) }` futures into a FuturesUnordered; an async block loops \
         on `.next().await` and returns the first Ok. `tokio::select! { a = that => a, () = sleep(deadline) => None }`. \
         Returning drops the FuturesUnordered, which cancels the mirrors still in it.",
            "Collect `async move { (index, mirror.await) }` futures into a FuturesUnordered; an async block loops \
         on `.next().await` and returns the first Ok. `tokio::select! { a = that => a, () = sleep(deadline) => None }`. \
         Returning drops the FuturesUnordered, which cancels the mirrors still in it.",
        ],
    },
];
