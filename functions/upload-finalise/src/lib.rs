//! upload-finalise: turns an object under `incoming/` into a ready, rejected
//! or duplicate image.
//!
//! Every step is safe to repeat, because SQS delivers at least once:
//! renditions and the original are written under fixed keys (a rewrite is a
//! no-op), the record leaves `pending` only by conditional write, and the
//! incoming object is deleted only after the record is settled. A crash at
//! any point followed by a redelivery ends with one record and no orphans.
//!
//! A ready image's bytes go on its owner's storage meter (M23) from its
//! `finalised_at`, once: the record becomes `ready` and `metered` in the
//! same transaction as the meter's change, so no reader ever sees a ready
//! image that is not billed yet. (A redelivery of a ready upload still
//! meters it if it is not, for records settled before that was so.)
//!
//! A ready image is announced on the image-events queue (for classify, M12)
//! before its incoming object is deleted, and again on every redelivery of
//! an upload that is already ready: a crash between settling and announcing
//! is repaired by the redelivery, and classify makes repeats harmless.

mod budget;
mod config;
mod imaging;
mod storage;

use imaging::{exif_attributes, limits, reject};

pub use budget::MemoryBudget;
pub use config::Config;

use aws_lambda_events::sqs::{SqsBatchResponse, SqsEvent, SqsMessage};
use printvault_adapters::aws::Clients;
use printvault_adapters::billing::BillingStore;
use printvault_adapters::blocklist::{phash_hex, BlocklistStore};
use printvault_adapters::image_events::{ImageEvent, ImageEvents};
use printvault_adapters::images::{HashClaim, ImageStore, Outcome, Settled};
use printvault_adapters::keys;
use printvault_adapters::lambda;
use printvault_adapters::objects::{Fetched, ObjectStore};
use printvault_adapters::s3_event::{self, ObjectCreated, S3Notice};
use printvault_domain::ids::{CustomerId, ImageId};
use printvault_domain::image::{Finalised, Image, ImageStatus};
use printvault_domain::settings::Settings;
use std::sync::Arc;
use tracing::{info, instrument, warn};

/// The function's dependencies, built once per cold start.
#[derive(Clone)]
pub struct Finaliser {
    images: ImageStore,
    blocklist: BlocklistStore,
    objects: ObjectStore,
    events: ImageEvents,
    billing: BillingStore,
    settings: Arc<Settings>,
    bucket: String,
    budget: MemoryBudget,
}

impl Finaliser {
    pub fn new(clients: &Clients, config: Config) -> Self {
        Self {
            images: ImageStore::new(clients.dynamodb.clone(), config.images_table.clone()),
            blocklist: BlocklistStore::new(clients.dynamodb.clone(), config.blocklist_table),
            objects: ObjectStore::new(clients.s3.clone(), config.photos_bucket.clone()),
            events: ImageEvents::new(clients.sqs.clone(), config.image_events_queue_url),
            billing: BillingStore::new(
                clients.dynamodb.clone(),
                config.billing_table,
                config.images_table.clone(),
                &config.settings,
            ),
            budget: MemoryBudget::of_function(
                config.memory_mb,
                config.settings.uploads.finalise_memory_percent,
            ),
            settings: Arc::new(config.settings),
            bucket: config.photos_bucket,
        }
    }

