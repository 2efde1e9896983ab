use super::{LIMIT, within};
use crate::ex::ledger::{Account, Transfer, closing_balances};
use std::collections::{BTreeMap, HashMap};
use std::sync::Mutex;
use std::thread::ThreadId;

/// A day of transfers between 40 accounts, from a fixed seed.
fn day() -> (HashMap<Account, i64>, Vec<Transfer>) {
    let mut state: u64 = 0x2545_f491_4f6c_dd1d;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let opening = (0..40).map(|a| (a, 1_000_000 + a as i64 * 1_000)).collect();
    let transfers = (0..20_000)
        .map(|_| Transfer {
            from: (next() % 40) as Account,
            to: (next() % 40) as Account,
            cents: (next() % 50_000) as i64 + 1,
        })
        .collect();
    (opening, transfers)
}

/// The expected balances, computed here one transfer at a time.
fn expected(
    opening: &HashMap<Account, i64>,
    transfers: &[Transfer],
    allowed: impl Fn(&Transfer) -> bool,
) -> BTreeMap<Account, i64> {
    let mut balances: BTreeMap<Account, i64> = opening.iter().map(|(a, c)| (*a, *c)).collect();
    for t in transfers.iter().filter(|t| allowed(t)) {
        *balances.entry(t.from).or_default() -= t.cents;
        *balances.entry(t.to).or_default() += t.cents;
    }
    balances
}

/// Refuses transfers of a multiple of 7 cents.
fn fraud_check(t: &Transfer) -> bool {
    t.cents % 7 != 0
}

fn sorted(balances: HashMap<Account, i64>) -> BTreeMap<Account, i64> {
    balances.into_iter().collect()
}

#[test]
fn equals_the_sequential_result_on_several_threads() {
    isolated!();
    let (opening, transfers) = day();
    let want = expected(&opening, &transfers, fraud_check);
    let runs = within(LIMIT, "closing_balances never returned", move || {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(4)
            .build()
            .expect("a rayon pool");
        (0..5)
            .map(|_| sorted(pool.install(|| closing_balances(&opening, &transfers, fraud_check))))
            .collect::<Vec<_>>()
    });
    let total: i64 = want.values().sum();
    for got in runs {
        let got_total: i64 = got.values().sum();
        let wrong = want
            .iter()
            .filter(|(account, cents)| got.get(account) != Some(cents))
            .count();
        assert!(
            wrong == 0 && got.len() == want.len(),
            "on 4 threads, {wrong} of {} accounts closed with the wrong balance; \
             the money in all accounts adds up to {got_total} cents instead of {total} \
             (transfers only move money, so the total cannot change)",
            want.len()
        );
    }
}

#[test]
fn the_fraud_check_runs_on_several_threads() {
    isolated!();
    let (opening, transfers) = day();
    let threads = within(LIMIT, "closing_balances never returned", move || {
        let seen: Mutex<Vec<ThreadId>> = Mutex::new(Vec::new());
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(4)
            .build()
            .expect("a rayon pool");
        pool.install(|| {
            closing_balances(&opening, &transfers, |t| {
                let me = std::thread::current().id();
                let mut seen = seen.lock().unwrap();
                if !seen.contains(&me) {
                    seen.push(me);
                }
                drop(seen);
                // Now and then a slow check, as real ones are: time for
                // the pool's other threads to take a share of the work.
                if t.cents % 20 == 0 {
                    std::thread::sleep(std::time::Duration::from_micros(200));
                }
                fraud_check(t)
            })
        });
        seen.into_inner().unwrap().len()
    });
    assert!(
        threads >= 2,
        "the fraud check of 20000 transfers ran on {threads} thread of a rayon pool of 4"
    );
}

#[test]
fn no_transfers_leave_the_opening_balances() {
    isolated!();
    let (opening, _) = day();
    let got = within(LIMIT, "closing_balances never returned", move || {
        sorted(closing_balances(&opening, &[], fraud_check))
    });
    let (opening, _) = day();
    assert_eq!(got, sorted(opening), "a day without transfers");
}
