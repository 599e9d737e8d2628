//! classify: each message on the image-events queue (`image.ready` from
//! upload-finalise, `image.attributes_changed` from the api) is one call of
//! [`printvault_usecases::albums::file::file`], which makes the image
//! searchable (M14) and files it into exactly the automatic albums (M12)
//! its attributes call for now, and says why a repeated or late event
//! changes nothing.
//!
//! A body that is not an image event is reported as a batch item failure,
//! so it retries and, after the queue's maxReceiveCount, waits in the DLQ.
//! So does an unknown `kind`: it comes from a newer producer, and parked it
//! can be redriven once classify understands it.

mod config;

pub use config::Config;
pub use printvault_usecases::albums::file::Classified;

use aws_lambda_events::sqs::{SqsBatchResponse, SqsEvent, SqsMessage};
use printvault_adapters::accounts::AccountStore;
use printvault_adapters::albums::AlbumStore;
use printvault_adapters::aws::Clients;
use printvault_adapters::images::ImageStore;
use printvault_adapters::lambda;
use printvault_adapters::search::SearchIndex;
use printvault_domain::image_event::{self, ImageEvent};
use printvault_domain::when::Clock;
use printvault_usecases::albums::file::file;
use printvault_usecases::albums::file_wiring::FilingStorage;
use tracing::instrument;

/// The function's dependencies, built once per cold start.
#[derive(Clone)]
pub struct Classifier {
    storage: FilingStorage,
    clock: Clock,
}

impl Classifier {
    pub fn new(clients: &Clients, config: Config) -> Self {
        let db = || clients.dynamodb.clone();
        Self {
            storage: FilingStorage {
                images: ImageStore::new(db(), config.images_table.clone()),
                albums: AlbumStore::new(db(), config.images_table.clone()),
                accounts: AccountStore::new(db(), config.accounts_table),
                search: SearchIndex::new(db(), config.images_table, config.search_shards),
            },
            clock: Clock::system(),
        }
    }

    /// Reads `clock` instead of the real one (the local runner's, which
    /// it moves).
    pub fn with_clock(mut self, clock: Clock) -> Self {
        self.clock = clock;
        self
    }

    /// Handles one SQS batch. A message that fails is reported, and only it
    /// is retried; after the queue's maxReceiveCount it moves to the DLQ.
    pub async fn handle_batch(&self, event: SqsEvent) -> SqsBatchResponse {
        lambda::SqsHandler::handle(self, event, lambda::Deadline::none()).await
    }

    async fn handle_message(&self, message: &SqsMessage) -> anyhow::Result<()> {
        let body = message.body.as_deref().unwrap_or_default();
        let event = image_event::parse(body).map_err(anyhow::Error::msg)?;
        self.classify(&event).await?;
        Ok(())
    }

    /// Files the image an event names (see [`file`]).
    #[instrument(skip_all, fields(image_id = %event.image_id, customer_id = %event.owner, kind = event.kind.as_str()))]
    pub async fn classify(&self, event: &ImageEvent) -> anyhow::Result<Classified> {
        Ok(file(&self.storage, event, self.clock.now()).await?)
    }
}

impl lambda::SqsHandler for Classifier {
    async fn handle(&self, batch: SqsEvent, deadline: lambda::Deadline) -> SqsBatchResponse {
        lambda::each_message_until(&batch, "image event", deadline, |m| self.handle_message(m)).await
    }
}
