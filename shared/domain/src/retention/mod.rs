//! Retention (M26, M27): which unselected images are kept, warned of and
//! deleted, and when. Pure: the retention sweep gathers the facts of one
//! due image and does what [`decide`] says.
//!
//! - A **selected** image (M9) is kept: the customer chose it, and pays for
//!   its storage (M23). Nothing here deletes it.
//! - **M26**: an unselected image stored `notice_after_days` (90) that its
//!   owner never acted on (no edit, no print) gets the storage-period
//!   notice: select it or give it attributes within `act_within_days` (30),
//!   or it is deleted. That notice is its deletion warning.
//! - **M27** governs the rest: a printable image is kept window by window
//!   of `window_days` (T = 365) while each window brings at least
//!   `min_prints` (n = 1) prints; a non-printable one is kept `keep_days`
//!   (t = 180 ≤ T) from its upload (or from its owner's last act).
//! - Every deletion comes at least `warn_days` (14) after a warning notice
//!   that SES confirmed **delivered**. A bounced or complained-of warning
//!   postpones the deletion (and the notifier flagged it for an operator);
//!   no word yet postpones it a day; a warning never sent is sent again.
//! - Selecting, editing or printing the image after its warning cancels the
//!   deletion: its keep period starts again from that day.

mod arrears;
mod schedule;

use crate::SettingsError;
pub use arrears::{while_in_arrears, RECHECK_DAYS};
pub use schedule::{DeletionAudit, Schedule};
use serde::{Deserialize, Serialize};
use time::{Date, Duration};

use crate::Error;

/// Retention settings (M26, M27).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RetentionSettings {
    /// M26: an unselected image is noticed this long after its upload.
    pub notice_after_days: u32,
    /// M26: and deleted this long after the notice unless acted on.
    pub act_within_days: u32,
    /// M27: T, the window a printable image must get `min_prints` in.
    pub window_days: u32,
    /// M27: n.
    pub min_prints: u32,
    /// M27: t, how long a non-printable image is kept (at most T).
    pub keep_days: u32,
    /// A deletion comes at least this long after its warning.
    pub warn_days: u32,
    /// A deletion whose warning bounced waits this long before it is
    /// looked at again (an operator has been flagged meanwhile).
    pub bounce_postpone_days: u32,
}

impl Default for RetentionSettings {
    fn default() -> Self {
        Self {
            notice_after_days: 90,
            act_within_days: 30,
            window_days: 365,
            min_prints: 1,
            keep_days: 180,
            warn_days: 14,
            bounce_postpone_days: 30,
        }
    }
}

impl RetentionSettings {
    pub fn validate(&self) -> Result<(), SettingsError> {
        let ok = (1..=3650).contains(&self.window_days)
            && (1..=self.window_days).contains(&self.keep_days)
            && (1..=3650).contains(&self.notice_after_days)
            && (1..=365).contains(&self.warn_days)
            && (self.warn_days..=365).contains(&self.act_within_days)
            && self.warn_days < self.keep_days
            && self.warn_days < self.window_days
            && (1..=365).contains(&self.bounce_postpone_days);
        if ok {
            Ok(())
        } else {
            Err(SettingsError {
                field: "retention",
                rule: "retention needs 1 <= keep_days <= window_days <= 3650, warn_days (at least 1) below keep_days and window_days, act_within_days at least warn_days, and notice_after_days and bounce_postpone_days of at least 1".into(),
            })
        }
    }
}

/// What the sweep does next for an image, and when.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Step {
    /// M26: send the storage-period notice, unless acted on.
    Notice,
    /// M27: look at the image's keep period; warn when it ends.
    Review,
    /// Delete, if the warning was delivered and nothing changed since.
    Delete,
}

impl Step {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Notice => "notice",
            Self::Review => "review",
            Self::Delete => "delete",
        }
    }
}

/// Why an image is warned of, and deleted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Cause {
    /// M26: never selected nor given attributes.
    StoragePeriod,
    /// M27: a printable image without enough prints in its window.
    TooFewPrints,
    /// M27: a non-printable image past its keep period.
    KeepPeriod,
}

impl Cause {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::StoragePeriod => "storage_period",
            Self::TooFewPrints => "too_few_prints",
            Self::KeepPeriod => "keep_period",
        }
    }
}

