//! `local-runner run --sim-day-secs N` (`PRINTVAULT_SIM_DAY_SECS=N make
//! run`): the local system's clock moves a day ahead every N real seconds,
//! and the sweeps fire for each new day; Ctrl-C stops it.

use super::Running;
use printvault_domain::billing::{day_str, parse_day};
use time::Date;

/// `2026-12-02 (day 1)` from a `simulated clock: …` line.
fn simulated_day(line: &str) -> Option<(Date, i64)> {
    let rest = line.strip_prefix("simulated clock: ")?;
    let (day, n) = rest.split_once(" (day ")?;
    Some((parse_day(day).ok()?, n.strip_suffix(')')?.parse().ok()?))
}

#[test]
fn a_simulated_clock_moves_a_day_at_a_time_and_fires_every_sweep_for_each_day() {
    let stage = format!("sim{}", std::process::id());
    let today = time::OffsetDateTime::now_utc().date();
    let running = Running::start(&stage, &["--sim-day-secs", "2"]);
    running.addresses();
    let mut days = Vec::new();
    while days.len() < 3 {
        let line = running.next_line(60, "the next simulated day");
        if let Some(d) = simulated_day(&line) {
            days.push(d);
        }
    }
    for (i, (day, n)) in days.iter().enumerate() {
        assert_eq!(*n, i as i64 + 1, "{days:?}");
        // Day n is n days ahead (n + 1 if the real midnight passed meanwhile).
        let ahead = (*day - today).whole_days();
        assert!(ahead == *n || ahead == *n + 1, "{day} is day {n} from {today}");
        if i > 0 {
            assert_eq!((*day - days[i - 1].0).whole_days(), 1, "{days:?}");
        }
        // Every sweep ran for that day, as its schedule would have.
        for sweep in ["billing", "retention", "anniversary"] {
            running.wait_log(60, &["sweep ran", sweep, &day_str(*day)]);
        }
    }
    assert!(!running.log().contains("sweep failed"), "{}", running.log());
    let status = running.interrupt();
    assert!(status.success(), "{status}");
}
