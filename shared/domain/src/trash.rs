//! The trash: a deleted image is kept, hidden, for `trash.keep_days`
//! before it is purged, and its owner can take it back until then.
//!
//! An image in the trash keeps its record, its objects and its place on
//! the storage meter (it is billed, and counts against quotas, until it is
//! purged). It is hidden from every reader at once by its record's
//! `trashed` mark; its search entries, album memberships, grants and links
//! are then removed ("tidied"). A restore puts the search entries and
//! album memberships back; grants and links stay revoked.
//!
//! The trash sweep finds the trash through the images table's `due`
//! index: `due_pk` [`due_pk`] (by image shard), `due_sk` [`due_sk`]. An
//! image not yet tidied sorts before every day ([`UNTIDY`]), so the sweep
//! finishes what a crash cut short before it purges anything.

use serde::{Deserialize, Serialize};
use time::{Date, Duration, OffsetDateTime};

use crate::ids::{AlbumId, ImageId};
use crate::when::Timestamp;
use crate::SettingsError;

/// The most days an operator may keep the trash for.
pub const MAX_KEEP_DAYS: u32 = 365;

/// The trash's settings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct TrashSettings {
    /// Days a deleted image stays restorable before it is purged.
    pub keep_days: u32,
    /// The most images one `DELETE /v1/trash` purges; the rest are left
    /// for the next call (the response says how many are left).
    pub empty_batch: u32,
}

impl Default for TrashSettings {
    fn default() -> Self {
        Self {
            keep_days: 30,
            empty_batch: 100,
        }
    }
}

impl TrashSettings {
    pub fn validate(&self) -> Result<(), SettingsError> {
        SettingsError::unless(
            (1..=MAX_KEEP_DAYS).contains(&self.keep_days) && (1..=1000).contains(&self.empty_batch),
            "trash",
            "trash.keep_days must be 1 to 365 and trash.empty_batch 1 to 1000",
        )
    }
}

/// Who put the image in the trash.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TrashedBy {
    /// Its owner deleted it.
    Owner,
    /// The retention sweep deleted it (M26, M27), after a warning.
    Retention,
}

impl TrashedBy {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Owner => "owner",
            Self::Retention => "retention",
        }
    }
}

/// An image's trash mark, on its record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Trashed {
    /// When it went to the trash: also what a restore or a purge is
    /// conditioned on, so each acts on the trashing it read.
    pub at: Timestamp,
    /// The first day it may be purged.
    #[serde(with = "crate::when::day")]
    pub purge_on: Date,
    pub by: TrashedBy,
    /// The albums it was in, to put it back in on restore.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub albums: Vec<AlbumId>,
    /// Its search entries, album memberships, grants and links are removed.
    #[serde(default)]
    pub tidy: bool,
}

impl Trashed {
    /// A trashing at `now`, kept `keep_days`: purged on the day after the
    /// last full day kept (trashed on day 0, restorable through day 30,
    /// purged on day 31 with 30 days).
    pub fn new(now: OffsetDateTime, keep_days: u32, by: TrashedBy, albums: Vec<AlbumId>) -> Self {
        Self {
            at: Timestamp::at(now),
            purge_on: now.date() + Duration::days(i64::from(keep_days) + 1),
            by,
            albums,
            tidy: false,
        }
    }

    /// Whether it may be purged on `today`.
    pub fn due(&self, today: Date) -> bool {
        self.purge_on <= today
    }
}

/// The `due_sk` of a trashing not yet tidied: before every day.
pub const UNTIDY: &str = "0000-00-00";

/// The trash's `due` index partition of shard `shard`.
pub fn due_pk(shard: u32) -> String {
    format!("TRASH#{shard}")
}

/// The `due` index sort key of `image`, trashed as `t`: its purge day once
/// tidied, [`UNTIDY`] before.
pub fn due_sk(t: &Trashed, image: &ImageId) -> String {
    let day = if t.tidy {
        crate::billing::day_str(t.purge_on)
    } else {
        UNTIDY.to_owned()
    };
    format!("{day}#{image}")
}

/// The highest `due_sk` due on `today`: everything up to the end of it.
pub fn due_by(today: Date) -> String {
    format!("{}#~", crate::billing::day_str(today))
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn an_image_trashed_on_day_0_is_restorable_through_day_30_and_purged_on_day_31() {
        let t = Trashed::new(datetime!(2026-12-07 23:59 UTC), 30, TrashedBy::Owner, vec![]);
        let day0 = datetime!(2026-12-07 00:00 UTC).date();
        assert!(!t.due(day0 + Duration::days(30)));
        assert!(t.due(day0 + Duration::days(31)));
        assert!(t.due(day0 + Duration::days(400)));
    }

    #[test]
    fn an_untidy_trashing_sorts_before_every_day_and_a_tidy_one_on_its_purge_day() {
        let id = ImageId::generate();
        let mut t = Trashed::new(datetime!(2026-12-07 10:00 UTC), 30, TrashedBy::Owner, vec![]);
        let untidy = due_sk(&t, &id);
        assert!(untidy < due_by(datetime!(1970-01-02 00:00 UTC).date()));
        t.tidy = true;
        let tidy = due_sk(&t, &id);
        assert!(tidy > due_by(datetime!(2027-01-06 00:00 UTC).date()));
        assert!(tidy <= due_by(datetime!(2027-01-07 00:00 UTC).date()));
    }

    #[test]
    fn settings_outside_their_bounds_are_refused() {
        assert!(TrashSettings::default().validate().is_ok());
        for bad in [
            TrashSettings {
                keep_days: 0,
                ..Default::default()
            },
            TrashSettings {
                keep_days: 366,
                ..Default::default()
            },
            TrashSettings {
                empty_batch: 0,
                ..Default::default()
            },
        ] {
            assert!(bad.validate().is_err());
        }
    }
}