/// What became of a warning notice, as the notifier recorded SES's word.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Warning {
    /// Never sent (a run cut short between scheduling and sending).
    Missing,
    /// Sent; no word from SES yet.
    Unconfirmed,
    Delivered,
    /// Bounced or complained of.
    Undeliverable,
}

/// Everything [`decide`] looks at.
#[derive(Debug, Clone)]
pub struct Facts {
    pub selected: bool,
    pub printable: bool,
    /// The image's revision now (every owner's change bumps it).
    pub rev: u64,
    /// The day it became ready.
    pub uploaded: Date,
    /// Prints since the schedule's `since` (Review), or since its warning
    /// (Delete), or since the upload (Notice).
    pub prints: u32,
    /// For a `Delete` step: what became of its warning.
    pub warning: Warning,
}

/// What to do with a due image.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    /// Selected: leave the index; it is kept.
    Keep,
    /// Nothing to do now: look again on this day.
    Later { step: Step, on: Date, since: Date },
    /// Send a warning (the M26 notice for `StoragePeriod`), then delete on
    /// `delete_on` (at least `warn_days` away) unless acted on.
    Warn { cause: Cause, delete_on: Date },
    /// Delete it now: warned, delivered, nothing changed.
    Delete { cause: Cause },
}

fn days(n: u32) -> Duration {
    Duration::days(i64::from(n))
}

/// The day an image uploaded on `uploaded` first comes up.
pub fn first(uploaded: Date, s: &RetentionSettings) -> (Step, Date) {
    (Step::Notice, uploaded + days(s.notice_after_days))
}

/// Decides what to do with an image whose schedule `at` is due `today`.
pub fn decide(at: &Schedule, f: &Facts, today: Date, s: &RetentionSettings) -> Result<Decision, Error> {
    if f.selected {
        return Ok(Decision::Keep);
    }
    let since = at.since;
    Ok(match at.step {
        Step::Notice if f.rev == 0 && f.prints == 0 => Decision::Warn {
            cause: Cause::StoragePeriod,
            delete_on: today + days(s.act_within_days),
        },
        // Acted on: M27 from the upload.
        Step::Notice => review(f.uploaded, f, today, s),
        Step::Review => review(since, f, today, s),
        Step::Delete if f.rev > at.warned_rev || f.prints > 0 => {
            // Acted on after the warning: kept, a new period from today.
            review(
                today,
                &Facts {
                    prints: 0,
                    ..f.clone()
                },
                today,
                s,
            )
        }
        Step::Delete => {
            let cause = at.cause.unwrap_or(Cause::KeepPeriod);
            match f.warning {
                Warning::Delivered => Decision::Delete { cause },
                Warning::Missing => Decision::Warn {
                    cause,
                    delete_on: today + days(s.warn_days),
                },
                Warning::Unconfirmed => Decision::Later {
                    step: Step::Delete,
                    on: today + Duration::days(1),
                    since,
                },
                Warning::Undeliverable => Decision::Later {
                    step: Step::Delete,
                    on: today + days(s.bounce_postpone_days),
                    since,
                },
            }
        }
    })
}

/// M27 for a keep period (or print window) that began on `since`.
fn review(since: Date, f: &Facts, today: Date, s: &RetentionSettings) -> Decision {
    let warn = days(s.warn_days);
    if f.printable {
        let end = since + days(s.window_days);
        if f.prints >= s.min_prints {
            // Enough prints this window: the next window starts at its end.
            return if today >= end {
                Decision::Later {
                    step: Step::Review,
                    on: end + days(s.window_days) - warn,
                    since: end,
                }
            } else {
                Decision::Later {
                    step: Step::Review,
                    on: end,
                    since,
                }
            };
        }
        if today < end - warn {
            return Decision::Later {
                step: Step::Review,
                on: end - warn,
                since,
            };
        }
        return Decision::Warn {
            cause: Cause::TooFewPrints,
            delete_on: end.max(today + warn),
        };
    }
    let end = since + days(s.keep_days);
    if today < end - warn {
        return Decision::Later {
            step: Step::Review,
            on: end - warn,
            since,
        };
    }
    Decision::Warn {
        cause: Cause::KeepPeriod,
        delete_on: end.max(today + warn),
    }
}

#[cfg(test)]
mod tests;
