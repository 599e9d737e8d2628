//! Storage billing (M23-M25): meters, invoices and their follow-up.
//!
//! - Each customer's [`Meter`] accrues byte-seconds from each image's
//!   upload (when it becomes ready) to its deletion.
//! - The billing sweep closes each month: its usage becomes an [`Invoice`]
//!   whose [`Charge`] is priced the way S3 bills, and earns storage points.
//! - An unpaid invoice is reminded of from its due date, and puts the
//!   customer in arrears `grace_days` later.

mod invoice;
mod meter;
mod month;

pub use invoice::{Charge, Invoice, InvoiceId, InvoiceStatus, Step};
pub use meter::{Change, CloseFirst, Meter, Tier, Usage};
pub use month::{day_of, day_start, day_str, parse_day, Month};

use crate::when::Timestamp;
use crate::SettingsError;
use serde::{Deserialize, Serialize};

/// Storage billing settings (M23-M25).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct BillingSettings {
    /// Yen per GiB-month stored (SPEC.md: ¥30).
    pub rate_yen_per_gib_month: u32,
    /// Yen per GiB-month of originals in the archive class (M32), after
    /// their disc is written. The default, ¥2, keeps S3's ratio: Glacier
    /// Deep Archive costs about a twelfth of Standard in Tokyo.
    pub archive_rate_yen_per_gib_month: u32,
    /// Storage points per GiB-month stored (M25; SPEC.md: 1).
    pub points_per_gib_month: u32,
    /// An invoice is due this many days after it is issued.
    pub due_days: u32,
    /// Unpaid this many days after its due date, the customer is in
    /// arrears (M24; SPEC.md: 14).
    pub grace_days: u32,
    /// From the due date, a reminder every this many days until arrears.
    pub reminder_every_days: u32,
}

impl Default for BillingSettings {
    fn default() -> Self {
        Self {
            rate_yen_per_gib_month: 30,
            archive_rate_yen_per_gib_month: 2,
            points_per_gib_month: 1,
            due_days: 14,
            grace_days: 14,
            reminder_every_days: 3,
        }
    }
}

impl BillingSettings {
    pub fn validate(&self) -> Result<(), SettingsError> {
        let ok = (1..=100_000).contains(&self.rate_yen_per_gib_month)
            && self.archive_rate_yen_per_gib_month <= self.rate_yen_per_gib_month
            && self.points_per_gib_month <= 100_000
            && (1..=90).contains(&self.due_days)
            && (1..=90).contains(&self.grace_days)
            && (1..=self.grace_days.max(1)).contains(&self.reminder_every_days);
        if ok {
            Ok(())
        } else {
            Err(SettingsError {
                field: "billing",
                rule: "billing.rate_yen_per_gib_month must be 1 to 100000, archive_rate_yen_per_gib_month at most rate_yen_per_gib_month, points_per_gib_month at most 100000, due_days and grace_days 1 to 90, and reminder_every_days 1 to grace_days".into(),
            })
        }
    }
}

/// Settings every sweep shares.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SweepSettings {
    /// Every run of the billing and retention sweeps reads this many days
    /// before its own again (their buckets are empty unless something was
    /// written into a recent day late), and the first run of any sweep
    /// (no watermark yet) starts this many days back. What fell due after
    /// a sweep's watermark is read however long ago: this is not a limit.
    pub catch_up_days: u32,
}

impl Default for SweepSettings {
    fn default() -> Self {
        Self { catch_up_days: 7 }
    }
}

impl SweepSettings {
    pub fn validate(&self) -> Result<(), SettingsError> {
        if self.catch_up_days <= 31 {
            Ok(())
        } else {
            Err(SettingsError {
                field: "sweeps",
                rule: "sweeps.catch_up_days must be at most 31".into(),
            })
        }
    }
}

/// Each day's (or month's) bucket of a due-date index is spread over this
/// many shards, so that no one day is a hot partition. A constant, not a
/// setting: items already written stay in the shard they were written to,
/// and a sweep must Query every shard they can be in.
pub const DUE_SHARDS: u32 = 8;

/// The shard of `key`'s items (a customer or image ID): FNV-1a.
pub fn due_shard(key: &str) -> u32 {
    let h = key.bytes().fold(2_166_136_261u32, |h, b| {
        (h ^ u32::from(b)).wrapping_mul(16_777_619)
    });
    h % DUE_SHARDS
}

/// The time a scheduled event (EventBridge) names: the sweeps' "now".
/// Anything else in the event is ignored.
#[derive(Debug, Clone, Deserialize)]
pub struct ScheduledEvent {
    pub time: Timestamp,
}

impl ScheduledEvent {
    /// The event's time.
    pub fn now(&self) -> time::OffsetDateTime {
        self.time.time()
    }
}

#[cfg(test)]
mod archive_tests;
#[cfg(test)]
mod tests;
