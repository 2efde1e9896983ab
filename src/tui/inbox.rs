//! Tickets for background jobs that can be called off. Every job of the TUI
//! (a run's events, highlighting, a check, the benchmark, opening a past
//! run, pruning, reading a file) posts what it finished to the loop's one
//! channel as an [`Event::Done`](super::app::Event); a job the app may drop
//! before it ends (opening a run, measuring) carries a [`Ticket`], so a late
//! message from a job that was called off is told apart from the one the app
//! waits for, and the job itself stops posting.
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Weak};

/// Held by the app while it wants a job's results; dropping it calls the
/// job off.
#[derive(Debug)]
pub struct Ticket {
    id: u64,
    _held: Arc<()>,
}

/// The job's side of a [`Ticket`]: its id, and whether it is still wanted.
#[derive(Debug, Clone)]
pub struct Stub {
    pub id: u64,
    held: Weak<()>,
}

impl Ticket {
    pub fn new() -> (Ticket, Stub) {
        static NEXT: AtomicU64 = AtomicU64::new(1);
        let id = NEXT.fetch_add(1, Ordering::Relaxed);
        let held = Arc::new(());
        let stub = Stub {
            id,
            held: Arc::downgrade(&held),
        };
        (Ticket { id, _held: held }, stub)
    }

    pub fn id(&self) -> u64 {
        self.id
    }
}

impl Stub {
    /// Whether the app still holds the ticket.
    pub fn wanted(&self) -> bool {
        self.held.strong_count() > 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_dropped_ticket_calls_the_job_off_and_ids_differ() {
        let (ticket, stub) = Ticket::new();
        let (other, _) = Ticket::new();
        assert_ne!(ticket.id(), other.id());
        assert_eq!(stub.id, ticket.id());
        assert!(stub.wanted());
        drop(ticket);
        assert!(!stub.wanted());
    }
}
