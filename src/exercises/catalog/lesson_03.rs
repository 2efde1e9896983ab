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
            "One future per URL is `fetch(url.to_string())`. The question is how to await them all at once instead of one after another: look in `futures::future` for the first function, and at `tokio::spawn` for the second.",
            "A future does nothing until it is polled, so awaiting them in a loop runs them one at a time. Polling them together in one task gives their results in input order. Spawned tasks run on their own and hand back a `JoinHandle`: start them all first, then await the handles in URL order, turning a task that panicked into an `Err` for its URL.",
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
            "Look at what runs inside `tokio::spawn(async move { ... })` in `handle_all`: is there an `.await` anywhere while `render` runs?",
            "A tokio worker thread switches tasks only at an `.await`. Code that computes for a long time without awaiting keeps its thread, and no other task on that thread runs. Hand the slow call to a thread that is not an executor worker and await its result, so the task yields while it waits. Keep the responses in request order.",
            "Inside the task: `tokio::task::spawn_blocking(move || render(request)).await.expect(..)`. The \
         closure must own what it uses: the request (a u64, copied) and its own clone of the Arc.",
        ],
    },
    exercise! {
        lesson: 3,
        file: "03_request_replies.rs",
        name: "request_replies",
        title: "Fix a conversation with an actor that hangs: bounded channels both ways (A9)",
        kind: FixTheBug,
        difficulty: 2,
        minutes: 15,
        is_async: true,
        hints: [
            "Picture the moment it hangs with 100 questions: how many items are in each channel, which `.await` \
             is `ask_all` stopped at, and which `.await` is the actor stopped at?",
            "Both channels are bounded. The actor cannot take another question while its answers channel is \
             full, and `ask_all` reads no answer until it has sent every question, so once both channels are \
             full each waits for the other. Take answers while questions are still going out.",
            "Make the two loops two futures, `let send_all = async { for q in list { .. send(q).await .. } };` \
             and `let receive_all = async { .. answers.recv().await .. received };`, and run them together: \
             `let ((), received) = tokio::join!(send_all, receive_all);`.",
        ],
    },
    exercise! {
        lesson: 3,
        file: "03_frame_reader.rs",
        name: "frame_reader",
        title: "Fix a select! loop that garbles frames: cancellation safety (A11)",
        kind: FixTheBug,
        difficulty: 2,
        minutes: 25,
        is_async: true,
        hints: [
            "Look at the `select!` in `read_frames`: when the ticker's branch wins, what becomes of the other \
             branch's future, and of the bytes it had already read into its local buffers?",
            "A future that loses a `select!` is dropped. `read_exact` may already have read part of the frame \
             into its buffer, and those bytes go with it: it is not cancel-safe. Keep the received bytes in a \
             buffer that outlives the loop (only a cancel-safe read in the `select!`), or keep one read future \
             alive across the loop instead of making a new one each turn.",
            "`let mut received = Vec::new();` before the loop; in the `select!`, `n = conn.read_buf(&mut received)` \
             (cancel-safe: it read some bytes or none); after each read, take every whole frame off the front \
             (4-byte length, then the body); at `n == 0`, return the frames if `received` is empty, else an \
             `UnexpectedEof` error.",
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
            "Two things race: the mirrors (any of which may answer or fail, in any order) and the deadline. Look at `futures::stream::FuturesUnordered` (imported), and at how tokio waits for whichever of two futures finishes first.",
            "Keep every mirror in a collection you own and take their results in the order they finish: skip failures, stop at the first success. Race that against one timer, started once, when the call starts. Returning drops the collection, and a dropped future is cancelled: nothing keeps running after the answer.",
            "Collect `async move { (index, mirror.await) }` futures into a FuturesUnordered; an async block loops \
         on `.next().await` and returns the first Ok. `tokio::select! { a = that => a, () = sleep(deadline) => None }`. \
         Returning drops the FuturesUnordered, which cancels the mirrors still in it.",
        ],
    },
    exercise! {
        lesson: 3,
        file: "03_countdown_latch.rs",
        name: "countdown_latch",
        title: "A future by hand: a countdown latch with a real Waker (A1)",
        kind: Stretch,
        difficulty: 3,
        minutes: 35,
        is_async: true,
        hints: [
            "Everything happens in `Wait::poll` and `Latch::count_down`, which share `State` behind the mutex. \
             Ask what `count_down` needs, at the moment the count reaches zero, to tell each waiting task.",
            "A `Pending` poll must leave its `cx.waker()` where `count_down` will find it, and only the count \
             reaching zero wakes them. Check the count and store the waker under the same lock, or a count-down \
             between the two is missed. Give each `Wait` an identity (an id, or compare with `Waker::will_wake`) \
             so a second poll replaces its waker instead of adding another.",
            "`State { remaining, waiting: HashMap<u64, Waker>, next_id }`, `Wait { state, id: Option<u64> }`. \
             poll: lock; `remaining == 0` gives `Ready`; else take an id once and \
             `waiting.insert(id, cx.waker().clone())`, `Pending`. count_down: lock, stop at zero, decrement, and \
             at zero `drain()` the wakers and `wake()` each after unlocking.",
        ],
    },
    exercise! {
        lesson: 3,
        file: "03_chat_server.rs",
        name: "chat_server",
        title: "Capstone: a chat server, slow clients and graceful shutdown (A3, A9, A11, V5)",
        kind: Capstone,
        difficulty: 3,
        minutes: 50,
        is_async: true,
        hints: [
            "Start with the accept loop in `serve` (a `select!` between `listener.accept()` and `shutdown`), then \
             `client` for one client, then `Hub::broadcast`. The doc comment of each says what it must do; the \
             checks' names say which part a failure is about.",
            "Nobody may wait for a slow client: `broadcast` only `try_send`s, and a full queue removes that \
             member, which drops its queue sender and its kick sender. Each client task races (`select!`) its \
             socket's next line, its queue, the kick and the shutdown signal; the write of a queued line must \
             race the kick and the shutdown too, or a client that stops reading holds its task for ever. \
             Keep the tasks in a `JoinSet` so `serve` can wait for them all.",
            "serve: `loop { select! { _ = &mut shutdown => break, Ok((s, _)) = listener.accept() => { id += 1; \
             tasks.spawn(client(id, s, hub.clone(), queue, stopping.clone())); } } }`, then `drop(listener)`, \
             `stop.send(true)`, `timeout(.., async { while tasks.join_next().await.is_some() {} })`, else \
             `tasks.shutdown().await`. client: `into_split`, `mpsc::channel(queue)`, `oneshot::channel()`, \
             `hub.join`, write the welcome, then the `select!` loop; `hub.leave(id)` at the end.",
        ],
    },
];
