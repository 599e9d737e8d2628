//! The shared part of the in-memory ports that unit tests crash: a world
//! behind a lock, whose every port call is counted, and the call at a
//! chosen count fails before it writes anything.

use printvault_domain::Error;
use std::sync::{Mutex, MutexGuard};

/// A world that counts port calls.
pub(crate) trait Counts {
    /// Counts one call; `true` when it is the one that crashes.
    fn tick(&mut self) -> bool;
}

/// In-memory ports over a world `W`.
#[derive(Default)]
pub(crate) struct Fake<W>(pub Mutex<W>);

impl<W: Counts> Fake<W> {
    pub fn with<T>(&self, f: impl FnOnce(&mut W) -> T) -> T {
        f(&mut self.0.lock().unwrap())
    }

    /// The world, for one port call, unless this call crashes.
    pub fn call(&self, what: &str) -> Result<MutexGuard<'_, W>, Error> {
        let mut w = self.0.lock().unwrap();
        if w.tick() {
            return Err(anyhow::anyhow!("crashed before {what}").into());
        }
        Ok(w)
    }
}

/// Implements [`Counts`] for a world with `calls` and `crash_at_call`.
macro_rules! counts_calls {
    ($world:ty) => {
        impl $crate::crashing::Counts for $world {
            fn tick(&mut self) -> bool {
                self.calls += 1;
                self.crash_at_call == Some(self.calls)
            }
        }
    };
}
pub(crate) use counts_calls;
