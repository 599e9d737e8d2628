//! The scheduled sweeps. Each takes "now" from its scheduled event, never
//! from the clock, so any day can be run again; and each Queries a due-date
//! index for what is due, so its cost follows the items due, not the size
//! of the tables. Running a day again finds nothing left to do.

pub mod anniversary;
pub mod billing;
pub mod retention;

use serde::Serialize;
use std::collections::BTreeMap;

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
