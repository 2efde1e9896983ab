//! Lesson 04's exercises, in the order a learner meets them.
use super::ExerciseInfo;

pub(super) const EXERCISES: &[ExerciseInfo] = &[
    exercise! {
        lesson: 4,
        file: "04_philosophers.rs",
        name: "philosophers",
        title: "Fix the dining philosophers' deadlock (S6)",
        kind: FixTheBug,
        difficulty: 2,
        minutes: 15,
        is_async: false,
        hints: [
            // Steps 1 (where to look) and 2 (the idea) are still to write;
            // step 3 is the shape of the fix.
            "Return the two forks as (smaller number, larger number): `(left.min(right), left.max(right))`. \
         Every philosopher then locks in the same global order, and the last one reaches for fork 0 first.",
            "Return the two forks as (smaller number, larger number): `(left.min(right), left.max(right))`. \
         Every philosopher then locks in the same global order, and the last one reaches for fork 0 first.",
            "Return the two forks as (smaller number, larger number): `(left.min(right), left.max(right))`. \
         Every philosopher then locks in the same global order, and the last one reaches for fork 0 first.",
        ],
    },
    exercise! {
        lesson: 4,
        file: "04_bounded_buffer.rs",
        name: "bounded_buffer",
        title: "Fix a lost wake-up in a bounded buffer (S3)",
        kind: FixTheBug,
        difficulty: 1,
        minutes: 15,
        is_async: false,
        hints: [
            // Steps 1 (where to look) and 2 (the idea) are still to write;
            // step 3 is the shape of the fix.
            "Change both `if` to `while`: after `wait` returns, look at the condition again before going on. \
         `Condvar::wait_while(guard, |items| items.is_empty())` is the same loop written for you.",
            "Change both `if` to `while`: after `wait` returns, look at the condition again before going on. \
         `Condvar::wait_while(guard, |items| items.is_empty())` is the same loop written for you.",
            "Change both `if` to `while`: after `wait` returns, look at the condition again before going on. \
         `Condvar::wait_while(guard, |items| items.is_empty())` is the same loop written for you.",
        ],
    },
    exercise! {
        lesson: 4,
        file: "04_semaphore.rs",
        name: "semaphore",
        title: "A counting semaphore from Mutex and Condvar (S2)",
        kind: BuildFromSpec,
        difficulty: 2,
        minutes: 20,
        is_async: false,
        hints: [
            // Steps 1 (where to look) and 2 (the idea) are still to write;
            // step 3 is the shape of the fix.
            "acquire: lock `free`; `while *free == 0 { free = self.released.wait(free).unwrap(); }`; \
         `*free -= 1`; return `Permit { semaphore: self }`. Drop for Permit: add one under the lock, then \
         `notify_one()`. available: read the count under the lock.",
            "acquire: lock `free`; `while *free == 0 { free = self.released.wait(free).unwrap(); }`; \
         `*free -= 1`; return `Permit { semaphore: self }`. Drop for Permit: add one under the lock, then \
         `notify_one()`. available: read the count under the lock.",
            "acquire: lock `free`; `while *free == 0 { free = self.released.wait(free).unwrap(); }`; \
         `*free -= 1`; return `Permit { semaphore: self }`. Drop for Permit: add one under the lock, then \
         `notify_one()`. available: read the count under the lock.",
        ],
    },
];
