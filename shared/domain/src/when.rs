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
