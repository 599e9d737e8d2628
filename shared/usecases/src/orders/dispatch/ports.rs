//! The ports `dispatch` works over, in the domain's types. Each is safe to
//! repeat: the dispatch queue delivers at least once.

use printvault_domain::dispatch::disc::{DiscJob, DiscManifest, Fetch};
use printvault_domain::dispatch::{LabJob, Version};
use printvault_domain::ids::{CustomerId, ImageId, OrderId};
use printvault_domain::image::Image;
use printvault_domain::lab::Lab;
use printvault_domain::lab_report::LineRecord;
use printvault_domain::notice::Notice;
use printvault_domain::order::money::Refund;
use printvault_domain::order::{Order, Slug, StatusMove};
use printvault_domain::when::Timestamp;
use printvault_domain::Error;
use time::OffsetDateTime;

use super::{Matter, OnDisc};
use std::collections::HashSet;
use std::future::Future;
use std::time::Duration;

/// Where a lab fetches an image's bytes, and what they must be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fetchable {
    /// A presigned GET.
    pub url: String,
    pub bytes: u64,
    /// SHA-256, hex.
    pub sha256: String,
}

/// What failing a line here did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineFailed {
    /// Recorded as failed, with this refund in the same write.
    Refunded(Refund),
    /// The line has a record by now (failed before, or reported by a lab
    /// that got it from an earlier delivery): nothing written.
    HasRecord,
    /// The order changed since it was read (another line's refund): read
    /// it again.
    OrderMoved,
}

pub trait DispatchPorts: Sync {
    fn order(&self, id: &OrderId) -> impl Future<Output = Result<Option<Order>, Error>> + Send;
    /// Applies `m` if the order is still in `m.from()`; `false` otherwise.
    fn advance(&self, id: &OrderId, m: &StatusMove) -> impl Future<Output = Result<bool, Error>> + Send;
    fn lab(&self, id: &Slug) -> impl Future<Output = Result<Option<Lab>, Error>> + Send;
    /// Every line with a record: reported on by its lab, or failed here.
    fn line_records(&self, id: &OrderId) -> impl Future<Output = Result<Vec<LineRecord>, Error>> + Send;
    /// The images with these IDs that exist, whoever owns them.
    fn images(&self, ids: &[ImageId]) -> impl Future<Output = Result<Vec<Image>, Error>> + Send;
    /// Which of `customers` are in arrears (M24).
    fn in_arrears(
        &self,
        customers: &[CustomerId],
    ) -> impl Future<Output = Result<HashSet<CustomerId>, Error>> + Send;
    /// `image`'s bytes in `version` (the location-free copy is made once),
    /// fetchable for `ttl`; `None` when its bytes are gone.
    fn fetchable(
        &self,
        image: &Image,
        version: Version,
        ttl: Duration,
    ) -> impl Future<Output = Result<Option<Fetchable>, Error>> + Send;
    /// Puts `jobs` on the lab's FIFO queue, deduplicated by `job_id`.
    fn send_jobs(&self, lab: &Lab, jobs: &[LabJob]) -> impl Future<Output = Result<(), Error>> + Send;
    /// Records `record` (a failure here) for `order` as read, with `lines`
    /// as read, together with its refund (money first, then points spent,
    /// the medium's fee with the last line) in one write.
    fn fail_line(
        &self,
        order: &Order,
        record: &LineRecord,
        lines: &[LineRecord],
    ) -> impl Future<Output = Result<LineFailed, Error>> + Send;
    /// Queues an email for the notifier.
    fn notify(&self, notice: &Notice) -> impl Future<Output = Result<(), Error>> + Send;
    /// Draws the index sheet and label of archive order `order`'s disc,
    /// holding `files`, and stores them under the order, once: a later call
    /// finds them and draws nothing. Where the lab fetches them, for `ttl`
    /// from `now`.
    fn disc_matter(
        &self,
        order: &Order,
        files: &[OnDisc],
        ttl: Duration,
        now: OffsetDateTime,
    ) -> impl Future<Output = Result<Matter, Error>> + Send;
    /// Stores `manifest` under its order, named by its SHA-256 (so a job
    /// sent before never points at other bytes), and says where the lab
    /// fetches it, for `ttl` from `now`.
    fn put_manifest(
        &self,
        order: &OrderId,
        manifest: &DiscManifest,
        ttl: Duration,
        now: OffsetDateTime,
    ) -> impl Future<Output = Result<Fetch, Error>> + Send;
    /// Puts `job` on the lab's FIFO queue, deduplicated by its ID.
    fn send_disc_job(&self, lab: &Lab, job: &DiscJob) -> impl Future<Output = Result<(), Error>> + Send;
    /// Cancels `order` (as read) with everything refunded: money, points
    /// back, its proposal let go, and the buyer's email. Safe to repeat.
    fn cancel_whole(&self, order: &Order, at: Timestamp) -> impl Future<Output = Result<(), Error>> + Send;
}
