//! The ports `finalise` works over. Each speaks the domain's types; the
//! adapters behind them are in [`super::wiring`], the fakes in the tests.
//! Every method is safe to repeat: SQS delivers at least once.

use bytes::Bytes;
use printvault_domain::ids::{CustomerId, ImageId};
use printvault_domain::image::Image;
use printvault_domain::retention::Schedule;
use printvault_domain::screening::BlockMatch;
use printvault_domain::upload::{HashClaim, Outcome, Settled};
use printvault_domain::Error;
use std::future::Future;

/// The uploaded bytes, as far as they were read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Incoming {
    Bytes(Bytes),
    /// Larger than allowed (this many bytes); not read.
    TooLarge(u64),
    /// Nothing was uploaded under the image's incoming key.
    Missing,
}

/// What an accepted upload leaves behind: its original, the very bytes that
/// were checked, and its two renditions.
#[derive(Debug, Clone)]
pub struct Files {
    pub original: Bytes,
    pub mime: &'static str,
    pub sha256: [u8; 32],
    pub thumbnail: Vec<u8>,
    pub preview: Vec<u8>,
}

/// The image records an upload settles.
pub trait UploadRecords: Sync {
    /// The image in any status; `None` when there is none.
    fn get(
        &self,
        owner: &CustomerId,
        id: &ImageId,
    ) -> impl Future<Output = Result<Option<Image>, Error>> + Send;
    /// Claims the content hash for `id` (M7), or says which image holds it.
    fn claim_hash(
        &self,
        owner: &CustomerId,
        sha256: &str,
        id: &ImageId,
    ) -> impl Future<Output = Result<HashClaim, Error>> + Send;
    /// Frees the content hash, if `id` still holds it.
    fn release_hash(
        &self,
        owner: &CustomerId,
        sha256: &str,
        id: &ImageId,
    ) -> impl Future<Output = Result<(), Error>> + Send;
    /// Moves the pending, undeleted record to `outcome`, once. A ready one
    /// goes on its owner's storage meter (M23) from unix second
    /// `metered_from` in the same write, so nobody sees a ready image that
    /// is not billed. `NotPending` when the record had left `pending` or is
    /// being deleted: nothing changed.
    fn settle(
        &self,
        image: &Image,
        outcome: &Outcome,
        metered_from: i64,
    ) -> impl Future<Output = Result<Settled, Error>> + Send;
    /// Puts a ready image's bytes on its owner's meter from `from`, unless
    /// they are on it already.
    fn meter(&self, image: &Image, bytes: u64, from: i64) -> impl Future<Output = Result<(), Error>> + Send;
    /// Gives the image `schedule` as its first retention schedule, unless
    /// it has one by now.
    fn start_retention(
        &self,
        image: &Image,
        schedule: &Schedule,
    ) -> impl Future<Output = Result<(), Error>> + Send;
    /// Puts the owner in the archive sweep's schedule on `day` (M29),
    /// unless they are in it already.
    fn enter_archive(
        &self,
        owner: &CustomerId,
        day: time::Date,
    ) -> impl Future<Output = Result<(), Error>> + Send;
}

/// The image's objects in the bucket.
pub trait UploadFiles: Sync {
    /// The uploaded bytes, reading at most `max_bytes`.
    fn incoming(
        &self,
        owner: &CustomerId,
        id: &ImageId,
        max_bytes: u64,
    ) -> impl Future<Output = Result<Incoming, Error>> + Send;
    /// Writes the original (checked against its SHA-256 on the way) and
    /// the renditions under the image's fixed keys.
    fn store(
        &self,
        owner: &CustomerId,
        id: &ImageId,
        files: &Files,
    ) -> impl Future<Output = Result<(), Error>> + Send;
    /// Deletes the uploaded object.
    fn drop_incoming(
        &self,
        owner: &CustomerId,
        id: &ImageId,
    ) -> impl Future<Output = Result<(), Error>> + Send;
    /// Deletes every object the image may have, the uploaded one included.
    fn remove_all(&self, owner: &CustomerId, id: &ImageId) -> impl Future<Output = Result<(), Error>> + Send;
}

/// The screening blocklist (M6).
pub trait Blocklist: Sync {
    /// The same bytes, or a perceptual hash within `max_distance`.
    fn find_match(
        &self,
        sha256: &str,
        phash: u64,
        max_distance: u32,
    ) -> impl Future<Output = Result<Option<BlockMatch>, Error>> + Send;
}
