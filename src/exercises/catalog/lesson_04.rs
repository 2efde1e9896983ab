//! Lesson 04's exercises, in the order a learner meets them.
use super::ExerciseInfo;

pub(super) const EXERCISES: &[ExerciseInfo] = &[
    exercise! {
        lesson: 4,
        file: "04_budget.rs",
        name: "budget",
        title: "A lock-free budget: a compare-and-swap loop (S9)",
        kind: WarmUp,
        difficulty: 1,
        minutes: 10,
        is_async: false,
        hints: [
            "Only `try_take` is left to write. Between your load of `left` and your store, another thread \
             may take units: what you decided from the old value may no longer hold.",
            "Decide from the value you read, then write with `compare_exchange_weak(current, new, ..)`: it \
             stores only if `left` still holds `current`. If another thread got there first it fails and \
             returns the value it found; decide again from that one, in a loop.",
            "`loop { if current < units { return false; } match self.left.compare_exchange_weak(current, \
             current - units, Relaxed, Relaxed) { Ok(_) => return true, Err(found) => current = found } }` \
             (`fetch_update` is the same loop written for you).",
        ],
    },
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
    exercise! {
        lesson: 4,
        file: "04_relaxed_flag.rs",
        name: "relaxed_flag",
        title: "Fix a message read before it was written (S9)",
        kind: FixTheBug,
        difficulty: 2,
        minutes: 15,
        is_async: false,
        hints: [
            "Look at the `Ordering` of each atomic access in `send` and `try_receive`, and ask what each \
             one promises about the *other* variable.",
            "`Relaxed` makes one variable atomic and nothing more: the compiler and the CPU may make the \
             flag visible before the message. The flag must publish the message: the writer's store must \
             make its earlier writes visible to a reader whose load sees the flag up.",
            "Store the flag with `Ordering::Release` in `send` and load it with `Ordering::Acquire` in \
             `try_receive`: the pair orders the message before the flag. Both sides are needed.",
        ],
    },
    exercise! {
        lesson: 4,
        file: "04_reusable_barrier.rs",
        name: "reusable_barrier",
        title: "A barrier you can use round after round (S2, S3)",
        kind: Stretch,
        difficulty: 3,
        minutes: 30,
        is_async: false,
        hints: [
            "Keep the shared state in one `Mutex` (how many arrived) and wait on a `Condvar`. Start with \
             one round; then think of a thread that comes back for round 2 before the others woke up.",
            "A waiter cannot tell from the count whether its round ended: the last arrival resets it, and \
             fast threads raise it again. Give each round a number; the last arrival bumps it, and a \
             waiter waits until the number differs from the one it arrived in.",
            "`arrived += 1; if arrived == parties { arrived = 0; number += 1; notify_all(); return true } \
             let mine = number; while number == mine { guard = cvar.wait(guard) } false`.",
        ],
    },
];
