//! EventBridge schedules, played locally (moto accepts schedules but never
//! fires them). Each sweep is fired with a scheduled event's "now":
//!
//! - by default every `every` (an hour) for the current time: sweeps are
//!   idempotent, so firing more often than daily only catches up sooner;
//! - with a simulated clock (`--sim-day-secs N`), the clock of the whole
//!   local system (`printvault_domain::when::now`: uploads, deletions, lab
//!   reports) moves one day ahead every N real seconds, and the sweeps are
//!   fired for each new day, so a person can watch a year go by.

use anyhow::Context;
use printvault_adapters::aws::{self, Clients};
use printvault_adapters::names::ResourceNames;
use printvault_domain::billing::{day_start, day_str, parse_day};
use printvault_domain::settings::Settings;
use printvault_domain::when;
use std::time::Duration;
use sweeps::{Sweep, Sweeps};
use time::OffsetDateTime;

/// When a day's sweeps run: five past midnight UTC, as the SAM schedules.
pub const SWEEP_MINUTE_SECS: i64 = 5 * 60;

/// The scheduled time of `day`'s sweeps, from `YYYY-MM-DD`.
pub fn day_time(day: &str) -> anyhow::Result<OffsetDateTime> {
    let d = parse_day(day).map_err(|e| anyhow::anyhow!("{e}"))?;
    Ok(OffsetDateTime::from_unix_timestamp(
        day_start(d) + SWEEP_MINUTE_SECS,
    )?)
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

/// Runs the schedules until the task is dropped. `sim_day`: move the
/// simulated clock a day ahead this often.
pub async fn run(sweeps: Sweeps, every: Duration, sim_day: Option<Duration>) {
    fire_all(&sweeps, when::now()).await;
    loop {
        match sim_day {
            Some(d) => {
                tokio::time::sleep(d).await;
                when::set_simulated_ahead(when::simulated_ahead() + 86_400);
                let now = when::now();
                println!(
                    "simulated clock: {} (day {})",
                    day_str(now.date()),
                    when::simulated_ahead() / 86_400
                );
                fire_all(&sweeps, now).await;
            }
            None => {
                tokio::time::sleep(every).await;
                fire_all(&sweeps, when::now()).await;
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
    let sweep = Sweep::parse(name).map_err(|e| anyhow::anyhow!("{e}"))?;
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
