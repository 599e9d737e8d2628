//! Archiving to a disc (M29-M32), its pure part: when a customer's storage
//! crosses a threshold, and which of their images one disc of each kind
//! would hold. The archive sweep gathers the facts; `docs/archive.md` says
//! how the rest fits around this.
//!
//! The thresholds (M29) are the operator's settings, which a customer may
//! tighten, never loosen:
//! - stored bytes (10 GiB), image count (5,000), the age of the oldest
//!   image (3 years): reaching one is crossing it;
//! - a yearly date of the customer's own, if they choose one (29 February
//!   is kept on 28 February in other years).

mod capacity;
mod due;
mod moved;
mod offer;
mod proposal;
mod restore;

pub use capacity::{image_sectors, size_text, Disc, FIXED_SECTORS, PER_IMAGE_SECTORS, SECTOR};
pub use due::{next_check, Crossing, Holdings, Thresholds};
pub use moved::{ArchiveState, Archived, Claim, MOVE_LEASE_SECS};
pub use offer::{DiscFill, Offered, Proposal, ProposalStatus, ProposalSummary};
pub use proposal::{enough, fill, Candidate, Fill};
pub use restore::{restore_days, Restore, RestoreState, MAX_RESTORE_DAYS, RESTORE_TIERS};

use crate::{Error, Problem, SettingsError};
use serde::{Deserialize, Serialize};
use time::Month;

const GIB: u64 = 1024 * 1024 * 1024;

/// The most `max_images_per_disc` may be: a proposal record holding three
/// fills of different images (at most 3,000 images of about 80 bytes each)
/// stays well under DynamoDB's 400 KB item limit (`offer.rs`).
pub const MAX_IMAGES_PER_DISC: u32 = 1000;

/// The operator's thresholds (M29).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ArchiveSettings {
    /// Bytes of originals stored.
    pub max_stored_bytes: u64,
    /// Images stored.
    pub max_images: u32,
    /// Years since the oldest image was stored.
    pub max_age_years: u32,
    /// Days between two looks at a customer who stores something: how
    /// late a crossed size threshold can be noticed. The age of the oldest
    /// image and the yearly date are looked at on their day.
    pub check_every_days: u32,
    /// Days a proposal stays open before it lapses (and a new one may be
    /// made).
    pub proposal_days: u32,
    /// The most images one disc of a proposal holds: the index sheet shows
    /// each (1,000 make 34 A4 pages), and a proposal is one record, which
    /// DynamoDB caps at 400 KB ([`MAX_IMAGES_PER_DISC`]).
    pub max_images_per_disc: u32,
    /// The S3 storage class an original moves to once its disc is written
    /// (M32): `DEEP_ARCHIVE` (the default), `GLACIER` or `GLACIER_IR`.
    pub storage_class: String,
    /// Days a restored original stays readable, unless the customer asks
    /// for other (1 to [`MAX_RESTORE_DAYS`]).
    pub restore_days: u32,
    /// The retrieval tier of a restore: `Standard` (Deep Archive: within
    /// 12 hours) or `Bulk` (48 hours, cheaper).
    pub restore_tier: String,
}

/// The storage classes `archive.storage_class` may name.
pub const ARCHIVE_CLASSES: [&str; 3] = ["DEEP_ARCHIVE", "GLACIER", "GLACIER_IR"];

impl Default for ArchiveSettings {
    fn default() -> Self {
        Self {
            max_stored_bytes: 10 * GIB,
            max_images: 5000,
            max_age_years: 3,
            check_every_days: 7,
            proposal_days: 30,
            max_images_per_disc: 1000,
            storage_class: "DEEP_ARCHIVE".into(),
            restore_days: 7,
            restore_tier: "Standard".into(),
        }
    }
}

impl ArchiveSettings {
    pub fn validate(&self) -> Result<(), SettingsError> {
        SettingsError::unless(
            self.max_stored_bytes >= 1
                && (1..=1_000_000).contains(&self.max_images)
                && (1..=100).contains(&self.max_age_years)
                && (1..=366).contains(&self.check_every_days)
                && (1..=365).contains(&self.proposal_days)
                && (1..=MAX_IMAGES_PER_DISC).contains(&self.max_images_per_disc)
                && ARCHIVE_CLASSES.contains(&self.storage_class.as_str())
                && (1..=MAX_RESTORE_DAYS).contains(&self.restore_days)
                && RESTORE_TIERS.contains(&self.restore_tier.as_str()),
            "archive",
            "archive.max_stored_bytes must be at least 1, max_images 1 to 1000000, max_age_years 1 to 100, \
             check_every_days 1 to 366, proposal_days 1 to 365, max_images_per_disc 1 to 1000 and \
             storage_class DEEP_ARCHIVE, GLACIER or GLACIER_IR, restore_days 1 to 30 and restore_tier Standard or Bulk",
        )
    }
}

/// A customer's own thresholds: each tightens the operator's, and the
/// yearly date is theirs alone. `None` keeps the operator's.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ArchivePrefs {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_stored_bytes: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_images: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_age_years: Option<u32>,
    /// A day each year to be offered an archive of the oldest images.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub yearly_on: Option<YearlyDate>,
}

/// A month and day, every year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct YearlyDate {
    pub month: u8,
    pub day: u8,
}

impl ArchivePrefs {
    /// Refuses a threshold looser than the operator's (or zero), and a day
    /// no year has.
    pub fn validate(&self, s: &ArchiveSettings) -> Result<(), Error> {
        let within = |field, v: Option<u64>, max: u64| match v {
            Some(v) if v == 0 || v > max => Err(Error::invalid(field, Problem::range(1, max as i64))),
            _ => Ok(()),
        };
        within("max_stored_bytes", self.max_stored_bytes, s.max_stored_bytes)?;
        within(
            "max_images",
            self.max_images.map(u64::from),
            u64::from(s.max_images),
        )?;
        within(
            "max_age_years",
            self.max_age_years.map(u64::from),
            u64::from(s.max_age_years),
        )?;
        if let Some(y) = self.yearly_on {
            let month = Month::try_from(y.month)
                .map_err(|_| Error::invalid("yearly_on.month", Problem::range(1, 12)))?;
            let last = month.length(2024);
            if !(1..=last).contains(&y.day) {
                return Err(Error::invalid("yearly_on.day", Problem::range(1, last)));
            }
        }
        Ok(())
    }

    /// The thresholds that apply: the tighter of the operator's and these.
    pub fn thresholds(&self, s: &ArchiveSettings) -> Thresholds {
        let tighter = |own: Option<u64>, op: u64| own.map_or(op, |o| o.min(op));
        Thresholds {
            max_stored_bytes: tighter(self.max_stored_bytes, s.max_stored_bytes),
            max_images: tighter(self.max_images.map(u64::from), u64::from(s.max_images)) as u32,
            max_age_years: tighter(self.max_age_years.map(u64::from), u64::from(s.max_age_years)) as u32,
            yearly_on: self.yearly_on,
        }
    }
}

/// One fill for each disc kind, from the same candidates: the customer
/// chooses among them (M30).
pub fn propose(candidates: &[Candidate], max_images: u32) -> Vec<Fill> {
    Disc::ALL
        .iter()
        .map(|d| fill(candidates, *d, max_images))
        .collect()
}

#[cfg(test)]
mod offer_tests;
#[cfg(test)]
mod tests;