    /// How much Lambda time a message needs to be started.
    pub fn reserve(&self) -> std::time::Duration {
        std::time::Duration::from_secs(self.settings.uploads.finalise_reserve_secs)
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

    async fn handle_message(&self, message: &SqsMessage) -> anyhow::Result<()> {
        let body = message.body.as_deref().unwrap_or_default();
        match s3_event::parse(body).map_err(anyhow::Error::msg)? {
            S3Notice::Test => {
                info!("skipping s3:TestEvent");
                Ok(())
            }
            S3Notice::Created(objects) => {
                for object in objects {
                    self.finalise_object(&object).await?;
                }
                Ok(())
            }
        }
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
        let incoming = keys::incoming_key(&owner, &id);
        let image = match self.images.get(&owner, &id).await? {
            Some(image) if !image.deleting => image,
            // The image was deleted (or is being deleted) before it was
            // finalised: nothing may remain.
            _ => {
                info!(image_id = %id, "no record for upload; deleting the orphan");
                return self.clean_up(&owner, &id, None).await;
            }
        };
        if image.status != ImageStatus::Pending {
            info!(image_id = %id, status = image.status.as_str(), "already finalised (redelivery)");
            if let (ImageStatus::Ready, Some(f)) = (image.status, &image.finalised) {
                // The first delivery may have stopped before metering or
                // announcing it.
                self.meter(&owner, &id, f).await?;
                if image.retention.is_none() {
                    self.start_retention(&image, f).await?;
                }
                self.events.publish(&ImageEvent::ready(&owner, &id)).await?;
            }
            return self.objects.delete(&incoming).await;
        }
        let outcome = self.decide(&image, &incoming).await?;
        self.settle(&image, outcome).await
    }

    /// Works out what the upload becomes, writing the renditions and the
    /// original first when it is accepted.
    async fn decide(&self, image: &Image, incoming: &str) -> anyhow::Result<Outcome> {
        let up = &self.settings.uploads;
        let bytes = match self.objects.get_bounded(incoming, up.max_bytes).await? {
            Fetched::Missing => {
                return Ok(reject(
                    "missing",
                    "the uploaded file could not be found; request a new upload URL and upload again",
                ))
            }
            Fetched::TooLarge(n) => {
                return Ok(reject(
                    "too_large",
                    format!("the file is {n} bytes; the limit is {} bytes", up.max_bytes),
                ))
            }
            Fetched::Bytes(b) => b,
        };
        if bytes.len() as u64 != image.declared_bytes {
            return Ok(reject(
                "size_mismatch",
                format!(
                    "the file is {} bytes but {} bytes were declared",
                    bytes.len(),
                    image.declared_bytes
                ),
            ));
        }
        let (limits, renditions) = limits(up);
        // Held until the renditions are written.
        let _memory = self.budget.reserve_upload(&bytes, &limits, &renditions).await;
        let data = bytes.clone();
        let processed =
            tokio::task::spawn_blocking(move || printvault_imaging::process(&data, &limits, &renditions))
                .await?;
        let p = match processed {
            Ok(p) => p,
            Err(r) => return Ok(reject(r.code(), r.to_string())),
        };
        let sha = hex::encode(p.fingerprint.sha256);
        if let Some(m) = self
            .blocklist
            .find_match(
                &sha,
                p.fingerprint.phash,
                self.settings.screening.max_phash_distance,
            )
            .await?
        {
            warn!(image_id = %image.id, ?m, "upload matches the blocklist");
            return Ok(reject("blocklisted", m.reason()));
        }
        if let HashClaim::Taken(existing) = self.images.claim_hash(&image.owner, &sha, &image.id).await? {
            return Ok(Outcome::Duplicate(existing));
        }
        let (c, i) = (&image.owner, &image.id);
        // The original is the very bytes that were checked, written from
        // memory with their SHA-256 (never a copy of whatever the incoming
        // key holds by now).
        self.objects
            .put_exact(
                &keys::original_key(c, i),
                bytes.clone(),
                p.format.mime(),
                &p.fingerprint.sha256,
            )
            .await?;
        self.objects
            .put(&keys::thumb_key(c, i), p.thumbnail.clone(), "image/jpeg")
            .await?;
        self.objects
            .put(&keys::preview_key(c, i), p.preview.clone(), "image/jpeg")
            .await?;
        let finalised = Finalised {
            format: p.format.as_str().into(),
            bytes: bytes.len() as u64,
            width: p.width,
            height: p.height,
            sha256: sha,
            phash: phash_hex(p.fingerprint.phash),
            finalised_at: printvault_domain::when::rfc3339(printvault_domain::when::now()),
        };
        Ok(Outcome::Ready {
            attributes: exif_attributes(&p),
            finalised,
        })
    }

    async fn settle(&self, image: &Image, outcome: Outcome) -> anyhow::Result<()> {
        let (owner, id) = (&image.owner, &image.id);
        if self.settle_metered(owner, id, &outcome).await? == Settled::Done {
            match &outcome {
                Outcome::Ready { finalised, .. } => {
                    info!(image_id = %id, customer_id = %owner, bytes = finalised.bytes, width = finalised.width, height = finalised.height, "image finalised")
                }
                Outcome::Rejected(r) => {
                    info!(image_id = %id, code = %r.code, reason = %r.reason, "upload rejected")
                }
                Outcome::Duplicate(of) => info!(image_id = %id, duplicate_of = %of, "duplicate upload"),
            }
            let Outcome::Ready { finalised, .. } = &outcome else {
                // Renditions may exist from an earlier, interrupted delivery.
                return self.clean_up(owner, id, None).await;
            };
            self.start_retention(image, finalised).await?;
            // Announce before deleting incoming/, so an upload whose incoming
            // object is gone has been announced. A failure here is reported
            // and the redelivery announces it again.
            self.events.publish(&ImageEvent::ready(owner, id)).await?;
            return self.objects.delete(&keys::incoming_key(owner, id)).await;
        }
        // The record left `pending` under us: deleted by its owner, or
        // settled by a concurrent delivery. Only a deletion leaves work.
        if self.images.get(owner, id).await?.is_none_or(|i| i.deleting) {
            let sha = match &outcome {
                Outcome::Ready { finalised, .. } => Some(finalised.sha256.as_str()),
                _ => None,
            };
            return self.clean_up(owner, id, sha).await;
        }
        Ok(())
    }

    /// Removes every object of an image that has no ready record.
    async fn clean_up(&self, owner: &CustomerId, id: &ImageId, sha: Option<&str>) -> anyhow::Result<()> {
        for key in keys::all_image_keys(owner, id) {
            self.objects.delete(&key).await?;
        }
        if let Some(sha) = sha {
            self.images.release_hash(owner, sha, id).await?;
        }
        Ok(())
    }
}
