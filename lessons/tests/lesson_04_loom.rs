//! Lesson 04's memory-ordering claim, checked with loom: publishing data
//! behind a `Relaxed` flag is broken (loom finds an execution where the
//! reader sees the flag but not the data), and `Release`/`Acquire` fixes it
//! (loom explores every execution and finds none). The `memory_ordering`
//! demo runs these same checks in front of the learner.
#[path = "../src/bin/04_synchronization/ordering.rs"]
#[allow(dead_code)]
mod ordering;

use ordering::{Verdict, check_publish};
use std::sync::atomic::Ordering::{Acquire, Relaxed, Release, SeqCst};

#[test]
fn loom_finds_the_relaxed_publish_bug() {
    match check_publish(Relaxed, Relaxed) {
        Verdict::Broken { message, .. } => assert!(
            message.contains("saw ready = true but data = 0"),
            "loom failed the model for another reason: {message}"
        ),
        Verdict::Holds { executions } => {
            panic!("loom explored {executions} executions and missed the Relaxed publish bug")
        }
    }
}

#[test]
fn release_acquire_publish_holds_in_every_execution() {
    match check_publish(Release, Acquire) {
        Verdict::Holds { executions } => assert!(executions > 1, "{executions} executions"),
        Verdict::Broken { message, .. } => panic!("Release/Acquire broken: {message}"),
    }
}

#[test]
fn release_alone_is_not_enough_the_load_must_acquire() {
    assert!(matches!(
        check_publish(Release, Relaxed),
        Verdict::Broken { .. }
    ));
    assert!(matches!(
        check_publish(SeqCst, SeqCst),
        Verdict::Holds { .. }
    ));
}
