//! Lesson 01's exercises, in the order a learner meets them.
use super::ExerciseInfo;

pub(super) const EXERCISES: &[ExerciseInfo] = &[
    exercise! {
        lesson: 1,
        file: "01_thread_results.rs",
        name: "thread_results",
        title: "Warm-up: every job on its own named thread, every result and panic back (T1, T2, T9)",
        kind: WarmUp,
        difficulty: 1,
        minutes: 10,
        is_async: false,
        hints: [
            "The threads are already started and their handles are in `handles`, in job order. What does \
             `JoinHandle::join` return when the thread panicked?",
            "Join the handles in the order they are in the Vec (that is job order, whichever finishes first), \
             and turn an `Err(payload)` into a message: the payload is a `Box<dyn Any + Send>` holding either a \
             `&'static str` or a `String`.",
            "`handles.into_iter().map(|h| h.join().map_err(panic_message)).collect()`; in `panic_message`, \
             `payload.downcast_ref::<&str>()`, then `payload.downcast_ref::<String>()`, else a fixed text.",
        ],
    },
    exercise! {
        lesson: 1,
        file: "01_word_count.rs",
        name: "word_count",
        title: "Parallel word count with scoped threads (T3)",
        kind: BuildFromSpec,
        difficulty: 1,
        minutes: 15,
        is_async: false,
        hints: [
            "Look at `word_count`: `count` already counts a slice of lines on the calling thread. The task is to call it on several slices at once, from threads that may borrow `lines`.",
            "Cut the lines into `workers` slices, start one scoped thread per slice, and only then wait for them: a thread joined right after it starts runs alone. Then add the per-slice maps into one. Mind a slice size of zero when there are fewer lines than workers.",
            "`lines.chunks(n)` gives the chunks; inside `thread::scope(|s| ...)`, `s.spawn(move || count(chunk))` \
         may borrow the chunk. Keep the handles in a Vec, then `join()` each and add its map into the total \
         (`*total.entry(word).or_insert(0) += n`). Round the chunk size up (`div_ceil`) and never let it be 0.",
        ],
    },
    exercise! {
        lesson: 1,
        file: "01_ordered_results.rs",
        name: "ordered_results",
        title: "Results in order (rayon) and as they complete (a channel) (T4)",
        kind: BuildFromSpec,
        difficulty: 2,
        minutes: 20,
        is_async: false,
        hints: [
            "Two functions, two tools: `map_in_order` wants rayon's pool (its prelude is imported at the top of the file); `in_completion_order` wants threads and the `mpsc` channel the file already imports.",
            "Rayon's parallel iterators keep the items' order when they collect, whatever order the work finishes in. For completion order, let each job announce itself when it is done (send its index) and let the caller take what arrives; the caller's loop must end when no job is left to send, not after a quiet moment.",
            "map_in_order: `items.par_iter().map(f).collect()` (use rayon::prelude::*). in_completion_order: \
         `let (tx, rx) = mpsc::channel()`; in a `thread::scope`, spawn one thread per delay with its own \
         `tx.clone()`; drop the original `tx`, then `rx.iter().collect()` ends when the last thread is done.",
        ],
    },
    exercise! {
        lesson: 1,
        file: "01_lost_update.rs",
        name: "lost_update",
        title: "Fix lost updates in a shared counter (T5, S5)",
        kind: FixTheBug,
        difficulty: 1,
        minutes: 15,
        is_async: false,
        hints: [
            "Look at the gap between the read and the write in `increment`, and between the check and the write in `take_ticket`: what can another thread do in that gap?",
            "Each method reads, decides and writes in separate steps, and another thread can write in between. Atomics have operations that read and write in one indivisible step, and a compare-and-swap that writes only if the value is still the one you read (and tells you, so you can try again).",
            "A load followed by a store is two steps; another thread can run between them. `fetch_add(1, ..)` \
         does both at once. For take_ticket, `fetch_update(.., |taken| (taken < limit).then_some(taken + 1))` \
         retries until its check and its update happen atomically together.",
        ],
    },
    exercise! {
        lesson: 1,
        file: "01_shared_tally.rs",
        name: "shared_tally",
        title: "Fix a tally whose counts vanish: Send and Sync (T5)",
        kind: FixTheBug,
        difficulty: 2,
        minutes: 20,
        is_async: false,
        hints: [
            "Look at the type inside `Tally`, and at what `tally_documents` gives each thread. Then try \
             `std::thread::spawn(move || tally.add(\"x\"))` and read the compiler's error: which trait is missing?",
            "`Rc` counts its owners without atomics and `RefCell` tracks borrows without a lock, so neither may be \
             used from two threads: they are not `Send`/`Sync`. The old code dodged the compiler by giving each \
             thread a copy of the map, and the copies are dropped. Use the thread-safe pair instead, and let every \
             thread add into the one shared map.",
            "`counts: Arc<Mutex<HashMap<String, u64>>>`, with `self.counts.lock().unwrap()` in `add`, `count` and \
             `total`. In `tally_documents`, inside `thread::scope`, each thread calls `load(index)` first (without \
             the lock) and then `tally.add(word)` for each word.",
        ],
    },
    exercise! {
        lesson: 1,
        file: "01_bounded_pool.rs",
        name: "bounded_pool",
        title: "Stretch: a pool of N threads built by hand, every thread kept busy (T4, T10)",
        kind: Stretch,
        difficulty: 3,
        minutes: 30,
        is_async: false,
        hints: [
            "Start with `thread::scope` and exactly `threads` threads (at least 1, at most one per item). \
             The question is how each thread learns which item to do next.",
            "Do not decide up front who does what: keep one shared 'next item' position that every thread \
             advances when it is free, so a thread with short items simply does more of them. Each thread \
             returns the (index, result) pairs it made; sort them by index at the end.",
            "`let next = AtomicUsize::new(0);` each thread: `loop { let i = next.fetch_add(1, Relaxed); \
             let Some(item) = items.get(i) else { break }; mine.push((i, work(item))); }`, returning `mine`; \
             then join all, `sort_by_key` on the index and keep the results.",
        ],
    },
];
