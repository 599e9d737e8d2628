//! The scheduled sweeps. Each takes "now" from its scheduled event, never
//! from the clock, so any day can be run again; and each Queries a due-date
//! index for what is due, so its cost follows the items due, not the size
//! of the tables. Running a day again finds nothing left to do.
//!
//! Each keeps a watermark (`printvault_adapters::watermark`), the last day
//! it finished, and reads every day after it in order: a sweep that did
//! not run for a while (a failed schedule, a broken deploy) finishes
//! everything that came due meanwhile, however long ago.

pub mod anniversary;
pub mod archive;
pub mod billing;
pub mod retention;

use printvault_domain::billing::SweepSettings;
use serde::Serialize;
use std::collections::BTreeMap;
use time::{Date, Duration};

/// What one run of a sweep did: counts by what, for its log line.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Report {
    pub sweep: String,
    /// The day it ran for, `YYYY-MM-DD`.
    pub day: String,
    pub counts: BTreeMap<String, u64>,
}

impl Report {
    pub fn new(sweep: &str, day: time::Date) -> Self {
        Self {
            sweep: sweep.into(),
            day: printvault_domain::billing::day_str(day),
            counts: BTreeMap::new(),
        }
    }

    pub fn count(&mut self, what: &str) {
        *self.counts.entry(what.to_owned()).or_default() += 1;
    }

    pub fn get(&self, what: &str) -> u64 {
        self.counts.get(what).copied().unwrap_or(0)
    }
}

/// The days a run for `today` reads, oldest first: every day after
/// `done_through` (the sweep's watermark), however far back, and at least
/// the `catch_up_days` before today again (for anything written into a
/// recent day's bucket late); the first run ever (no watermark) starts
/// `catch_up_days` back.
pub fn days_to_read(done_through: Option<Date>, today: Date, s: &SweepSettings) -> Vec<Date> {
    let window = today - Duration::days(i64::from(s.catch_up_days));
    let start = match done_through {
        Some(d) => window.min(d + Duration::days(1)),
        None => window,
    };
    let mut out = Vec::new();
    let mut d = start;
    while d <= today {
        out.push(d);
        d += Duration::days(1);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn s(catch_up_days: u32) -> SweepSettings {
        SweepSettings { catch_up_days }
    }

    #[test]
    fn a_first_run_reads_the_catch_up_days_and_today() {
        let days = days_to_read(None, date!(2027 - 03 - 10), &s(2));
        assert_eq!(
            days,
            [
                date!(2027 - 03 - 08),
                date!(2027 - 03 - 09),
                date!(2027 - 03 - 10)
            ]
        );
    }

    #[test]
    fn a_run_after_a_gap_reads_every_day_since_the_watermark() {
        let days = days_to_read(Some(date!(2027 - 01 - 01)), date!(2027 - 03 - 10), &s(7));
        assert_eq!(days.len(), 68);
        assert_eq!(days[0], date!(2027 - 01 - 02));
        assert_eq!(days[67], date!(2027 - 03 - 10));
        assert!(days.windows(2).all(|w| w[1] == w[0] + Duration::days(1)));
    }

    #[test]
    fn a_daily_run_reads_the_catch_up_days_again() {
        let days = days_to_read(Some(date!(2027 - 03 - 09)), date!(2027 - 03 - 10), &s(1));
        assert_eq!(days, [date!(2027 - 03 - 09), date!(2027 - 03 - 10)]);
        let days = days_to_read(Some(date!(2027 - 03 - 09)), date!(2027 - 03 - 10), &s(0));
        assert_eq!(days, [date!(2027 - 03 - 10)]);
        // A day run again after a later one: its own window only.
        let days = days_to_read(Some(date!(2027 - 06 - 01)), date!(2027 - 03 - 10), &s(0));
        assert_eq!(days, [date!(2027 - 03 - 10)]);
    }
}
