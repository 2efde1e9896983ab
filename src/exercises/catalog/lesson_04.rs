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
            "Only `forks_for` may change. When dinner hangs, every philosopher holds one fork: which one did each pick up first, and which one is each waiting for?",
            "A deadlock needs a circle of waiting: philosopher 0 waits for the fork 1 holds, 1 for the fork 2 holds, and so on round to the last, who waits for 0. If the philosophers do not all reach the same way round the table, that circle cannot close. A rule that breaks the symmetry for at least one philosopher, at every table size, is enough.",
            "Return the two forks as (smaller number, larger number): `(left.min(right), left.max(right))`. \
         Every philosopher then locks in the same global order, and the last one reaches for fork 0 first.",
        ],
    },
    exercise! {
        lesson: 4,
        file: "04_bounded_buffer.rs",
        name: "bounded_buffer",
        title: "Fix a bounded buffer that breaks with several consumers (S3)",
        kind: FixTheBug,
        difficulty: 1,
        minutes: 15,
        is_async: false,
        hints: [
            "Look at the two `wait` calls in `push` and `pop`, and at what the code assumes about the buffer on the line after each of them.",
            "Being woken means 'something changed', not 'the buffer is now as you need it'. Between the notify and the moment the woken thread holds the lock again, another thread may take the item or the free slot; and a condvar may wake a thread that nobody notified. After waking, look at the condition again, and wait again if it still holds.",
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
            "Four pieces: `acquire`, `try_acquire`, `available` and `Drop for Permit`. All of them lock `free`; only `acquire` waits, on `released`.",
            "Taking a permit is the count going down by one under the lock; giving it back is the count going up by one and waking one waiter. A waiter that wakes must look at the count again: another thread may have taken the permit first. try_acquire never waits: when the count is 0 it says so at once.",
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
