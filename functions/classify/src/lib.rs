//! classify: indexes each ready image for search (M14) and files it into its
//! automatic albums (M12), by the year and month it was taken, its event, its
//! named place, and the customer's birthday and named dates.
//!
//! Two events file an image: `image.ready` from upload-finalise, and
//! `image.attributes_changed` from the api when an owner edits the date
//! taken, event or place (M8). Either way the image ends up in exactly the
//! automatic albums its attributes call for now: it is taken out of those
//! classify filed it in that no longer fit (never out of an album the
//! customer put it in by hand) and filed in the new ones.
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
use printvault_adapters::image_events::{self, ImageEvent, Kind};
use printvault_adapters::images::ImageStore;
use printvault_adapters::lambda;
use printvault_adapters::search::SearchIndex;
use printvault_domain::album::{auto_albums_for, Album, AlbumKind, MAX_ALBUMS_PER_IMAGE};
use printvault_domain::ids::AlbumId;
use printvault_domain::image::{Image, ImageStatus};
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
    /// The image is in each of these automatic albums (`added` of them
    /// new), and was taken out of `removed` that it no longer belongs in.
    Filed {
        albums: usize,
        added: usize,
        removed: usize,
    },
}

/// Filing passes per message; more only when the owner keeps editing while
/// classify files (then the next attributes_changed event files again).
const MAX_PASSES: usize = 3;

fn now() -> String {
    printvault_domain::when::rfc3339(printvault_domain::when::now())
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
        let event = image_events::parse(body).map_err(anyhow::Error::msg)?;
        self.classify(&event).await?;
        Ok(())
    }

    /// Indexes a ready image and files it into exactly the automatic albums
    /// its attributes call for now.
    #[instrument(skip_all, fields(image_id = %event.image_id, customer_id = %event.owner, kind = event.kind.as_str()))]
    pub async fn classify(&self, event: &ImageEvent) -> anyhow::Result<Classified> {
        let (owner, id) = (&event.owner, &event.image_id);
        let mut filed = Classified::Filed {
            albums: 0,
            added: 0,
            removed: 0,
        };
        // An edit that lands while we index or file re-reads and goes again,
        // so the last pass always works from the image as it is now.
        let mut indexed = event.kind != Kind::Ready;
        for _ in 0..MAX_PASSES {
            let image = match self.images.get(owner, id).await? {
                Some(image) if !image.deleting => image,
                _ => {
                    info!("image is gone; nothing to file");
                    return Ok(Classified::Skipped("gone"));
                }
            };
            if image.status != ImageStatus::Ready {
                info!(
                    status = image.status.as_str(),
                    "image is not ready; nothing to file"
                );
                return Ok(Classified::Skipped("not ready"));
            }
            if !indexed {
                // Make it searchable (M14) as it is now. The write lands only
                // if the record is still this revision (edits update search
                // themselves, in the api), so a late message never writes
                // back what an edit removed.
                if !self.search.add(&image).await? {
                    info!("image changed while it was indexed; reading it again");
                    continue;
                }
                indexed = true;
            }
            filed = match self.file(&image).await? {
                Some(f) => f,
                None => return Ok(Classified::Skipped("gone")),
            };
            match self.images.get(owner, id).await? {
                Some(now) if now.attributes != image.attributes => {
                    info!("attributes changed while filing; filing again");
                }
                _ => break,
            }
        }
        anyhow::ensure!(
            indexed,
            "the image kept changing while it was indexed; the message will be retried"
        );
        Ok(filed)
    }

    /// One reconciliation of `image`'s automatic albums. `None` when the
    /// image was deleted under us.
    async fn file(&self, image: &Image) -> anyhow::Result<Option<Classified>> {
        let (owner, id) = (&image.owner, &image.id);
        let profile = self
            .accounts
            .customer(owner)
            .await?
            .map(|c| c.profile)
            .unwrap_or_default();
        let wanted = auto_albums_for(&image.attributes, &profile);

        // Out of the automatic albums classify filed it in that its
        // attributes no longer call for; the customer's own adds stay.
        let mut held: Vec<AlbumId> = Vec::with_capacity(image.albums.len());
        let mut removed = 0;
        for album_id in &image.albums {
            let stale = match self.albums.membership(album_id, id).await? {
                Some(m) => m
                    .auto_key
                    .is_some_and(|k| !wanted.iter().any(|(key, _)| *key == k)),
                None => false,
            };
            if stale {
                self.albums.remove(owner, album_id, id).await?;
                info!(album_id = %album_id, "taken out of an automatic album it no longer belongs in");
                removed += 1;
            } else {
                held.push(album_id.clone());
            }
        }

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
            let Some(album) = self.albums.auto_album(&candidate, key).await? else {
                info!(key = %key, "its owner deleted this automatic album; not filed");
                continue;
            };
            if held.contains(&album.album_id) {
                continue;
            }
            if held.len() >= MAX_ALBUMS_PER_IMAGE {
                warn!(album_id = %album.album_id, key = %key, "image is in too many albums; not filed");
                continue;
            }
            match self
                .albums
                .add(owner, &album.album_id, id, &now(), Some(key))
                .await
            {
                Ok(()) => {}
                // Deleted by its owner since we read it.
                Err(Error::NotFound(_)) => {
                    info!("image is gone; nothing more to file");
                    return Ok(None);
                }
                Err(e) => return Err(e.into()),
            }
            info!(album_id = %album.album_id, key = %key, "filed into an automatic album");
            held.push(album.album_id);
            added += 1;
        }
        Ok(Some(Classified::Filed {
            albums: wanted.len(),
            added,
            removed,
        }))
    }
}
