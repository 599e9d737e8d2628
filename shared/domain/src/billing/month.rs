//! Calendar months and days in UTC: what a meter accrues in, what an
//! invoice covers, and what the sweeps' due-date indexes are keyed by.

use crate::{Form, Problem};
use serde::{Deserialize, Serialize};
use std::fmt;
use time::{Date, Month as CalMonth, OffsetDateTime, Time};

use crate::Error;

/// A calendar month in UTC, written `YYYY-MM`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Month {
    year: i32,
    month: u8,
}

impl Month {
    pub fn new(year: i32, month: u8) -> Result<Self, Error> {
        if !(1..=12).contains(&month) || !(1970..=9999).contains(&year) {
            return Err(Error::invalid("month", Problem::Form(Form::Month)));
        }
        Ok(Self { year, month })
    }

    /// The month holding unix second `t`.
    pub fn of(t: i64) -> Self {
        let d = OffsetDateTime::from_unix_timestamp(t)
            .unwrap_or(OffsetDateTime::UNIX_EPOCH)
            .date();
        Self::of_date(d)
    }

    pub fn of_date(d: Date) -> Self {
        Self {
            year: d.year(),
            month: d.month() as u8,
        }
    }

    pub fn parse(s: &str) -> Result<Self, Error> {
        let bad = || Error::invalid("month", Problem::Form(Form::Month));
        let (y, m) = s.split_once('-').ok_or_else(bad)?;
        if y.len() != 4 || m.len() != 2 {
            return Err(bad());
        }
        Self::new(y.parse().map_err(|_| bad())?, m.parse().map_err(|_| bad())?)
    }

    pub fn first_day(self) -> Date {
        let m = CalMonth::try_from(self.month).unwrap_or(CalMonth::January);
        Date::from_calendar_date(self.year, m, 1).unwrap_or(Date::MIN)
    }

    /// Unix second at which the month starts.
    pub fn start(self) -> i64 {
        self.first_day()
            .with_time(Time::MIDNIGHT)
            .assume_utc()
            .unix_timestamp()
    }

    /// Unix second at which the month ends (the next one starts).
    pub fn end(self) -> i64 {
        self.next().start()
    }

    /// Seconds in the month (hours × 3600).
    pub fn seconds(self) -> i64 {
        self.end() - self.start()
    }

    pub fn next(self) -> Self {
        if self.month == 12 {
            Self {
                year: self.year + 1,
                month: 1,
            }
        } else {
            Self {
                year: self.year,
                month: self.month + 1,
            }
        }
    }

    pub fn previous(self) -> Self {
        if self.month == 1 {
            Self {
                year: self.year - 1,
                month: 12,
            }
        } else {
            Self {
                year: self.year,
                month: self.month - 1,
            }
        }
    }

    /// `YYYYMM`, for IDs.
    pub fn compact(self) -> String {
        format!("{:04}{:02}", self.year, self.month)
    }
}

impl fmt::Display for Month {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

impl TryFrom<String> for Month {
    type Error = Error;
    fn try_from(s: String) -> Result<Self, Error> {
        Self::parse(&s)
    }
}

impl From<Month> for String {
    fn from(m: Month) -> Self {
        m.to_string()
    }
}

/// A day as `YYYY-MM-DD`.
pub fn day_str(d: Date) -> String {
    format!("{:04}-{:02}-{:02}", d.year(), d.month() as u8, d.day())
}

/// Parses `YYYY-MM-DD`.
pub fn parse_day(s: &str) -> Result<Date, Error> {
    let bad = || Error::invalid("date", Problem::Form(Form::Date));
    let mut it = s.split('-');
    let (Some(y), Some(m), Some(d), None) = (it.next(), it.next(), it.next(), it.next()) else {
        return Err(bad());
    };
    if y.len() != 4 || m.len() != 2 || d.len() != 2 {
        return Err(bad());
    }
    let m: u8 = m.parse().map_err(|_| bad())?;
    Date::from_calendar_date(
        y.parse().map_err(|_| bad())?,
        CalMonth::try_from(m).map_err(|_| bad())?,
        d.parse().map_err(|_| bad())?,
    )
    .map_err(|_| bad())
}

/// The UTC day holding unix second `t`.
pub fn day_of(t: i64) -> Date {
    OffsetDateTime::from_unix_timestamp(t)
        .unwrap_or(OffsetDateTime::UNIX_EPOCH)
        .date()
}

/// Unix second at which day `d` starts (UTC).
pub fn day_start(d: Date) -> i64 {
    d.with_time(Time::MIDNIGHT).assume_utc().unix_timestamp()
}
