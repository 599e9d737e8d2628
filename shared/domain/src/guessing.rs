//! Password guessing limits (issue 7, item 4). Failed logins are counted per
//! account (by address) and per source address. The first few of each are
//! free; after that each failure locks the key for a delay that doubles with
//! every further failure, up to a cap, and a login while locked is refused
//! with the time left, before any password is checked. A success forgets
//! the account's count; a source address's count is forgotten only after a
//! quiet period, so a guesser cannot clear it by logging into an account of
//! their own between guesses.

use serde::{Deserialize, Serialize};

use crate::settings::GuessingSettings;
use crate::{Error, Limit};

/// What is counted: one account's address, or one source address.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Counted {
    Account,
    Source,
}

/// The failures counted against one key.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Failures {
    pub count: u32,
    /// Unix seconds; no login of this key before then.
    #[serde(default)]
    pub locked_until: i64,
}

impl GuessingSettings {
    fn free(&self, what: Counted) -> u32 {
        match what {
            Counted::Account => self.free_failures_per_account,
            Counted::Source => self.free_failures_per_source,
        }
    }

    /// How long the `count`-th failure of a key locks it (0: not at all).
    pub fn delay_secs(&self, what: Counted, count: u32) -> u64 {
        let free = self.free(what);
        if count <= free {
            return 0;
        }
        let doublings = (count - free - 1).min(32);
        self.base_delay_secs
            .saturating_mul(1u64 << doublings)
            .min(self.max_delay_secs)
    }

    /// The lock the `count`-th failure at `now` sets, if any.
    pub fn locked_until(&self, what: Counted, count: u32, now: i64) -> Option<i64> {
        match self.delay_secs(what, count) {
            0 => None,
            d => Some(now + d as i64),
        }
    }

    /// How long a count is kept after its last failure, in seconds.
    pub fn memory_secs(&self) -> i64 {
        self.forget_after_hours as i64 * 3600
    }
}

/// `LoginLocked` with the time left, when `f` is locked at `now`.
pub fn check(f: &Failures, now: i64) -> Result<(), Error> {
    if f.locked_until > now {
        let secs = (f.locked_until - now) as u64;
        return Err(Error::OverLimit(Limit::LoginLocked {
            retry_after_secs: secs,
        }));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delays_start_after_the_free_failures_and_double_up_to_the_cap() {
        let s = GuessingSettings::default();
        let free = s.free_failures_per_account;
        assert_eq!(s.delay_secs(Counted::Account, free), 0);
        assert_eq!(s.delay_secs(Counted::Account, free + 1), s.base_delay_secs);
        assert_eq!(s.delay_secs(Counted::Account, free + 2), 2 * s.base_delay_secs);
        assert_eq!(s.delay_secs(Counted::Account, free + 3), 4 * s.base_delay_secs);
        assert_eq!(s.delay_secs(Counted::Account, 10_000), s.max_delay_secs);
        assert_eq!(
            s.delay_secs(Counted::Source, free + 1),
            0,
            "a source gets more free tries"
        );
    }

    #[test]
    fn a_locked_key_is_refused_with_the_time_left() {
        let f = Failures {
            count: 9,
            locked_until: 110,
        };
        match check(&f, 100) {
            Err(Error::OverLimit(Limit::LoginLocked { retry_after_secs: 10 })) => {}
            other => panic!("{other:?}"),
        }
        assert!(check(&f, 110).is_ok());
    }
}
