//! upload-finalise: each S3 "object created" event under `incoming/`,
//! through the SQS uploads queue, is one call of
//! [`printvault_usecases::uploads::finalise`], which makes the upload a
//! ready, rejected or duplicate image (and says why each step is safe to
//! repeat). This crate parses the messages, keeps the invocation within its
//! deadline and its memory, and reports the messages that failed.

mod config;

pub use config::Config;
pub use printvault_usecases::uploads::MemoryBudget;

use aws_lambda_events::sqs::{SqsBatchResponse, SqsEvent, SqsMessage};
use printvault_adapters::archive::ArchiveStore;
use printvault_adapters::aws::Clients;
use printvault_adapters::billing::BillingStore;
use printvault_adapters::blocklist::BlocklistStore;
use printvault_adapters::image_events::ImageEvents;
use printvault_adapters::images::ImageStore;
use printvault_adapters::keys;
use printvault_adapters::lambda;
use printvault_adapters::objects::ObjectStore;
use printvault_adapters::s3_event::{self, ObjectCreated, S3Notice};
use printvault_domain::settings::Settings;
use printvault_domain::when::Clock;
use printvault_usecases::uploads::{self, wiring::UploadStorage, Finalisation};
use std::sync::Arc;
use tracing::{info, instrument, warn};

/// The function's dependencies, built once per cold start.
#[derive(Clone)]
pub struct Finaliser {
    storage: UploadStorage,
    settings: Arc<Settings>,
    bucket: String,
    budget: MemoryBudget,
    clock: Clock,
}

impl Finaliser {
    pub fn new(clients: &Clients, config: Config) -> Self {
        let db = || clients.dynamodb.clone();
        Self {
            storage: UploadStorage {
                images: ImageStore::new(db(), config.images_table.clone()),
                blocklist: BlocklistStore::new(db(), config.blocklist_table),
                objects: ObjectStore::new(clients.s3.clone(), config.photos_bucket.clone()),
                events: ImageEvents::new(clients.sqs.clone(), config.image_events_queue_url),
                billing: BillingStore::new(
                    db(),
                    config.billing_table,
                    config.images_table.clone(),
                    &config.settings,
                ),
                archive: ArchiveStore::new(db(), config.images_table),
            },
            budget: MemoryBudget::of_function(
                config.memory_mb,
                config.settings.uploads.finalise_memory_percent,
            ),
            settings: Arc::new(config.settings),
            bucket: config.photos_bucket,
            clock: Clock::system(),
        }
    }

    /// Reads `clock` instead of the real one (the local runner's, which
    /// it moves).
    pub fn with_clock(mut self, clock: Clock) -> Self {
        self.clock = clock;
        self
    }

    /// The memory the uploads in flight share.
    pub fn budget(&self) -> &MemoryBudget {
        &self.budget
    }

    /// Handles one SQS batch, up to `uploads.finalise_in_flight` messages at
    /// once within the memory budget. A message that fails is reported, and
    /// only it is retried; after the queue's maxReceiveCount it moves to the DLQ.
    pub async fn handle_batch(&self, event: SqsEvent) -> SqsBatchResponse {
        self.handle_batch_until(event, lambda::Deadline::none()).await
    }

    /// [`Self::handle_batch`] within an invocation's deadline: messages it
    /// has no time left for are handed back unstarted, as batch item
    /// failures, so one heavy batch never makes the whole invocation time
    /// out (which would retry every message in it).
    pub async fn handle_batch_until(&self, event: SqsEvent, deadline: lambda::Deadline) -> SqsBatchResponse {
        let in_flight = self.settings.uploads.finalise_in_flight as usize;
        lambda::each_message_concurrently(&event, "upload message", deadline, in_flight, |m| {
            self.handle_message(m)
        })
        .await
    }

    /// How much Lambda time a message needs to be started.
    pub fn reserve(&self) -> std::time::Duration {
        lambda::SqsHandler::reserve(self)
    }

    async fn handle_message(&self, message: &SqsMessage) -> anyhow::Result<()> {
        let body = message.body.as_deref().unwrap_or_default();
        match s3_event::parse(body).map_err(anyhow::Error::msg)? {
            S3Notice::Test => info!("skipping s3:TestEvent"),
            S3Notice::Created(objects) => {
                for object in objects {
                    self.finalise_object(&object).await?;
                }
            }
        }
        Ok(())
    }

    #[instrument(skip_all, fields(key = %object.key))]
    async fn finalise_object(&self, object: &ObjectCreated) -> anyhow::Result<()> {
        if object.bucket != self.bucket {
            warn!(bucket = %object.bucket, "event for another bucket; skipped");
            return Ok(());
        }
        let Some((owner, id)) = keys::parse_incoming_key(&object.key) else {
            warn!("not an upload key; left for the bucket's incoming/ expiry rule");
            return Ok(());
        };
        let with = uploads::Setup {
            settings: &self.settings,
            clock: &self.clock,
            budget: &self.budget,
        };
        match uploads::finalise(&self.storage, &with, &owner, &id).await? {
            Finalisation::Settled(_) | Finalisation::AlreadyFinal(_) | Finalisation::Orphan => Ok(()),
        }
    }
}

impl lambda::SqsHandler for Finaliser {
    fn reserve(&self) -> std::time::Duration {
        std::time::Duration::from_secs(self.settings.uploads.finalise_reserve_secs)
    }

    async fn handle(&self, batch: SqsEvent, deadline: lambda::Deadline) -> SqsBatchResponse {
        self.handle_batch_until(batch, deadline).await
    }
}
