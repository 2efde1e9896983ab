//! Lesson 04's `compare_and_swap`: check-then-act made atomic without a
//! lock. A compare-and-swap (`compare_exchange`) writes the new value only
//! if the old one is still what this thread read; if another thread got in
//! between, it fails, returns the current value, and the loop tries again.
use std::sync::Barrier;
use std::sync::atomic::{AtomicU64, Ordering};
use std::thread;
use tracing::info_span;

pub const TICKETS: u64 = 200_000;
const BUYERS: u64 = 4;

/// Takes one ticket if any is left; returns whether it got one. `retries`
/// counts the compare-and-swaps that lost a race and had to try again.
fn take_ticket(sold: &AtomicU64, retries: &AtomicU64) -> bool {
    let mut current = sold.load(Ordering::Relaxed);
    loop {
        if current == TICKETS {
            return false; // the check...
        }
        // ...and the act, as one step: succeeds only if `sold` still holds
        // `current`. `_weak` may fail spuriously, which the loop absorbs.
        match sold.compare_exchange_weak(current, current + 1, Ordering::Relaxed, Ordering::Relaxed)
        {
            Ok(_) => return true,
            Err(now) => {
                retries.fetch_add(1, Ordering::Relaxed);
                current = now;
            }
        }
    }
}

/// Runs the sale: four buyers, started together, each taking tickets
/// until none is left.
/// Returns (tickets each buyer got, total retries).
pub fn sell() -> (Vec<u64>, u64) {
    let (sold, retries) = (AtomicU64::new(0), AtomicU64::new(0));
    let start_line = Barrier::new(BUYERS as usize);
    let waiting = info_span!("thread::scope", waiting_on = "buyers").entered();
    let got = thread::scope(|s| {
        let buyers: Vec<_> = (0..BUYERS)
            .map(|b| {
                let (sold, retries, start_line) = (&sold, &retries, &start_line);
                thread::Builder::new()
                    .name(format!("buyer-{b}"))
                    .spawn_scoped(s, move || {
                        start_line.wait(); // all four start together
                        let _work = info_span!("buy until sold out").entered();
                        let mut mine = 0;
                        while take_ticket(sold, retries) {
                            mine += 1;
                        }
                        mine
                    })
                    .expect("a thread")
            })
            .collect();
        buyers
            .into_iter()
            .map(|b| b.join().expect("no panic"))
            .collect::<Vec<u64>>()
    });
    drop(waiting);
    (got, retries.into_inner())
}

pub fn run() {
    let (got, retries) = sell();
    let total: u64 = got.iter().sum();
    println!(
        "{BUYERS} buyers, {TICKETS} tickets, a compare_exchange loop: sold {total} (never more), per buyer {got:?}"
    );
    println!(
        "  {retries} compare_exchange calls lost a race and retried (the count varies; each retry re-checks)"
    );
    // The same loop, written by the standard library.
    let sold = AtomicU64::new(TICKETS - 1);
    let take = |n: u64| (n < TICKETS).then_some(n + 1);
    let first = sold.fetch_update(Ordering::Relaxed, Ordering::Relaxed, take);
    let second = sold.fetch_update(Ordering::Relaxed, Ordering::Relaxed, take);
    println!(
        "fetch_update is this loop ready-made: last ticket {first:?}, after sold out {second:?}"
    );
}
