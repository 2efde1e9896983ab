//! The watchdog's view for the `deadlock` demo: which thread holds which lock
//! and which lock each thread waits on (a "wait-for graph"). A deadlock is a
//! cycle in it: thread-a waits on a lock held by thread-b, which waits on a
//! lock held by thread-a.
//!
//! Databases keep exactly this table and break cycles by picking a victim
//! that rolls back; the demo does the same. `transfer_or_back_off` is the
//! transfer each thread makes, writing what it holds and waits on here.
use super::helpers::lock;
use std::collections::{BTreeMap, HashMap};
use std::sync::{Barrier, Mutex, TryLockError};
use std::thread;
use std::time::{Duration, Instant};
use tracing::info_span;

#[derive(Default)]
pub struct WaitFor {
    /// lock name → the thread holding it
    holder: HashMap<&'static str, String>,
    /// thread name → the lock it waits on
    waiting: BTreeMap<String, &'static str>,
    /// a thread the watchdog asked to back off
    pub victim: Option<String>,
}

/// One link of a cycle: `thread` holds `holds` and waits on `waits_on`.
pub struct Link {
    pub thread: String,
    pub holds: &'static str,
    pub waits_on: &'static str,
}

impl WaitFor {
    pub fn took(&mut self, thread: &str, lock: &'static str) {
        self.holder.insert(lock, thread.to_string());
    }

    pub fn released(&mut self, lock: &'static str) {
        self.holder.remove(lock);
    }

    pub fn waits(&mut self, thread: &str, lock: &'static str) {
        self.waiting.insert(thread.to_string(), lock);
    }

    pub fn stopped_waiting(&mut self, thread: &str) {
        self.waiting.remove(thread);
    }

    /// Follows "waits on → held by" from each waiting thread (in name
    /// order); a path that comes back to where it started is a deadlock.
    pub fn find_cycle(&self) -> Option<Vec<Link>> {
        for start in self.waiting.keys() {
            let mut path: Vec<&str> = vec![start];
            let mut current: &str = start;
            while let Some(holder) = self
                .waiting
                .get(current)
                .and_then(|lock| self.holder.get(lock))
            {
                if holder == start {
                    return Some(path.iter().map(|t| self.link(t)).collect());
                }
                if path.contains(&holder.as_str()) {
                    break;
                }
                path.push(holder);
                current = holder;
            }
        }
        None
    }

    fn link(&self, thread: &str) -> Link {
        let waits_on = self.waiting[thread];
        let holds = self
            .holder
            .iter()
            .find(|(lock, holder)| holder.as_str() == thread && **lock != waits_on)
            .map_or("nothing", |(lock, _)| *lock);
        Link {
            thread: thread.to_string(),
            holds,
            waits_on,
        }
    }
}

/// "thread-a holds lock A and waits on lock B; thread-b holds lock B and waits on lock A"
pub fn describe(cycle: &[Link]) -> String {
    cycle
        .iter()
        .map(|l| format!("{} holds {} and waits on {}", l.thread, l.holds, l.waits_on))
        .collect::<Vec<_>>()
        .join("; ")
}

/// An account with its own lock; `lock_name` names the lock in the table.
pub struct Account {
    pub lock_name: &'static str,
    pub balance: Mutex<i64>,
}

/// Takes `from`'s lock, then tries for `to`'s until the watchdog names this
/// thread as the victim or 2 s pass; on giving up it releases `from`.
pub fn transfer_or_back_off(
    from: &Account,
    to: &Account,
    amount: i64,
    table: &Mutex<WaitFor>,
    barrier: Option<&Barrier>,
) -> Result<(), ()> {
    let me = thread::current().name().unwrap_or("?").to_string();
    let mut source = lock(&from.balance, from.lock_name);
    table.lock().expect("no panic").took(&me, from.lock_name);
    let _held = info_span!("holding", lock = from.lock_name).entered();
    if let Some(barrier) = barrier {
        let _waiting =
            info_span!("barrier", waiting_on = "the other thread's first lock").entered();
        barrier.wait(); // both now hold their first lock: the deadlock is certain
    }
    table.lock().expect("no panic").waits(&me, to.lock_name);
    let deadline = Instant::now() + Duration::from_secs(2);
    let target = {
        let _waiting = info_span!("lock", waiting_on = to.lock_name).entered();
        loop {
            match to.balance.try_lock() {
                Ok(guard) => break Some(guard),
                Err(TryLockError::Poisoned(poisoned)) => break Some(poisoned.into_inner()),
                Err(TryLockError::WouldBlock) => {}
            }
            let victim = table.lock().expect("no panic").victim.as_deref() == Some(me.as_str());
            if victim || Instant::now() >= deadline {
                break None;
            }
            thread::sleep(Duration::from_millis(1));
        }
    };
    let mut table = table.lock().expect("no panic");
    table.stopped_waiting(&me);
    let Some(mut target) = target else {
        table.victim = None;
        table.released(from.lock_name);
        return Err(()); // `source` is dropped on return: lock released
    };
    table.took(&me, to.lock_name);
    *source -= amount;
    *target += amount;
    table.released(to.lock_name);
    table.released(from.lock_name);
    Ok(())
}
