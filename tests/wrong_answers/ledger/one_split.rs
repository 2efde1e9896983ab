//! WRONG: keeps the opening balances as the fold's identity and stops rayon from splitting (`with_min_len` of the whole slice): the balances are right, but the whole day, fraud checks included, runs as one piece on one thread: the checks must see the fraud check on one thread only.
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
    // One split only (with_min_len of the whole slice): the fold's
    // identity, the opening balances, is then used exactly once.
    transfers
        .par_iter()
        .with_min_len(transfers.len().max(1))
        .filter(|t| is_allowed(t))
        .fold(
            || opening.clone(),
            |mut balances, transfer| {
                apply(&mut balances, transfer);
                balances
            },
        )
        .collect::<Vec<_>>()
        .pop()
        .unwrap_or_else(|| opening.clone())
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
