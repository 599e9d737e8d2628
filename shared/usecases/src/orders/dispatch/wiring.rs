//! Dispatch's ports, served by DynamoDB, S3 and SQS.

use printvault_adapters::archive::ArchiveStore;
use printvault_adapters::billing::BillingStore;
use printvault_adapters::dispatch::DispatchQueue;
use printvault_adapters::dispatch::LabQueues;
use printvault_adapters::images::ImageStore;
use printvault_adapters::keys;
use printvault_adapters::labs::LabStore;
use printvault_adapters::ledger::LedgerStore;
use printvault_adapters::notices::NoticeQueue;
use printvault_adapters::objects::ObjectStore;
use printvault_adapters::orders::OrderStore;
use printvault_domain::dispatch::disc::{DiscJob, DiscManifest, Fetch};
use printvault_domain::dispatch::{LabJob, Version};
use printvault_domain::ids::{CustomerId, ImageId, OrderId};
use printvault_domain::image::Image;
use printvault_domain::lab::Lab;
use printvault_domain::lab_report::LineRecord;
use printvault_domain::notice::Notice;
use printvault_domain::order::OrderStatus;
use printvault_domain::order::{Order, Slug, StatusMove};
use printvault_domain::when::Timestamp;
use printvault_domain::{Clash, Error, Thing};
use std::collections::HashSet;
use std::time::Duration;
use time::OffsetDateTime;

use super::ports::{DispatchPorts, Fetchable, LineFailed};
use super::{Matter, OnDisc};

/// Everything print-dispatch reaches.
#[derive(Clone)]
pub struct DispatchStorage {
    pub orders: OrderStore,
    pub labs: LabStore,
    pub images: ImageStore,
    pub ledger: LedgerStore,
    pub billing: BillingStore,
    pub objects: ObjectStore,
    /// Presigns the labs' URLs: `objects` itself, unless the labs reach the
    /// bucket at another address (a local TLS front).
    pub presigner: ObjectStore,
    pub lab_queues: LabQueues,
    pub notices: NoticeQueue,
    /// Archive proposals, let go when a disc is cancelled.
    pub archive: ArchiveStore,
    /// The dispatch queue itself: a move out of time hands the rest on.
    pub dispatch: DispatchQueue,
    /// The class an archived original moves to (`archive.storage_class`).
    pub archive_class: String,
    /// The largest original there is (`uploads.max_bytes`).
    pub max_original_bytes: u64,
}

impl DispatchStorage {
    /// The key of `image`'s original without its location, made once.
    /// `None` when the original is gone.
    async fn location_free_copy(&self, image: &Image, format: &str) -> Result<Option<String>, Error> {
        Ok(self
            .objects
            .made_once(
                keys::shared_original_key(&image.owner, &image.id),
                keys::original_key(&image.owner, &image.id),
                self.max_original_bytes + 1,
                &format!("image/{format}"),
                |original| printvault_imaging::strip_location(&original).map_err(|e| e.to_string()),
            )
            .await?)
    }
}

