//! export (X3): each message on the exports queue names one step of a
//! customer's full export, and is one call of
//! [`printvault_usecases::export::run::step`], which writes the export's
//! ZIP parts into S3 while the invocation has time and hands the rest on
//! through this queue (and says why a message delivered twice, or one from
//! before a hand-over, writes nothing twice).
//!
//! A body that is not an export step is reported as a batch item failure,
//! so it retries and, after the queue's maxReceiveCount, waits in the DLQ.
//! A step whose job is held by another delivery, or whose hand-over is not
//! written yet, is queued again a little later rather than waiting out the
//! queue's long visibility timeout.

mod config;

pub use config::Config;
pub use printvault_usecases::export::run::Stepped;

use aws_lambda_events::sqs::{SqsBatchResponse, SqsEvent, SqsMessage};
use printvault_adapters::aws::Clients;
use printvault_adapters::lambda;
use printvault_adapters::names::{EXPORT_RESERVE_SECS, EXPORT_TIMEOUT_SECS};
use printvault_domain::export::job::ExportMessage;
use printvault_domain::when::Clock;
use printvault_usecases::export::run::step;
use printvault_usecases::Stores;
use std::time::Duration;
use tracing::instrument;

/// How long a step holds its job: the function's timeout, and a minute.
pub const LEASE_SECS: i64 = EXPORT_TIMEOUT_SECS as i64 + 60;
/// How soon a step that could not have its job yet is tried again.
pub const RETRY_DELAY_SECS: i32 = 15;

/// The function's dependencies, built once per cold start.
#[derive(Clone)]
pub struct Exporter {
    stores: Stores,
    settings: printvault_domain::settings::Settings,
    clock: Clock,
    /// Hands over after this many entries in a step, whatever the time
    /// left (tests and demos of the hand-over; `None` in Lambda).
    entries_per_step: Option<usize>,
}

impl Exporter {
    pub fn new(clients: &Clients, config: Config) -> Self {
        Self {
            stores: Stores::new(clients, &config.at, &config.settings),
            settings: config.settings,
            clock: Clock::system(),
            entries_per_step: None,
        }
    }

    /// Reads `clock` instead of the real one (the local runner's, which
    /// it moves).
    pub fn with_clock(mut self, clock: Clock) -> Self {
        self.clock = clock;
        self
    }

    /// Hands over after `n` entries of a part in each step (at least one
    /// entry is always written), as a step short of time would.
    pub fn handing_over_every(mut self, n: usize) -> Self {
        self.entries_per_step = Some(n.max(1));
        self
    }

    /// Handles one SQS batch; only the failed messages are reported.
    pub async fn handle_batch(&self, event: SqsEvent) -> SqsBatchResponse {
        lambda::SqsHandler::handle(self, event, lambda::Deadline::none()).await
    }

    async fn handle_message(&self, m: &SqsMessage, deadline: tokio::time::Instant) -> anyhow::Result<()> {
        let body = m.body.as_deref().unwrap_or_default();
        let message = ExportMessage::from_body(body).map_err(anyhow::Error::msg)?;
        self.step(&message, deadline).await?;
        Ok(())
    }

    /// Carries out one step, starting an entry or a part only while
    /// [`EXPORT_RESERVE_SECS`] is left before `deadline`.
    #[instrument(skip_all, fields(export = %message.export_id, customer_id = %message.customer_id, step = message.step))]
    pub async fn step(
        &self,
        message: &ExportMessage,
        deadline: tokio::time::Instant,
    ) -> anyhow::Result<Stepped> {
        let reserve = Duration::from_secs(EXPORT_RESERVE_SECS);
        let mut budget = self.entries_per_step;
        let go_on = move || {
            let in_time = tokio::time::Instant::now() + reserve < deadline;
            let counted = match budget.as_mut() {
                Some(0) => false,
                Some(n) => {
                    *n -= 1;
                    true
                }
                None => true,
            };
            in_time && counted
        };
        let now = self.clock.now();
        let stepped = step(&self.stores, &self.settings, message, now, LEASE_SECS, go_on).await?;
        match &stepped {
            Stepped::NotYet => {
                self.stores
                    .export_steps
                    .send_later(message, RETRY_DELAY_SECS)
                    .await?;
                tracing::info!("the export is not at this step yet, or held; queued again");
            }
            Stepped::Stale => tracing::info!("the export is past this step; nothing to do"),
            Stepped::HandedOver { next } => tracing::info!(next, "out of time; handed over"),
            Stepped::Done => tracing::info!("export done"),
            Stepped::Failed(reason) => tracing::warn!(%reason, "export failed"),
        }
        Ok(stepped)
    }
}

impl lambda::SqsHandler for Exporter {
    fn reserve(&self) -> Duration {
        Duration::from_secs(EXPORT_RESERVE_SECS)
    }

    async fn handle(&self, batch: SqsEvent, deadline: lambda::Deadline) -> SqsBatchResponse {
        let until = deadline.at;
        lambda::each_message_until(&batch, "an export step", deadline, |m| async move {
            self.handle_message(m, until).await
        })
        .await
    }
}
