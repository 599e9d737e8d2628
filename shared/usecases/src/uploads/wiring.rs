//! The ports of `finalise`, served by DynamoDB, S3 and SQS.

use printvault_adapters::archive::ArchiveStore;
use printvault_adapters::billing::{BillingStore, Direction};
use printvault_adapters::blocklist::BlocklistStore;
use printvault_adapters::image_events::ImageEvents;
use printvault_adapters::images::{ImageStore, SettleAttempt};
use printvault_adapters::keys;
use printvault_adapters::objects::{Fetched, ObjectStore};
use printvault_domain::ids::{CustomerId, ImageId};
use printvault_domain::image::Image;
use printvault_domain::image_event::ImageEvent;
use printvault_domain::retention::Schedule;
use printvault_domain::screening::BlockMatch;
use printvault_domain::upload::{HashClaim, Outcome, Settled};
use printvault_domain::Error;

use super::ports::{Blocklist, Files, Incoming, UploadFiles, UploadRecords};
use crate::ports::ImageAnnouncer;

/// Tries before settling gives up when the owner's meter keeps moving
/// (many of their uploads finalising at once); the message is then retried.
const METER_ATTEMPTS: u64 = 25;

/// Everything upload-finalise reaches.
#[derive(Clone)]
pub struct UploadStorage {
    pub images: ImageStore,
    pub blocklist: BlocklistStore,
    pub objects: ObjectStore,
    pub events: ImageEvents,
    pub billing: BillingStore,
    pub archive: ArchiveStore,
}

impl UploadRecords for UploadStorage {
    async fn get(&self, owner: &CustomerId, id: &ImageId) -> Result<Option<Image>, Error> {
        self.images.get(owner, id).await
    }
    async fn claim_hash(&self, owner: &CustomerId, sha256: &str, id: &ImageId) -> Result<HashClaim, Error> {
        self.images.claim_hash(owner, sha256, id).await
    }
    async fn release_hash(&self, owner: &CustomerId, sha256: &str, id: &ImageId) -> Result<(), Error> {
        self.images.release_hash(owner, sha256, id).await
    }
    async fn settle(&self, image: &Image, outcome: &Outcome, metered_from: i64) -> Result<Settled, Error> {
        let (owner, id) = (&image.owner, &image.id);
        let attempt = |meter| self.images.settle(owner, id, outcome, meter);
        let Outcome::Ready { finalised, .. } = outcome else {
            return Ok(match attempt(None).await? {
                SettleAttempt::Done => Settled::Done,
                _ => Settled::NotPending,
            });
        };
        // The meter's change goes in the same transaction; a meter that
        // moved meanwhile (another upload of the owner's) is read again.
        for attempt_no in 0..METER_ATTEMPTS {
            let (item, _closed) = self
                .billing
                .meter_in_item(owner, finalised.bytes, metered_from)
                .await?;
            match attempt(Some((item, metered_from))).await? {
                SettleAttempt::MeterMoved => {
                    tokio::time::sleep(std::time::Duration::from_millis(5 + 7 * attempt_no)).await;
                }
                SettleAttempt::Done => return Ok(Settled::Done),
                SettleAttempt::NotPending => return Ok(Settled::NotPending),
            }
        }
        Err(Error::Unexpected(anyhow::anyhow!(
            "the owner's storage meter kept changing; the upload is retried"
        )))
    }
    async fn meter(&self, image: &Image, bytes: u64, from: i64) -> Result<(), Error> {
        self.billing
            .meter_image(&image.owner, &image.id, bytes, from, Direction::In)
            .await?;
        Ok(())
    }
    async fn start_retention(&self, image: &Image, schedule: &Schedule) -> Result<(), Error> {
        let unscheduled = Image {
            retention: None,
            ..image.clone()
        };
        self.images.move_retention(&unscheduled, Some(schedule)).await?;
        Ok(())
    }
    async fn enter_archive(&self, owner: &CustomerId, day: time::Date) -> Result<(), Error> {
        self.archive.enter(owner, day).await
    }
}

impl UploadFiles for UploadStorage {
    async fn incoming(&self, owner: &CustomerId, id: &ImageId, max_bytes: u64) -> Result<Incoming, Error> {
        Ok(
            match self
                .objects
                .get_bounded(&keys::incoming_key(owner, id), max_bytes)
                .await?
            {
                Fetched::Bytes(b) => Incoming::Bytes(b),
                Fetched::TooLarge(n) => Incoming::TooLarge(n),
                Fetched::Missing => Incoming::Missing,
            },
        )
    }
    async fn store(&self, owner: &CustomerId, id: &ImageId, files: &Files) -> Result<(), Error> {
        // The original is the very bytes that were checked, written from
        // memory with their SHA-256 (never a copy of whatever the incoming
        // key holds by now).
        self.objects
            .put_exact(
                &keys::original_key(owner, id),
                files.original.clone(),
                files.mime,
                &files.sha256,
            )
            .await?;
        self.objects
            .put(&keys::thumb_key(owner, id), files.thumbnail.clone(), "image/jpeg")
            .await?;
        self.objects
            .put(&keys::preview_key(owner, id), files.preview.clone(), "image/jpeg")
            .await?;
        Ok(())
    }
    async fn drop_incoming(&self, owner: &CustomerId, id: &ImageId) -> Result<(), Error> {
        Ok(self.objects.delete(&keys::incoming_key(owner, id)).await?)
    }
    async fn remove_all(&self, owner: &CustomerId, id: &ImageId) -> Result<(), Error> {
        for key in keys::all_image_keys(owner, id) {
            self.objects.delete(&key).await?;
        }
        Ok(())
    }
}

impl Blocklist for UploadStorage {
    async fn find_match(
        &self,
        sha256: &str,
        phash: u64,
        max_distance: u32,
    ) -> Result<Option<BlockMatch>, Error> {
        self.blocklist.find_match(sha256, phash, max_distance).await
    }
}

impl ImageAnnouncer for UploadStorage {
    async fn announce(&self, event: &ImageEvent) -> Result<(), Error> {
        self.events.publish(event).await
    }
}
