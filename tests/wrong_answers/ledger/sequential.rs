//! WRONG: one thread: the sequential loop (right balances, the fraud check never runs in parallel).
//! # ledger · lesson 06 · fix a parallel sum that counts the opening twice (P2, T6)
//!
//! [`closing_balances`] applies a day's transfers to the opening balances
//! of the accounts. Every transfer first goes through a fraud check
//! (`is_allowed`, slow, so the transfers are checked in parallel with
//! rayon); a refused transfer is skipped. The result must be exactly what
//! applying the allowed transfers one by one gives (see
//! [`closing_balances_sequential`]).
//!
//! The symptom: on a pool of one thread the balances are right. On several
//! threads they come out too high, by an amount that changes from run to
//! run, and that grows with the number of threads. Why does the parallel
//! version count something more than once?
//!
//! Check it: `cargo run -- check ledger`
use rayon::prelude::*;
use std::collections::HashMap;

/// An account number.
pub type Account = u32;

/// Money moving from one account to another, in cents.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Transfer {
    pub from: Account,
    pub to: Account,
    pub cents: i64,
}

/// The balances after the allowed transfers, one by one.
pub fn closing_balances_sequential(
    opening: &HashMap<Account, i64>,
    transfers: &[Transfer],
    is_allowed: impl Fn(&Transfer) -> bool,
) -> HashMap<Account, i64> {
    let mut balances = opening.clone();
    for transfer in transfers.iter().filter(|t| is_allowed(t)) {
        apply(&mut balances, transfer);
    }
    balances
}

/// The same, with the transfers checked (and summed) in parallel.
pub fn closing_balances(
    opening: &HashMap<Account, i64>,
    transfers: &[Transfer],
    is_allowed: impl Fn(&Transfer) -> bool + Sync,
) -> HashMap<Account, i64> {
    closing_balances_sequential(opening, transfers, is_allowed)
}

fn apply(balances: &mut HashMap<Account, i64>, transfer: &Transfer) {
    *balances.entry(transfer.from).or_default() -= transfer.cents;
    *balances.entry(transfer.to).or_default() += transfer.cents;
}

/// Adds `b`'s amounts into `a`.
fn merge(mut a: HashMap<Account, i64>, b: HashMap<Account, i64>) -> HashMap<Account, i64> {
    for (account, cents) in b {
        *a.entry(account).or_default() += cents;
    }
    a
}
