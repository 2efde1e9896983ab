//! Lesson 01's exercises, in the order a learner meets them.
use super::ExerciseInfo;

pub(super) const EXERCISES: &[ExerciseInfo] = &[
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
            // Steps 1 (where to look) and 2 (the idea) are still to write;
            // step 3 is the shape of the fix.
            "`lines.chunks(n)` gives the chunks; inside `thread::scope(|s| ...)`, `s.spawn(move || count(chunk))` \
         may borrow the chunk. Keep the handles in a Vec, then `join()` each and add its map into the total \
         (`*total.entry(word).or_insert(0) += n`). Round the chunk size up (`div_ceil`) and never let it be 0.",
            "`lines.chunks(n)` gives the chunks; inside `thread::scope(|s| ...)`, `s.spawn(move || count(chunk))` \
         may borrow the chunk. Keep the handles in a Vec, then `join()` each and add its map into the total \
         (`*total.entry(word).or_insert(0) += n`). Round the chunk size up (`div_ceil`) and never let it be 0.",
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
            // Steps 1 (where to look) and 2 (the idea) are still to write;
            // step 3 is the shape of the fix.
            "map_in_order: `items.par_iter().map(f).collect()` (use rayon::prelude::*). in_completion_order: \
         `let (tx, rx) = mpsc::channel()`; in a `thread::scope`, spawn one thread per delay with its own \
         `tx.clone()`; drop the original `tx`, then `rx.iter().collect()` ends when the last thread is done.",
            "map_in_order: `items.par_iter().map(f).collect()` (use rayon::prelude::*). in_completion_order: \
         `let (tx, rx) = mpsc::channel()`; in a `thread::scope`, spawn one thread per delay with its own \
         `tx.clone()`; drop the original `tx`, then `rx.iter().collect()` ends when the last thread is done.",
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
            // Steps 1 (where to look) and 2 (the idea) are still to write;
            // step 3 is the shape of the fix.
            "A load followed by a store is two steps; another thread can run between them. `fetch_add(1, ..)` \
         does both at once. For take_ticket, `fetch_update(.., |taken| (taken < limit).then_some(taken + 1))` \
         retries until its check and its update happen atomically together.",
            "A load followed by a store is two steps; another thread can run between them. `fetch_add(1, ..)` \
         does both at once. For take_ticket, `fetch_update(.., |taken| (taken < limit).then_some(taken + 1))` \
         retries until its check and its update happen atomically together.",
            "A load followed by a store is two steps; another thread can run between them. `fetch_add(1, ..)` \
         does both at once. For take_ticket, `fetch_update(.., |taken| (taken < limit).then_some(taken + 1))` \
         retries until its check and its update happen atomically together.",
        ],
    },
];
