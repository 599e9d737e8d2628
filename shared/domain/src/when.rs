//! The clock, and the one way times are written into records and JSON.

use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;
use time::OffsetDateTime;

/// The one clock, passed to whatever needs the time: the real time, plus
/// an offset that only the local runner moves (to let a person, or a test,
/// watch a year go by; always 0 on AWS). Clones share the offset, so one
/// move moves every part of a stack that holds a clone. The sweeps take
/// their time from their scheduled event instead.
#[derive(Clone, Debug, Default)]
pub struct Clock {
    ahead: Arc<AtomicI64>,
    /// A stopped clock (tests): always this time.
    stopped: Option<OffsetDateTime>,
}

impl Clock {
    /// The real clock.
    pub fn system() -> Self {
        Self::default()
    }

    /// A clock that runs `by` ahead of the real one (tests: "an hour later").
    pub fn ahead_by(by: time::Duration) -> Self {
        let clock = Self::default();
        clock.set_ahead(by.whole_seconds());
        clock
    }

    /// A clock stopped at `at` (tests).
    pub fn stopped_at(at: OffsetDateTime) -> Self {
        Self {
            stopped: Some(at),
            ..Self::default()
        }
    }

    /// Now, as this clock says.
    pub fn now(&self) -> OffsetDateTime {
        let base = self.stopped.unwrap_or_else(OffsetDateTime::now_utc);
        base + time::Duration::seconds(self.ahead())
    }

    /// Now, as this clock says, as records carry it.
    pub fn stamp(&self) -> Timestamp {
        Timestamp::at(self.now())
    }

    /// Runs this clock `secs` (at least 0) ahead of the real one.
    pub fn set_ahead(&self, secs: i64) {
        self.ahead.store(secs.max(0), Ordering::Relaxed);
    }

    /// How far this clock runs ahead of the real one, in seconds.
    pub fn ahead(&self) -> i64 {
        self.ahead.load(Ordering::Relaxed)
    }
}

/// RFC 3339 in UTC, to the second: `2026-11-29T07:08:38Z`.
pub fn rfc3339(t: OffsetDateTime) -> String {
    let t = t.to_offset(time::UtcOffset::UTC);
    t.replace_nanosecond(0)
        .unwrap_or(t)
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}

/// Reads back what [`rfc3339`] wrote.
pub fn parse_rfc3339(s: &str) -> Option<OffsetDateTime> {
    OffsetDateTime::parse(s, &time::format_description::well_known::Rfc3339).ok()
}

/// A moment as records and JSON carry it: UTC, to the second, written as
/// RFC 3339 (`2026-11-29T07:08:38Z`, what [`rfc3339`] writes) and read
/// back from any RFC 3339 time. Ordered by time, never by text.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp(OffsetDateTime);

impl Timestamp {
    /// 1970-01-01T00:00:00Z: a placeholder where no time matters (tests).
    pub const EPOCH: Self = Self(OffsetDateTime::UNIX_EPOCH);

    /// `t`, in UTC and cut to the second.
    pub fn at(t: OffsetDateTime) -> Self {
        let t = t.to_offset(time::UtcOffset::UTC);
        Self(t.replace_nanosecond(0).unwrap_or(t))
    }

    /// Reads an RFC 3339 time.
    pub fn parse(s: &str) -> Option<Self> {
        parse_rfc3339(s).map(Self::at)
    }

    /// The moment, to do arithmetic with.
    pub fn time(self) -> OffsetDateTime {
        self.0
    }

    /// Seconds since the Unix epoch.
    pub fn unix(self) -> i64 {
        self.0.unix_timestamp()
    }
}

impl std::str::FromStr for Timestamp {
    type Err = crate::Error;

    /// Reads an RFC 3339 time (`"2026-11-29T07:08:38Z".parse()`).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s).ok_or(crate::Error::Invalid {
            field: "time",
            problem: crate::Problem::Form(crate::Form::Time),
        })
    }
}

impl From<OffsetDateTime> for Timestamp {
    fn from(t: OffsetDateTime) -> Self {
        Self::at(t)
    }
}

impl From<Timestamp> for String {
    fn from(t: Timestamp) -> Self {
        t.to_string()
    }
}

impl std::ops::Add<time::Duration> for Timestamp {
    type Output = Self;
    fn add(self, d: time::Duration) -> Self {
        Self::at(self.0 + d)
    }
}

impl std::fmt::Display for Timestamp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&rfc3339(self.0))
    }
}

impl serde::Serialize for Timestamp {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for Timestamp {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let raw = String::deserialize(d)?;
        Self::parse(&raw).ok_or_else(|| serde::de::Error::custom(format!("{raw:?} is not an RFC 3339 time")))
    }
}

time::serde::format_description!(day_format, Date, "[year]-[month]-[day]");

/// A day in a record or a message, `YYYY-MM-DD` (as `billing::day_str`
/// writes it): `#[serde(with = "crate::when::day")]` on a `time::Date`,
/// and `day::option` on an `Option<Date>`.
pub mod day {
    pub use super::day_format::{deserialize, serialize};

    pub mod option {
        pub use super::super::day_format::option::{deserialize, serialize};
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn clones_of_a_clock_move_together_and_only_ahead() {
        let clock = super::Clock::system();
        let other = clock.clone();
        clock.set_ahead(86_400);
        assert_eq!(other.ahead(), 86_400);
        let gap = other.now() - time::OffsetDateTime::now_utc();
        assert!((gap - time::Duration::days(1)).abs() < time::Duration::minutes(1));
        other.set_ahead(-5);
        assert_eq!(clock.ahead(), 0);
        assert_eq!(super::Clock::system().ahead(), 0, "a new clock is the real one");
    }

    #[test]
    fn seconds_in_utc() {
        let t = time::macros::datetime!(2026-11-29 16:08:38.123 +9);
        assert_eq!(super::rfc3339(t), "2026-11-29T07:08:38Z");
        assert_eq!(
            super::parse_rfc3339("2026-11-29T07:08:38Z").map(super::rfc3339),
            Some(super::rfc3339(t))
        );
    }
}
