//! print-dispatch (M21, M32): each message on the dispatch queue names a
//! paid order (`order.paid`), and is one call of
//! [`printvault_usecases::orders::dispatch::dispatch`], which sends the
//! order's lines (or its archive disc) to its lab's FIFO queue exactly once
//! (and says why a redelivered message, a crash or a dead line cannot send
//! twice, lose a line or keep money); or a written archive disc
//! (`disc.written`), and is one call of
//! [`printvault_usecases::archive_moves::move_disc`], which moves each of
//! its originals to the archive class once; or S3's word that an archived
//! original's restore is complete (`ObjectRestore:Completed` on
//! `originals/`), and is one call of
//! [`printvault_usecases::archive_moves::restore::restore_completed`] per
//! object, which emails its owner once. This crate parses the messages and
//! reports the ones that failed.

mod config;

pub use config::Config;
pub use printvault_usecases::orders::dispatch::Outcome;

use aws_lambda_events::sqs::{SqsBatchResponse, SqsEvent, SqsMessage};
use printvault_adapters::archive::ArchiveStore;
use printvault_adapters::aws::Clients;
use printvault_adapters::billing::BillingStore;
use printvault_adapters::dispatch::{DispatchQueue, LabQueues};
use printvault_adapters::images::ImageStore;
use printvault_adapters::labs::LabStore;
use printvault_adapters::lambda;
use printvault_adapters::ledger::LedgerStore;
use printvault_adapters::notices::NoticeQueue;
use printvault_adapters::objects::ObjectStore;
use printvault_adapters::orders::OrderStore;
use printvault_adapters::s3_event;
use printvault_domain::dispatch::DispatchMessage;
use printvault_domain::ids::OrderId;
use printvault_domain::when::Clock;
use printvault_usecases::archive_moves::restore::{restore_completed, RestoreParts};
use printvault_usecases::archive_moves::{move_disc, move_disc_while, Moved};
use printvault_usecases::orders::dispatch::{dispatch, wiring::DispatchStorage};
use std::time::Duration;
use time::OffsetDateTime;
use tracing::instrument;

/// The time one image's move may take at most (a claim, a `CopyObject` of
/// the largest original, the mark): a disc's move starts an image only
/// with this much of the invocation left, and hands the rest on.
pub const MOVE_RESERVE: Duration = Duration::from_secs(15);

/// The function's dependencies, built once per cold start.
#[derive(Clone)]
pub struct Dispatcher {
    storage: DispatchStorage,
    url_ttl: Duration,
    clock: Clock,
}

impl Dispatcher {
    pub fn new(clients: &Clients, config: Config) -> Self {
        let db = || clients.dynamodb.clone();
        let bucket = || ObjectStore::new(clients.s3.clone(), config.photos_bucket.clone());
        Self {
            storage: DispatchStorage {
                orders: OrderStore::new(db(), config.orders_table.clone()),
                labs: LabStore::new(db(), config.orders_table.clone()),
                images: ImageStore::new(db(), config.images_table.clone()),
                ledger: LedgerStore::new(db(), config.ledger_table.clone()),
                billing: BillingStore::new(
                    db(),
                    config.billing_table.clone(),
                    config.images_table.clone(),
                    &config.settings,
                ),
                objects: bucket(),
                presigner: bucket(),
                lab_queues: LabQueues::new(clients.sqs.clone()),
                notices: NoticeQueue::new(clients.sqs.clone(), config.notices_queue_url.clone()),
                archive: ArchiveStore::new(db(), config.images_table.clone()),
                dispatch: DispatchQueue::new(clients.sqs.clone(), config.dispatch_queue_url.clone()),
                archive_class: config.settings.archive.storage_class.clone(),
                max_original_bytes: config.settings.uploads.max_bytes,
            },
            url_ttl: Duration::from_secs(u64::from(config.settings.orders.asset_url_ttl_hours) * 3600),
            clock: Clock::system(),
        }
    }

