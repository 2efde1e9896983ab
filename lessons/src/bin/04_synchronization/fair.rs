//! A first-come, first-served mutex for the `starvation` demo.
//!
//! `std::sync::Mutex` makes no promise about who gets the lock next, and on
//! Linux a thread that unlocks and locks again at once usually wins over a
//! thread that has been asleep waiting: waking up takes microseconds,
//! relocking takes nanoseconds. A ticket lock fixes the order: each caller
//! takes a numbered ticket and waits until that number is served, like the
//! queue at a deli counter. The price is a wake-up on every hand-over.
use std::ops::{Deref, DerefMut};
use std::sync::{Condvar, Mutex, MutexGuard};

pub struct FairMutex<T> {
    /// (next ticket to hand out, ticket being served)
    tickets: Mutex<(u64, u64)>,
    turn: Condvar,
    data: Mutex<T>,
}

pub struct FairGuard<'a, T> {
    lock: &'a FairMutex<T>,
    data: Option<MutexGuard<'a, T>>,
}

impl<T> FairMutex<T> {
    pub fn new(value: T) -> Self {
        FairMutex {
            tickets: Mutex::new((0, 0)),
            turn: Condvar::new(),
            data: Mutex::new(value),
        }
    }

    pub fn lock(&self) -> FairGuard<'_, T> {
        let mut tickets = self.tickets.lock().expect("ticket counter poisoned");
        let mine = tickets.0;
        tickets.0 += 1;
        while tickets.1 != mine {
            tickets = self.turn.wait(tickets).expect("ticket counter poisoned");
        }
        drop(tickets);
        // Only the holder of the served ticket gets here, so this never waits.
        let data = self.data.lock().expect("data poisoned");
        FairGuard {
            lock: self,
            data: Some(data),
        }
    }
}

impl<T> Deref for FairGuard<'_, T> {
    type Target = T;
    fn deref(&self) -> &T {
        self.data.as_ref().expect("guard is live")
    }
}

impl<T> DerefMut for FairGuard<'_, T> {
    fn deref_mut(&mut self) -> &mut T {
        self.data.as_mut().expect("guard is live")
    }
}

impl<T> Drop for FairGuard<'_, T> {
    fn drop(&mut self) {
        // Unlock the data first, then call the next ticket.
        self.data = None;
        let mut tickets = self
            .lock
            .tickets
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        tickets.1 += 1;
        drop(tickets);
        self.lock.turn.notify_all();
    }
}
