//! Event and anniversary notices (M28): which of a customer's dates fall on
//! a given day, and whether they want to hear of them. Pure; the
//! anniversary sweep (next) gathers the facts.
//!
//! A customer's events, each under a stable key (what an opt-out names):
//! - `birthday`: their birthday (profile, M2);
//! - `named:<label>`: each named date, such as a wedding anniversary;
//! - `event:<name>`: an event an image's attributes name, on the day it
//!   was taken (M8);
//! - `on-this-day`: photos taken on this day in earlier years.
//!
//! The notice goes out `days_ahead` (7) days before the date, once per
//! event and year: its notice ID names the customer, the year and the key.
//! A date on 29 February is kept on 28 February in other years.

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
}

impl Default for AnniversarySettings {
    fn default() -> Self {
        Self {
            days_ahead: 7,
            max_thumbnails: 6,
        }
    }
}

impl AnniversarySettings {
    pub fn validate(&self) -> Result<(), Error> {
        if (1..=60).contains(&self.days_ahead) && (0..=20).contains(&self.max_thumbnails) {
            Ok(())
        } else {
            Err(Error::invalid(
                "anniversaries",
                "invalid settings: anniversaries.days_ahead must be 1 to 60, and max_thumbnails at most 20",
            ))
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

fn key_part(s: &str) -> String {
    s.trim().to_lowercase()
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
pub struct Preferences {
    /// Off: no anniversary notices at all.
    pub enabled: bool,
    /// Event keys never to notice.
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
    pub fn wants(&self, key: &str) -> bool {
        self.enabled && !self.muted.contains(key)
    }
}

/// The notice ID of `key`'s notice for `customer` in `year`: once per event
/// per year, whatever runs twice. Keys are reduced to the characters a
/// notice ID takes.
pub fn notice_id(customer: &str, year: i32, key: &str) -> String {
    let safe: String = key
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, ':' | '_' | '.' | '-') {
                c
            } else {
                '_'
            }
        })
        .take(100)
        .collect();
    format!("anniv:{customer}:{year}:{safe}")
}

#[cfg(test)]
mod tests;
