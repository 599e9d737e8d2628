//! Asking for an archived original back (M32). S3's `RestoreObject` makes
//! a temporary copy of an original in the archive class readable for some
//! days (Deep Archive: within 12 hours at the `Standard` tier, 48 at
//! `Bulk`); when S3 says it is ready (`s3:ObjectRestore:Completed`), the
//! owner is emailed once, and the image's URLs include its original until
//! the copy expires. The original stays in the archive class, and billed
//! at the archive rate, throughout.
//!
//! An image's `archive.restore` records the ask: when, for how many days,
//! and the owner's address then (so the "ready" email needs no other
//! read); S3's answer fills `ready_at` and `until`.

use serde::{Deserialize, Serialize};

use crate::account::Email;
use crate::when::Timestamp;
use crate::{Error, Problem};

/// The most days a restored copy may be kept readable.
pub const MAX_RESTORE_DAYS: u32 = 30;

/// The retrieval tiers `archive.restore_tier` may name (Deep Archive has
/// no `Expedited`).
pub const RESTORE_TIERS: [&str; 2] = ["Standard", "Bulk"];

/// An archived original's restore: asked, then ready until it expires.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Restore {
    pub requested_at: Timestamp,
    /// Days the copy stays readable once ready.
    pub days: u32,
    /// Where the "ready" email goes: the owner's address when they asked.
    pub email: Email,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ready_at: Option<Timestamp>,
    /// Until when the copy is readable (S3's `expiry-date`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub until: Option<Timestamp>,
}

/// Where a restore stands at a moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum RestoreState {
    /// Asked; S3 is bringing the copy back.
    Restoring,
    /// The copy is readable: the image's URLs include its original.
    Restored,
    /// The copy expired: ask again to read the original.
    Expired,
}

impl Restore {
    /// A restore asked at `now` for `days`, the ready email to `email`.
    pub fn asked(now: Timestamp, days: u32, email: Email) -> Self {
        Self {
            requested_at: now,
            days,
            email,
            ready_at: None,
            until: None,
        }
    }

    pub fn state(&self, now: Timestamp) -> RestoreState {
        match (&self.ready_at, &self.until) {
            (Some(_), Some(until)) if until.unix() <= now.unix() => RestoreState::Expired,
            (Some(_), _) => RestoreState::Restored,
            _ => RestoreState::Restoring,
        }
    }

    /// Whether the original can be read at `now`.
    pub fn readable(&self, now: Timestamp) -> bool {
        self.state(now) == RestoreState::Restored
    }
}

/// The days a customer asks for: `asked`, or the operator's default; 1 to
/// [`MAX_RESTORE_DAYS`].
pub fn restore_days(asked: Option<u32>, default: u32) -> Result<u32, Error> {
    let days = asked.unwrap_or(default);
    if (1..=MAX_RESTORE_DAYS).contains(&days) {
        Ok(days)
    } else {
        Err(Error::invalid(
            "days",
            Problem::Range {
                min: 1,
                max: i64::from(MAX_RESTORE_DAYS),
            },
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_restore_is_restoring_then_readable_until_it_expires() {
        let t0: Timestamp = "2027-03-01T00:00:00Z".parse().unwrap();
        let at = |h: i64| Timestamp::at(t0.time() + time::Duration::hours(h));
        let email = Email::parse("ann@example.com").unwrap();
        let mut r = Restore::asked(t0, 3, email);
        assert_eq!(r.state(at(1)), RestoreState::Restoring);
        assert!(!r.readable(at(1)));
        r.ready_at = Some(at(12));
        r.until = Some(at(12 + 72));
        assert_eq!(r.state(at(13)), RestoreState::Restored);
        assert!(r.readable(at(83)));
        assert_eq!(r.state(at(84)), RestoreState::Expired);
        assert_eq!(restore_days(None, 7).unwrap(), 7);
        assert_eq!(restore_days(Some(30), 7).unwrap(), 30);
        for bad in [0, 31, 10_000] {
            assert!(restore_days(Some(bad), 7).is_err(), "{bad}");
        }
    }
}
