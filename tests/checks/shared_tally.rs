use super::within;
use crate::ex::shared_tally::{Tally, tally_documents};
use std::marker::PhantomData;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

/// Tells at run time whether a type is `Send` and `Sync`, so that this file
/// still compiles while `Tally` is neither: the inherent consts apply only
/// when the bound holds, otherwise the trait's `false` is used.
struct Probe<T>(PhantomData<T>);
trait NotSendOrSync {
    const SEND: bool = false;
    const SYNC: bool = false;
}
impl<T> NotSendOrSync for Probe<T> {}
impl<T: Send> Probe<T> {
    const SEND: bool = true;
}
impl<T: Sync> Probe<T> {
    const SYNC: bool = true;
}

// The probe's answers are constants, decided by the compiler: that is the point.
#[allow(clippy::assertions_on_constants)]
#[test]
fn the_probe_tells_send_and_sync_apart() {
    isolated!();
    assert!(!Probe::<std::rc::Rc<u8>>::SEND && !Probe::<std::rc::Rc<u8>>::SYNC);
    assert!(Probe::<std::cell::Cell<u8>>::SEND && !Probe::<std::cell::Cell<u8>>::SYNC);
    assert!(Probe::<std::sync::Arc<u8>>::SEND && Probe::<std::sync::Arc<u8>>::SYNC);
}

#[allow(clippy::assertions_on_constants)]
#[test]
fn a_tally_can_be_sent_to_and_shared_between_threads() {
    isolated!();
    assert!(
        Probe::<Tally>::SEND,
        "Tally is not Send: the compiler refuses to move one to another thread"
    );
    assert!(
        Probe::<Tally>::SYNC,
        "Tally is not Sync: the compiler refuses to let two threads use one through `&Tally`"
    );
}

#[test]
fn a_clone_shares_the_counts() {
    isolated!();
    let tally = Tally::new();
    let other = tally.clone();
    other.add("shared");
    other.add("shared");
    tally.add("shared");
    assert_eq!(
        (tally.count("shared"), other.count("shared")),
        (3, 3),
        "(original, clone) counts after 1 add on the original and 2 on the clone"
    );
    assert_eq!(tally.total(), 3);
}

fn document(index: usize) -> String {
    // Every document has "common" 50 times and its own word `index + 1` times.
    let own = format!("doc{index} ").repeat(index + 1);
    format!("{own}{}", "common\n".repeat(50))
}

// The checks build and read each Tally inside `within`'s closure and send
// back plain numbers, so this file compiles while a Tally cannot cross threads.

#[test]
fn every_word_of_every_document_reaches_the_callers_tally() {
    isolated!();
    let documents = 40;
    let (common, own, total) = within(
        Duration::from_secs(5),
        "tally_documents did not return",
        move || {
            let tally = Tally::new();
            tally.add("common"); // counted before: must stay
            tally_documents(documents, document, &tally);
            let own: Vec<u64> = [0, 7, 39]
                .iter()
                .map(|i| tally.count(&format!("doc{i}")))
                .collect();
            (tally.count("common"), own, tally.total())
        },
    );
    assert_eq!(
        common,
        50 * documents as u64 + 1,
        "\"common\" appears 50 times in each of {documents} documents and was counted once before"
    );
    assert_eq!(
        own,
        vec![1, 8, 40],
        "counts of doc0, doc7 and doc39 (each appears index + 1 times)"
    );
    let own_total: u64 = (1..=documents as u64).sum();
    assert_eq!(
        total,
        50 * documents as u64 + 1 + own_total,
        "total words counted"
    );
}

#[test]
fn many_threads_counting_at_once_lose_nothing() {
    isolated!();
    let counted = within(
        Duration::from_secs(8),
        "tally_documents did not return",
        || {
            let tally = Tally::new();
            tally_documents(32, |_| "w ".repeat(5_000), &tally);
            tally.count("w")
        },
    );
    assert_eq!(
        counted,
        32 * 5_000,
        "32 documents of 5,000 words each: counts were lost"
    );
}

#[test]
fn the_documents_load_at_the_same_time() {
    isolated!();
    let documents = 8;
    let (peak, loaded) = within(
        Duration::from_secs(5),
        "tally_documents did not return",
        move || {
            let in_flight = AtomicUsize::new(0);
            let peak = AtomicUsize::new(0);
            let tally = Tally::new();
            tally_documents(
                documents,
                |index| {
                    let now = in_flight.fetch_add(1, Ordering::SeqCst) + 1;
                    peak.fetch_max(now, Ordering::SeqCst);
                    std::thread::sleep(Duration::from_millis(200));
                    in_flight.fetch_sub(1, Ordering::SeqCst);
                    format!("loaded{index}")
                },
                &tally,
            );
            (peak.into_inner(), tally.total())
        },
    );
    assert_eq!(loaded, documents as u64, "words of the loaded documents");
    assert!(
        peak >= documents / 2,
        "at most {peak} of {documents} slow loads (200 ms each) were in progress at once: \
         they ran one after another"
    );
}
