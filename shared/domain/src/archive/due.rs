//! When a customer is due (M29): which thresholds their holdings cross on
//! a day, and the next day the archive sweep looks at them again.

use super::YearlyDate;
use serde::{Deserialize, Serialize};
use time::{Date, Duration, Month};

/// The thresholds one customer's storage is held to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Thresholds {
    pub max_stored_bytes: u64,
    pub max_images: u32,
    pub max_age_years: u32,
    pub yearly_on: Option<YearlyDate>,
}

/// What a customer stores now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Holdings {
    pub stored_bytes: u64,
    pub images: u32,
    /// The day the oldest image was stored; `None` with no images.
    pub oldest: Option<Date>,
}

/// A threshold that was crossed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Crossing {
    StoredBytes,
    Images,
    Age,
    YearlyDate,
}

impl Thresholds {
    /// Which thresholds `h` crosses on `today`; empty when none.
    pub fn crossed(&self, h: &Holdings, today: Date) -> Vec<Crossing> {
        let mut out = Vec::new();
        if h.images == 0 {
            return out;
        }
        if h.stored_bytes >= self.max_stored_bytes {
            out.push(Crossing::StoredBytes);
        }
        if h.images >= self.max_images {
            out.push(Crossing::Images);
        }
        if h.oldest
            .is_some_and(|d| years_later(d, self.max_age_years) <= today)
        {
            out.push(Crossing::Age);
        }
        if self
            .yearly_on
            .is_some_and(|y| on_day(y, today.year()) == Some(today))
        {
            out.push(Crossing::YearlyDate);
        }
        out
    }
}

/// `d`, `years` later; 29 February becomes 28 February in a year without one.
fn years_later(d: Date, years: u32) -> Date {
    let year = d.year() + years as i32;
    d.replace_year(year)
        .or_else(|_| d.replace_day(28).and_then(|d| d.replace_year(year)))
        .unwrap_or(Date::MAX)
}

/// The yearly date in `year`; 29 February is kept on 28 February.
fn on_day(y: YearlyDate, year: i32) -> Option<Date> {
    let month = Month::try_from(y.month).ok()?;
    let day = y.day.min(month.length(year));
    Date::from_calendar_date(year, month, day).ok()
}

/// The next day after `today` to look at a customer again: in
/// `check_every_days`, or sooner on the day their oldest image (stored on
/// `oldest`) comes of age or on their yearly date.
pub fn next_check(today: Date, t: &Thresholds, oldest: Option<Date>, check_every_days: u32) -> Date {
    let mut next = today + Duration::days(i64::from(check_every_days.max(1)));
    if let Some(d) = oldest
        .map(|d| years_later(d, t.max_age_years))
        .filter(|d| *d > today)
    {
        next = next.min(d);
    }
    if let Some(y) = t.yearly_on {
        let this_year = on_day(y, today.year()).filter(|d| *d > today);
        if let Some(d) = this_year.or_else(|| on_day(y, today.year() + 1)) {
            next = next.min(d);
        }
    }
    next
}
