//! The retention schedule an image carries, and the audit of a deletion.

use crate::when::Timestamp;
use serde::{Deserialize, Serialize};
use time::Date;

use super::{first, Cause, RetentionSettings, Step};

/// The retention state an image carries (on its record).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Schedule {
    pub step: Step,
    #[serde(with = "crate::when::day")]
    pub on: Date,
    /// Start of the keep period or print window.
    #[serde(with = "crate::when::day")]
    pub since: Date,
    /// Set with a `Delete` step: why, the warning's notice ID, and what the
    /// image's revision was then (an edit after it cancels).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cause: Option<Cause>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notice_id: Option<String>,
    #[serde(
        default,
        with = "crate::when::day::option",
        skip_serializing_if = "Option::is_none"
    )]
    pub warned_on: Option<Date>,
    #[serde(default)]
    pub warned_rev: u64,
}

impl Schedule {
    /// A new image's schedule: its first step ([`first`]), its keep period
    /// running from the day it was uploaded.
    pub fn for_new_image(uploaded: Date, s: &RetentionSettings) -> Self {
        let (step, on) = first(uploaded, s);
        Self::plain(step, on, uploaded)
    }

    /// An image that stops being kept (unselected, M9) is looked at again
    /// `today`, its keep period starting again from today.
    pub fn review_from(today: Date) -> Self {
        Self::plain(Step::Review, today, today)
    }

    /// What follows this schedule after a [`Decision::Later`]: a postponed
    /// deletion keeps its warning; any other step starts plain.
    pub fn then(&self, step: Step, on: Date, since: Date) -> Self {
        match step {
            Step::Delete => Self {
                step,
                on,
                since,
                ..self.clone()
            },
            _ => Self::plain(step, on, since),
        }
    }

    /// The deletion a warning sent `today` (notice `notice_id`) announces
    /// for `delete_on`, of an image at revision `rev`: an edit after it
    /// cancels the deletion.
    pub fn warned(&self, cause: Cause, delete_on: Date, notice_id: &str, today: Date, rev: u64) -> Self {
        Self {
            step: Step::Delete,
            on: delete_on,
            since: self.since,
            cause: Some(cause),
            notice_id: Some(notice_id.to_owned()),
            warned_on: Some(today),
            warned_rev: rev,
        }
    }

    fn plain(step: Step, on: Date, since: Date) -> Self {
        Self {
            step,
            on,
            since,
            cause: None,
            notice_id: None,
            warned_on: None,
            warned_rev: 0,
        }
    }
}

/// Why the retention sweep deleted an image, and after which warning: kept
/// after the image is gone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeletionAudit {
    pub cause: Cause,
    /// The warning's notice ID.
    pub warning: String,
    /// When, RFC 3339 (the sweep's "now").
    pub at: Timestamp,
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn a_new_image_is_first_noticed_after_the_storage_period() {
        let s = RetentionSettings::default();
        let at = Schedule::for_new_image(date!(2026 - 01 - 10), &s);
        assert_eq!(
            (at.step, at.on, at.since),
            (Step::Notice, date!(2026 - 04 - 10), date!(2026 - 01 - 10))
        );
        assert_eq!((at.cause, at.notice_id, at.warned_rev), (None, None, 0));
    }

    #[test]
    fn an_image_no_longer_kept_is_reviewed_today_with_a_new_period() {
        let at = Schedule::review_from(date!(2026 - 12 - 07));
        assert_eq!(
            (at.step, at.on, at.since),
            (Step::Review, date!(2026 - 12 - 07), date!(2026 - 12 - 07))
        );
    }

    #[test]
    fn a_postponed_deletion_keeps_its_warning_and_any_other_step_starts_plain() {
        let s = RetentionSettings::default();
        let warned = Schedule::for_new_image(date!(2026 - 01 - 10), &s).warned(
            Cause::StoragePeriod,
            date!(2026 - 05 - 10),
            "retention:x",
            date!(2026 - 04 - 10),
            3,
        );
        assert_eq!(
            (warned.step, warned.on, warned.since),
            (Step::Delete, date!(2026 - 05 - 10), date!(2026 - 01 - 10))
        );
        assert_eq!(
            (warned.warned_on, warned.warned_rev),
            (Some(date!(2026 - 04 - 10)), 3)
        );
        let postponed = warned.then(Step::Delete, date!(2026 - 05 - 11), date!(2026 - 01 - 10));
        assert_eq!(
            (postponed.on, postponed.notice_id.as_deref()),
            (date!(2026 - 05 - 11), Some("retention:x"))
        );
        let reviewed = warned.then(Step::Review, date!(2027 - 01 - 01), date!(2026 - 05 - 01));
        assert_eq!(
            reviewed,
            Schedule::review_from(date!(2026 - 05 - 01)).then(
                Step::Review,
                date!(2027 - 01 - 01),
                date!(2026 - 05 - 01)
            )
        );
        assert_eq!(
            (reviewed.cause, reviewed.notice_id, reviewed.warned_on),
            (None, None, None)
        );
    }
}
