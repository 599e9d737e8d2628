//! Event and anniversary notices (M28): which of a customer's dates fall on
//! a given day, and whether they want to hear of them. Pure; the
//! anniversary sweep gathers the facts (the profile, and the images taken
//! on that month-day, from the images table's `anniv` index).
//!
//! A customer's events, each under a stable key (what an opt-out names):
//! - `birthday`: their birthday (profile, M2);
//! - `named:<label>`: each named date, such as a wedding anniversary;
//! - `event:<name>`: an event an image's attributes name, on the day it
//!   was taken (M8);
//! - `on-this-day`: photos taken on this day in earlier years.
//!
//! The notice goes out `days_ahead` (7) days before the date, once per
//! event and year: its notice ID names the customer, the date and the key.
//! A date on 29 February is kept on 28 February in other years.

use crate::{Form, Problem, SettingsError};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use time::{Date, Duration, Month};

use crate::profile::Profile;
use crate::Error;

/// Anniversary settings (M28).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AnniversarySettings {
    /// A notice goes out this many days before its date.
    pub days_ahead: u32,
    /// Thumbnails one notice shows at most.
    pub max_thumbnails: u32,
    /// The thumbnails' links in a notice work this many days.
    pub link_ttl_days: u32,
}

impl Default for AnniversarySettings {
    fn default() -> Self {
        Self {
            days_ahead: 7,
            max_thumbnails: 6,
            link_ttl_days: 14,
        }
    }
}

impl AnniversarySettings {
    pub fn validate(&self) -> Result<(), SettingsError> {
        if (1..=60).contains(&self.days_ahead)
            && (0..=20).contains(&self.max_thumbnails)
            && (1..=60).contains(&self.link_ttl_days)
        {
            Ok(())
        } else {
            Err(SettingsError {
                field: "anniversaries",
                rule: "anniversaries.days_ahead and link_ttl_days must be 1 to 60, and max_thumbnails at most 20".into(),
            })
        }
    }
}

/// A day of the year, as an index key: `MM-DD`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct MonthDay {
    pub month: u8,
    pub day: u8,
}

impl MonthDay {
    pub fn of(d: Date) -> Self {
        Self {
            month: d.month() as u8,
            day: d.day(),
        }
    }

    /// This day in `year` (29 February: the 28th outside leap years).
    pub fn in_year(self, year: i32) -> Option<Date> {
        let month = Month::try_from(self.month).ok()?;
        Date::from_calendar_date(year, month, self.day)
            .or_else(|_| Date::from_calendar_date(year, month, self.day - 1))
            .ok()
    }

    /// The index key, `MM-DD`.
    pub fn key(self) -> String {
        format!("{:02}-{:02}", self.month, self.day)
    }

    /// The day an image was taken on, from its `taken_at`
    /// (`YYYY-MM-DDTHH:MM:SS`), with the date.
    pub fn of_taken_at(taken_at: &str) -> Option<(Self, Date)> {
        let format = time::macros::format_description!("[year]-[month]-[day]");
        let d = Date::parse(taken_at.get(..10)?, format).ok()?;
        Some((Self::of(d), d))
    }
}

/// The month-days whose notices go out on `today`: the day `days_ahead`
/// later, and, when that day is 28 February of a year without a 29th, the
/// 29th too (whose events are kept on the 28th).
pub fn noticed_on(today: Date, s: &AnniversarySettings) -> Vec<MonthDay> {
    let target = today + Duration::days(i64::from(s.days_ahead));
    let mut out = vec![MonthDay::of(target)];
    if target.month() == Month::February && target.day() == 28 && !time::util::is_leap_year(target.year()) {
        out.push(MonthDay { month: 2, day: 29 });
    }
    out
}

/// One event of a customer's on a day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    /// `birthday`, `named:<label>`, `event:<name>`, `on-this-day`.
    pub key: String,
    /// What the email calls it.
    pub title: String,
    /// The first year it happened, if known (a birthday's, a wedding's).
    pub since_year: Option<i32>,
}

pub(crate) fn key_part(s: &str) -> String {
    s.trim().to_lowercase()
}

/// The month-days of a profile's dates (birthday, named dates).
pub fn profile_days(p: &Profile) -> BTreeSet<MonthDay> {
    p.birthday
        .iter()
        .chain(p.named_dates.iter().map(|d| &d.date))
        .map(|d| MonthDay::of(*d))
        .collect()
}

/// The profile's events on `day`.
pub fn profile_events(p: &Profile, day: MonthDay) -> Vec<Event> {
    let mut out = Vec::new();
    if let Some(b) = p.birthday.filter(|b| MonthDay::of(*b) == day) {
        out.push(Event {
            key: "birthday".into(),
            title: "your birthday".into(),
            since_year: Some(b.year()),
        });
    }
    for d in p.named_dates.iter().filter(|d| MonthDay::of(d.date) == day) {
        out.push(Event {
            key: format!("named:{}", key_part(&d.label)),
            title: d.label.clone(),
            since_year: Some(d.date.year()),
        });
    }
    out
}

/// What a customer wants to hear of (M28's opt-out).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({"enabled": true, "muted": ["on-this-day", "named:wedding anniversary"]})))]
pub struct Preferences {
    /// Off: no anniversary notices at all.
    pub enabled: bool,
    /// Event keys never to notice, as the notices name them: `birthday`,
    /// `on-this-day`, `named:<label>`, `event:<name>` (lower case).
    pub muted: BTreeSet<String>,
}

impl Default for Preferences {
    fn default() -> Self {
        Self {
            enabled: true,
            muted: BTreeSet::new(),
        }
    }
}

impl Preferences {
    /// Most keys one customer may mute.
    pub const MAX_MUTED: usize = 100;

    pub fn wants(&self, key: &str) -> bool {
        self.enabled && !self.muted.contains(key)
    }

    /// Checks a customer's choice: keys as notices name them (`birthday`,
    /// `on-this-day`, `named:<label>`, `event:<name>`), at most 100.
    pub fn validate(self) -> Result<Self, Error> {
        if self.muted.len() > Self::MAX_MUTED {
            return Err(Error::invalid(
                "muted",
                Problem::Count {
                    min: 0,
                    max: Self::MAX_MUTED,
                },
            ));
        }
        let muted = self
            .muted
            .iter()
            .map(|k| {
                let k = k.trim().to_lowercase();
                let ok = k == "birthday"
                    || k == ON_THIS_DAY
                    || ["named:", "event:"]
                        .iter()
                        .any(|p| k.strip_prefix(p).is_some_and(|r| !r.trim().is_empty()));
                if ok && k.chars().count() <= 120 {
                    Ok(k)
                } else {
                    Err(Error::invalid("muted", Problem::Form(Form::EventKey)))
                }
            })
            .collect::<Result<_, _>>()?;
        Ok(Self { muted, ..self })
    }
}

/// The notice ID of `key`'s notice for `customer` on `on` (its date this
/// year): once per event per year, whatever runs twice. The key is named
/// by a digest, so that labels in any script (`named:結婚記念日`) stay
/// apart, and two named dates with one label on different days are two
/// notices.
pub fn notice_id(customer: &str, on: Date, key: &str) -> String {
    use sha2::{Digest, Sha256};
    let digest = hex::encode(&Sha256::digest(key.as_bytes())[..8]);
    format!(
        "anniv:{customer}:{}-{:02}-{:02}:{digest}",
        on.year(),
        on.month() as u8,
        on.day()
    )
}

mod day;
pub use day::{day_notices, DayImage, Due, ON_THIS_DAY};

#[cfg(test)]
mod tests;
