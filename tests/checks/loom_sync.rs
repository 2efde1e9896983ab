//! `crate::sync` for the loom models: loom's types, plus what loom's
//! `Condvar` lacks and `std`'s has (`wait_while`), so that an answer written
//! with `std::sync::Condvar::wait_while` compiles and is modelled too.
pub use loom::sync::*;

use std::sync::LockResult;

/// loom's `Condvar` with `std`'s `wait_while`.
#[derive(Debug, Default)]
pub struct Condvar(loom::sync::Condvar);

impl Condvar {
    pub fn new() -> Self {
        Self(loom::sync::Condvar::new())
    }

    pub fn wait<'a, T>(&self, guard: MutexGuard<'a, T>) -> LockResult<MutexGuard<'a, T>> {
        self.0.wait(guard)
    }

    /// Waits while `condition` holds, looking again after every wake-up,
    /// as `std::sync::Condvar::wait_while` does.
    pub fn wait_while<'a, T>(
        &self,
        mut guard: MutexGuard<'a, T>,
        mut condition: impl FnMut(&mut T) -> bool,
    ) -> LockResult<MutexGuard<'a, T>> {
        while condition(&mut *guard) {
            guard = self.0.wait(guard)?;
        }
        Ok(guard)
    }

    pub fn notify_one(&self) {
        self.0.notify_one();
    }

    pub fn notify_all(&self) {
        self.0.notify_all();
    }
}
