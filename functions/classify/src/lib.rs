//! classify: indexes each ready image for search (M14) and files it into its
//! automatic albums (M12), by the year and month it was taken, its event and
//! its named place.
//!
//! Messages come from the image-events queue at least once, possibly late:
//! - the message only names the image; the record is read afresh, and an
//!   image that is gone or not `ready` is skipped (success, no retry);
//! - one automatic album per key per customer (`AlbumStore::auto_album`
//!   claims the key by conditional write), and adding to an album twice
//!   changes nothing, so a repeated message changes nothing;
//! - a body that is not an image event is reported as a batch item failure,
//!   so it retries and, after the queue's maxReceiveCount, waits in the DLQ.
//!   So does an unknown `kind`: it comes from a newer producer, and parked it
//!   can be redriven once classify understands it.

mod config;

pub use config::Config;

use aws_lambda_events::sqs::{SqsBatchResponse, SqsEvent, SqsMessage};
use printvault_adapters::accounts::AccountStore;
use printvault_adapters::albums::AlbumStore;
use printvault_adapters::aws::Clients;
use printvault_adapters::image_events::{self, ImageReady};
use printvault_adapters::images::ImageStore;
use printvault_adapters::lambda;
use printvault_adapters::search::SearchIndex;
use printvault_domain::album::{auto_albums_for, Album, AlbumKind, MAX_ALBUMS_PER_IMAGE};
use printvault_domain::ids::AlbumId;
use printvault_domain::image::ImageStatus;
use printvault_domain::Error;
use tracing::{info, instrument, warn};

/// The function's dependencies, built once per cold start.
#[derive(Clone)]
pub struct Classifier {
    images: ImageStore,
    albums: AlbumStore,
    search: SearchIndex,
    accounts: AccountStore,
}

/// What one message did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Classified {
    /// The image is gone or not ready: nothing to file.
    Skipped(&'static str),
    /// The image is in each of these automatic albums (`added` of them new).
    Filed { albums: usize, added: usize },
}

fn now() -> String {
    let t = time::OffsetDateTime::now_utc();
    t.replace_nanosecond(0)
        .unwrap_or(t)
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}

impl Classifier {
    pub fn new(clients: &Clients, config: Config) -> Self {
        Self {
            images: ImageStore::new(clients.dynamodb.clone(), config.images_table.clone()),
            albums: AlbumStore::new(clients.dynamodb.clone(), config.images_table.clone()),
            accounts: AccountStore::new(clients.dynamodb.clone(), config.accounts_table),
            search: SearchIndex::new(
                clients.dynamodb.clone(),
                config.images_table,
                config.search_shards,
            ),
        }
    }

    /// Handles one SQS batch. A message that fails is reported, and only it
    /// is retried; after the queue's maxReceiveCount it moves to the DLQ.
    pub async fn handle_batch(&self, event: SqsEvent) -> SqsBatchResponse {
        lambda::each_message(&event, "image event", |m| self.handle_message(m)).await
    }

    async fn handle_message(&self, message: &SqsMessage) -> anyhow::Result<()> {
        let body = message.body.as_deref().unwrap_or_default();
        let ready = image_events::parse(body).map_err(anyhow::Error::msg)?;
        self.classify(&ready).await?;
        Ok(())
    }

    /// Files one ready image into its automatic albums.
    #[instrument(skip_all, fields(image_id = %ready.image_id, customer_id = %ready.owner))]
    pub async fn classify(&self, ready: &ImageReady) -> anyhow::Result<Classified> {
        let (owner, id) = (&ready.owner, &ready.image_id);
        let Some(image) = self.images.get(owner, id).await? else {
            info!("image is gone; nothing to file");
            return Ok(Classified::Skipped("gone"));
        };
        if image.status != ImageStatus::Ready {
            info!(
                status = image.status.as_str(),
                "image is not ready; nothing to file"
            );
            return Ok(Classified::Skipped("not ready"));
        }
        // Make it searchable (M14) as it is now; repeating this rewrites the
        // same items.
        self.search.add(&image).await?;
        let profile = self
            .accounts
            .customer(owner)
            .await?
            .map(|c| c.profile)
            .unwrap_or_default();
        let wanted = auto_albums_for(&image.attributes, &profile);
        let mut held = image.albums.len();
        let mut added = 0;
        for (key, name) in &wanted {
            let candidate = Album {
                album_id: AlbumId::generate(),
                owner: owner.clone(),
                name: name.clone(),
                kind: AlbumKind::Auto,
                auto_key: Some(key.clone()),
                created_at: now(),
            };
            let album = self.albums.auto_album(&candidate, key).await?;
            if image.albums.contains(&album.album_id) {
                continue;
            }
            if held >= MAX_ALBUMS_PER_IMAGE {
                warn!(album_id = %album.album_id, key = %key, "image is in too many albums; not filed");
                continue;
            }
            match self.albums.add(owner, &album.album_id, id, &now()).await {
                Ok(()) => {}
                // Deleted by its owner since we read it.
                Err(Error::NotFound(_)) => {
                    info!("image is gone; nothing more to file");
                    return Ok(Classified::Skipped("gone"));
                }
                Err(e) => return Err(e.into()),
            }
            info!(album_id = %album.album_id, key = %key, "filed into an automatic album");
            held += 1;
            added += 1;
        }
        Ok(Classified::Filed {
            albums: wanted.len(),
            added,
        })
    }
}