impl DispatchPorts for DispatchStorage {
    async fn order(&self, id: &OrderId) -> Result<Option<Order>, Error> {
        self.orders.get(id).await
    }
    async fn advance(&self, id: &OrderId, m: &StatusMove) -> Result<bool, Error> {
        self.orders.advance(id, m).await
    }
    async fn lab(&self, id: &Slug) -> Result<Option<Lab>, Error> {
        self.labs.lab(id).await
    }
    async fn line_records(&self, id: &OrderId) -> Result<Vec<LineRecord>, Error> {
        self.orders.lines(id).await
    }
    async fn images(&self, ids: &[ImageId]) -> Result<Vec<Image>, Error> {
        // An image in the trash is gone: its line is refunded.
        let mut found = self.images.find_many(ids).await?;
        found.retain(|i| i.trashed.is_none());
        Ok(found)
    }
    async fn in_arrears(&self, customers: &[CustomerId]) -> Result<HashSet<CustomerId>, Error> {
        self.billing.in_arrears(customers).await
    }
    async fn fetchable(
        &self,
        image: &Image,
        version: Version,
        ttl: Duration,
    ) -> Result<Option<Fetchable>, Error> {
        // A ready image always has its original: one without is an
        // inconsistency for an operator (the message is retried, then
        // parked), never a silent refund.
        let f = image
            .finalised
            .as_ref()
            .ok_or_else(|| Error::Unexpected(anyhow::anyhow!("image {} has no original", image.id)))?;
        let (key, bytes, sha256) = match version {
            Version::AsUploaded => (
                keys::original_key(&image.owner, &image.id),
                f.bytes,
                f.sha256.clone(),
            ),
            Version::WithoutLocation => {
                let Some(key) = self.location_free_copy(image, &f.format).await? else {
                    return Ok(None);
                };
                let (bytes, sha256) = match self.objects.fingerprint(&key).await? {
                    Some(fp) => fp,
                    None => {
                        // A copy made before copies kept their SHA-256: make it again.
                        self.objects.delete(&key).await?;
                        if self.location_free_copy(image, &f.format).await?.is_none() {
                            return Ok(None);
                        }
                        self.objects.fingerprint(&key).await?.ok_or_else(|| {
                            Error::Unexpected(anyhow::anyhow!("{key} has no SHA-256 after it was made"))
                        })?
                    }
                };
                (key, bytes, sha256)
            }
        };
        let url = self.presigner.presign_get(&key, ttl).await?;
        Ok(Some(Fetchable { url, bytes, sha256 }))
    }
    async fn send_jobs(&self, lab: &Lab, jobs: &[LabJob]) -> Result<(), Error> {
        self.lab_queues.send(&lab.queue_url, jobs).await
    }
    async fn fail_line(
        &self,
        order: &Order,
        record: &LineRecord,
        lines: &[LineRecord],
    ) -> Result<LineFailed, Error> {
        let (effects, refund) =
            self.orders
                .failure_effects(&self.ledger, order, record.line, lines, record.at)?;
        let record = LineRecord {
            refund: Some(refund),
            ..record.clone()
        };
        match self.orders.report_line(&order.order_id, &record, effects).await {
            Ok(true) => Ok(LineFailed::Refunded(refund)),
            Ok(false) => Ok(LineFailed::HasRecord),
            Err(Error::Conflict(_)) => Ok(LineFailed::OrderMoved),
            Err(e) => Err(e),
        }
    }
    async fn notify(&self, notice: &Notice) -> Result<(), Error> {
        self.notices.send(notice).await
    }
    async fn disc_matter(
        &self,
        order: &Order,
        files: &[OnDisc],
        ttl: Duration,
        now: OffsetDateTime,
    ) -> Result<Matter, Error> {
        self.matter(order, files, ttl, now).await
    }
    async fn put_manifest(
        &self,
        order: &OrderId,
        manifest: &DiscManifest,
        ttl: Duration,
        now: OffsetDateTime,
    ) -> Result<Fetch, Error> {
        let body = serde_json::to_vec(manifest).map_err(anyhow::Error::from)?;
        let sha = {
            use sha2::Digest;
            hex::encode(sha2::Sha256::digest(&body))
        };
        let key = keys::disc_manifest_key(order, &sha);
        if self.objects.fingerprint(&key).await?.is_none() {
            self.objects
                .put_fingerprinted(&key, body, "application/json", &[])
                .await?;
        }
        self.fetch(&key, ttl, Timestamp::at(now + ttl)).await
    }
    async fn send_disc_job(&self, lab: &Lab, job: &DiscJob) -> Result<(), Error> {
        self.lab_queues.send_disc(&lab.queue_url, job).await
    }
    async fn cancel_whole(&self, order: &Order, at: Timestamp) -> Result<(), Error> {
        let reversal = crate::orders::cancel_reversal(&self.ledger, order, at)?;
        self.orders.cancel(order, reversal).await?;
        let now = self
            .orders
            .get(&order.order_id)
            .await?
            .ok_or(Error::NotFound(Thing::Order))?;
        if now.status != OrderStatus::Cancelled {
            return Err(Error::Conflict(Clash::Raced));
        }
        if let (Some(a), Some(c)) = (&now.archive, now.buyer.customer()) {
            self.archive.release(c, &a.proposal_id, &now.order_id).await?;
        }
        self.notices.send(&crate::orders::cancelled_notice(&now)?).await
    }
}