    /// Reads `clock` instead of the real one (the local runner's, which
    /// it moves).
    pub fn with_clock(mut self, clock: Clock) -> Self {
        self.clock = clock;
        self
    }

    /// Presigns the labs' URLs with `s3` (its endpoint is where the labs
    /// reach the bucket); everything else still goes to the bucket itself.
    pub fn presigning_through(mut self, s3: aws_sdk_s3::Client) -> Self {
        self.storage.presigner = self.storage.presigner.with_client(s3);
        self
    }

    /// What it reaches, for tests that drive the use cases over it.
    pub fn storage(&self) -> &DispatchStorage {
        &self.storage
    }

    /// Handles one SQS batch; only the failed messages are reported.
    pub async fn handle_batch(&self, event: SqsEvent) -> SqsBatchResponse {
        lambda::SqsHandler::handle(self, event, lambda::Deadline::none()).await
    }

    async fn handle_message(&self, m: &SqsMessage, deadline: tokio::time::Instant) -> anyhow::Result<()> {
        let body = m.body.as_deref().unwrap_or_default();
        let message = match DispatchMessage::from_body(body) {
            Ok(message) => message,
            Err(not_ours) => {
                // S3's restore events share the queue (S3 cannot send to
                // a FIFO one, and this is the archive's worker).
                let keys = s3_event::restored_keys(body).map_err(|_| anyhow::Error::msg(not_ours))?;
                for key in keys {
                    self.restore_completed(&key, self.clock.now()).await?;
                }
                return Ok(());
            }
        };
        match message {
            DispatchMessage::OrderPaid { order_id } => {
                self.dispatch(&order_id, self.clock.now()).await.map(|_| ())
            }
            DispatchMessage::DiscWritten { order_id } => self
                .move_disc_within(&order_id, self.clock.now(), deadline)
                .await
                .map(|_| ()),
        }
    }

    /// Moves the originals of `order_id`'s written disc at `now`, as a
    /// mover of its own (see [`move_disc`]).
    #[instrument(skip_all, fields(order = %order_id))]
    pub async fn move_disc(&self, order_id: &OrderId, now: OffsetDateTime) -> anyhow::Result<Moved> {
        let me = ulid::Ulid::new().to_string();
        Ok(move_disc(&self.storage, order_id, &me, now).await?)
    }

    /// [`Dispatcher::move_disc`], starting an image only while
    /// [`MOVE_RESERVE`] is left before `deadline`; the rest is handed on.
    pub async fn move_disc_within(
        &self,
        order_id: &OrderId,
        now: OffsetDateTime,
        deadline: tokio::time::Instant,
    ) -> anyhow::Result<Moved> {
        let me = ulid::Ulid::new().to_string();
        let time_left = || tokio::time::Instant::now() + MOVE_RESERVE < deadline;
        Ok(move_disc_while(&self.storage, order_id, &me, now, time_left).await?)
    }

    /// Finishes the restore of the original at `key` (see
    /// [`restore_completed`]).
    #[instrument(skip_all)]
    pub async fn restore_completed(&self, key: &str, now: OffsetDateTime) -> anyhow::Result<()> {
        let st = &self.storage;
        let parts = RestoreParts {
            images: &st.images,
            objects: &st.objects,
            notices: &st.notices,
        };
        restore_completed(&parts, key, now).await?;
        Ok(())
    }

    /// Dispatches one order at `now` (see [`dispatch`]).
    #[instrument(skip_all, fields(order = %order_id))]
    pub async fn dispatch(&self, order_id: &OrderId, now: OffsetDateTime) -> anyhow::Result<Outcome> {
        Ok(dispatch(&self.storage, order_id, self.url_ttl, now).await?)
    }
}

impl lambda::SqsHandler for Dispatcher {
    async fn handle(&self, batch: SqsEvent, deadline: lambda::Deadline) -> SqsBatchResponse {
        let until = deadline.at;
        lambda::each_message_until(&batch, "dispatching an order", deadline, |m| async move {
            self.handle_message(m, until).await
        })
        .await
    }
}
