//! The scheduled sweeps, one Lambda function each (a binary of this crate),
//! each invoked by its EventBridge schedule. The event's `time` is the
//! sweep's "now": the clock is never read, so any day can be run again (the
//! local runner's `sweep` command does), and running a day again does
//! nothing more.
//!
//! - `billing-sweep` (M23-M25): closes months into invoices, emails them,
//!   credits storage points, reminds, and puts customers in arrears.
//!
//! An event without a readable `time` is an error: the invocation fails,
//! EventBridge retries it, and then parks it in the sweeps' DLQ.

mod config;

pub use config::Config;

use printvault_adapters::accounts::AccountStore;
use printvault_adapters::aws::Clients;
use printvault_adapters::billing::BillingStore;
use printvault_adapters::ledger::LedgerStore;
use printvault_adapters::notices::NoticeQueue;
use printvault_domain::billing::ScheduledEvent;
use printvault_domain::Error;
use printvault_usecases::sweeps::billing::BillingSweep;
pub use printvault_usecases::sweeps::Report;
use time::OffsetDateTime;

/// Which sweep.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sweep {
    Billing,
}

impl Sweep {
    pub const ALL: [Sweep; 1] = [Sweep::Billing];

    pub fn name(self) -> &'static str {
        match self {
            Self::Billing => "billing",
        }
    }

    pub fn parse(s: &str) -> Result<Self, Error> {
        Self::ALL.into_iter().find(|w| w.name() == s).ok_or_else(|| {
            Error::invalid(
                "sweep",
                format!("no sweep is called {s:?}; the sweeps are: billing"),
            )
        })
    }
}

/// Every sweep's dependencies, built once per cold start.
#[derive(Clone)]
pub struct Sweeps {
    billing: BillingSweep,
}

impl Sweeps {
    pub fn new(clients: &Clients, config: Config) -> Self {
        let db = || clients.dynamodb.clone();
        Self {
            billing: BillingSweep {
                billing: BillingStore::new(db(), config.billing_table, config.images_table, &config.settings),
                accounts: AccountStore::new(db(), config.accounts_table),
                ledger: LedgerStore::new(db(), config.ledger_table),
                notices: NoticeQueue::new(clients.sqs.clone(), config.notices_queue_url),
                settings: config.settings,
            },
        }
    }

    /// Runs `sweep` for the day of `now`.
    pub async fn run(&self, sweep: Sweep, now: OffsetDateTime) -> Result<Report, Error> {
        match sweep {
            Sweep::Billing => self.billing.run(now).await,
        }
    }

    /// Handles one scheduled event (EventBridge's `Scheduled Event`, or
    /// anything with a `time`).
    pub async fn handle(&self, sweep: Sweep, event: serde_json::Value) -> Result<Report, Error> {
        let event: ScheduledEvent = serde_json::from_value(event)
            .map_err(|e| Error::invalid("event", format!("not a scheduled event with a time: {e}")))?;
        self.run(sweep, event.now()?).await
    }
}

/// The Lambda entry point of `sweep`: configuration and clients once per
/// cold start, then one run per scheduled event.
pub async fn lambda_main(sweep: Sweep) -> Result<(), lambda_runtime::Error> {
    use lambda_runtime::{service_fn, LambdaEvent};
    printvault_adapters::telemetry::init();
    let config = Config::from_env()?;
    let sdk = printvault_adapters::aws::load_sdk_config().await;
    let sweeps = Sweeps::new(&Clients::new(&sdk), config);
    let sweeps = &sweeps;
    lambda_runtime::run(service_fn(
        move |event: LambdaEvent<serde_json::Value>| async move {
            sweeps
                .handle(sweep, event.payload)
                .await
                .map_err(|e| lambda_runtime::Error::from(e.to_string()))
        },
    ))
    .await
}
