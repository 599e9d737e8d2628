//! EventBridge schedules, played locally (moto accepts schedules but never
//! fires them). Each sweep is fired with a scheduled event's "now":
//!
//! - by default every `every` (an hour) for the current time: sweeps are
//!   idempotent, so firing more often than daily only catches up sooner;
//! - with a simulated clock (`--sim-day-secs N`), the clock of the whole
//!   local system (the stack's `printvault_domain::when::Clock`: uploads, deletions, lab
//!   reports) moves one day ahead every N real seconds, and the sweeps are
//!   fired for each new day, so a person can watch a year go by.
//!
//! Both go through the stack's [`Clock`], which `POST /_local/clock` also
//! moves by hand ([`crate::clock`]), so that they take turns.

use anyhow::Context;
use printvault_adapters::aws::{self, Clients};
use printvault_adapters::names::ResourceNames;
use printvault_domain::billing::{day_str, parse_day};
use printvault_domain::settings::Settings;
use printvault_domain::when;
use std::sync::Arc;
use std::time::Duration;
use sweeps::{Sweep, Sweeps};
use time::{Date, OffsetDateTime};
use tokio::sync::Mutex;

/// When a day's sweeps run: five past midnight UTC, as the SAM schedules.
pub const SWEEP_MINUTE_SECS: i64 = 5 * 60;
/// A day of the simulated clock.
pub const DAY_SECS: i64 = 86_400;

/// The scheduled time of `day`'s sweeps, from `YYYY-MM-DD`.
pub fn day_time(day: &str) -> anyhow::Result<OffsetDateTime> {
    let d = parse_day(day).map_err(|e| anyhow::anyhow!("{e}"))?;
    Ok(sweep_time(d))
}

/// The scheduled time of `day`'s sweeps.
pub fn sweep_time(day: Date) -> OffsetDateTime {
    day.midnight().assume_utc() + time::Duration::seconds(SWEEP_MINUTE_SECS)
}

/// Fires every sweep for `now`, logging each report; a failed sweep is
/// logged and tried again next time, as EventBridge's retry would.
pub async fn fire_all(sweeps: &Sweeps, now: OffsetDateTime) {
    for sweep in Sweep::ALL {
        match sweeps.run(sweep, now).await {
            Ok(report) => {
                tracing::info!(sweep = sweep.name(), ?report.counts, day = %report.day, "sweep ran")
            }
            Err(e) => {
                tracing::error!(sweep = sweep.name(), error = %e, "sweep failed; it runs again next time")
            }
        }
    }
}

/// The stack's clock and its sweeps. Everything in the runner that moves
/// the clock or fires the sweeps (`/_local/clock`, [`crate::clock`], and
/// [`run`]) goes through the stack's one `Clock`, one at a time.
pub struct Clock {
    /// The time every part of the stack reads (clones of one clock).
    time: when::Clock,
    sweeps: Sweeps,
    /// Held while the clock moves or the sweeps run.
    turn: Mutex<()>,
}

/// What a move did.
#[derive(Debug)]
pub struct Moved {
    /// The clock now.
    pub now: OffsetDateTime,
    /// Each day swept, in order.
    pub swept: Vec<Date>,
}

impl Clock {
    pub fn new(sweeps: Sweeps, time: when::Clock) -> Self {
        Self {
            time,
            sweeps,
            turn: Mutex::new(()),
        }
    }

    /// Moves the clock `days` ahead, a day at a time: for each new day the
    /// clock is set to that day (at this time of day), then every sweep runs
    /// at that day's sweep time, so the sweeps see every day in between, in
    /// order. The days are counted from where the clock stood when the move
    /// began, so the clock ends exactly `days` days ahead of it, however
    /// long the sweeps take. (In the first five minutes of a UTC day, each
    /// day's sweeps run a few minutes ahead of the clock, as if EventBridge
    /// fired early.)
    pub async fn advance(&self, days: u32) -> Moved {
        let _turn = self.turn.lock().await;
        let ahead = self.time.ahead();
        let today = self.time.now().date();
        let mut swept = Vec::with_capacity(days as usize);
        for d in 1..=i64::from(days) {
            self.time.set_ahead(ahead + d * DAY_SECS);
            let day = today + time::Duration::days(d);
            fire_all(&self.sweeps, sweep_time(day)).await;
            swept.push(day);
        }
        Moved {
            now: self.time.now(),
            swept,
        }
    }

    /// The time the stack reads.
    pub fn time(&self) -> &when::Clock {
        &self.time
    }

    /// Fires every sweep for the clock's now (the hourly schedule).
    pub async fn sweep_now(&self) {
        let _turn = self.turn.lock().await;
        fire_all(&self.sweeps, self.time.now()).await;
    }
}

/// Runs the schedules of `clock`'s stack until the task is dropped.
/// `sim_day`: move the simulated clock a day ahead this often (and sweep
/// that day, at its sweep time).
pub async fn run(clock: Arc<Clock>, every: Duration, sim_day: Option<Duration>) {
    clock.sweep_now().await;
    loop {
        match sim_day {
            Some(d) => {
                tokio::time::sleep(d).await;
                let moved = clock.advance(1).await;
                println!(
                    "simulated clock: {} (day {})",
                    day_str(moved.now.date()),
                    clock.time.ahead() / DAY_SECS
                );
            }
            None => {
                tokio::time::sleep(every).await;
                clock.sweep_now().await;
            }
        }
    }
}

/// `local-runner sweep NAME (--date D | --at T) --endpoint E`: runs one
/// sweep of the stack at `endpoint`, as its schedule would then.
pub async fn sweep_command(
    stage: &str,
    settings: &Settings,
    name: &str,
    (date, at): (Option<String>, Option<String>),
    endpoint: &str,
    api: &str,
) -> anyhow::Result<sweeps::Report> {
    let sweep = Sweep::parse(name).with_context(|| {
        let all = Sweep::ALL.map(Sweep::name).join(", ");
        format!("no sweep is called {name:?}; the sweeps are: {all}")
    })?;
    let now = match (date, at) {
        (Some(d), _) => day_time(&d).with_context(|| format!("--date {d:?}"))?,
        (None, Some(a)) => {
            when::parse_rfc3339(&a).with_context(|| format!("--at {a:?} is not an RFC 3339 time"))?
        }
        (None, None) => anyhow::bail!("give --date or --at"),
    };
    let sdk = aws::local_sdk_config(endpoint, "us-east-1").await;
    let clients = Clients::new(&sdk);
    let names = ResourceNames::new("printvault", stage);
    let notices = clients
        .sqs
        .get_queue_url()
        .queue_name(&names.notices_queue)
        .send()
        .await
        .with_context(|| format!("finding the notices queue at {endpoint}; is `make run` running?"))?
        .queue_url
        .unwrap_or_default();
    let s = Sweeps::new(
        &clients,
        sweeps::Config::for_names(&names, settings, notices, api.to_owned()),
    );
    s.run(sweep, now).await.map_err(|e| anyhow::anyhow!("{e}"))
}
