//! The one way times are written into records and JSON.

use std::sync::atomic::{AtomicI64, Ordering};
use time::OffsetDateTime;

/// Seconds the simulated clock runs ahead of the real one. Always 0 on AWS;
/// the local runner moves it to let a person (or a test) watch a year go by.
static SIMULATED_AHEAD: AtomicI64 = AtomicI64::new(0);

/// Now, as every function but the sweeps sees it (they take theirs from
/// their scheduled event): the real time, plus the simulated offset.
pub fn now() -> OffsetDateTime {
    let ahead = SIMULATED_AHEAD.load(Ordering::Relaxed);
    OffsetDateTime::now_utc() + time::Duration::seconds(ahead)
}

/// Moves the simulated clock (local runs only): from now on [`now`] is the
/// real time plus `secs`.
pub fn set_simulated_ahead(secs: i64) {
    SIMULATED_AHEAD.store(secs.max(0), Ordering::Relaxed);
}

/// How far the simulated clock runs ahead, in seconds.
pub fn simulated_ahead() -> i64 {
    SIMULATED_AHEAD.load(Ordering::Relaxed)
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
    fn seconds_in_utc() {
        let t = time::macros::datetime!(2026-11-29 16:08:38.123 +9);
        assert_eq!(super::rfc3339(t), "2026-11-29T07:08:38Z");
        assert_eq!(
            super::parse_rfc3339("2026-11-29T07:08:38Z").map(super::rfc3339),
            Some(super::rfc3339(t))
        );
    }
}
