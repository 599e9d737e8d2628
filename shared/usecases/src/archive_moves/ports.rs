//! The ports `move_disc` works over. Each is safe to repeat: the move is
//! queued again by every `written` report, and any message may arrive
//! twice.

use printvault_domain::archive::Archived;
use printvault_domain::ids::{CustomerId, ImageId, OrderId, ProposalId};
use printvault_domain::image::Image;
use printvault_domain::lab_report::disc::DiscRecord;
use printvault_domain::order::Order;
use printvault_domain::when::Timestamp;
use printvault_domain::Error;
use std::future::Future;

/// Where an image's original is, as the bucket says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Original {
    /// In the online class: to be moved.
    Online,
    /// In the archive class already.
    Moved,
    /// Gone.
    Missing,
}

pub trait MovePorts: Sync {
    fn order(&self, id: &OrderId) -> impl Future<Output = Result<Option<Order>, Error>> + Send;
    fn disc_record(&self, id: &OrderId) -> impl Future<Output = Result<Option<DiscRecord>, Error>> + Send;
    /// The images with these IDs that exist.
    fn images(&self, ids: &[ImageId]) -> impl Future<Output = Result<Vec<Image>, Error>> + Send;
    /// Writes `claim` on `image` if it is ready, not being deleted, and
    /// free for the claim's mover at `now` (`Archived::claim`); `false`
    /// otherwise.
    fn claim(
        &self,
        image: &Image,
        claim: &Archived,
        now: Timestamp,
    ) -> impl Future<Output = Result<bool, Error>> + Send;
    fn original(&self, image: &Image) -> impl Future<Output = Result<Original, Error>> + Send;
    /// Copies `image`'s original onto itself in the archive class.
    fn to_archive(&self, image: &Image) -> impl Future<Output = Result<(), Error>> + Send;
    /// Marks `image`, claimed by `me` for `disc`, archived; `false` when
    /// the claim is no longer `me`'s.
    fn mark_archived(
        &self,
        image: &Image,
        disc: &OrderId,
        me: &str,
        at: Timestamp,
    ) -> impl Future<Output = Result<bool, Error>> + Send;
    /// Frees `owner`'s archive schedule of proposal `proposal` (its disc is
    /// written: a new proposal may come at a later look).
    fn free_schedule(
        &self,
        owner: &CustomerId,
        proposal: &ProposalId,
    ) -> impl Future<Output = Result<(), Error>> + Send;
    /// Takes back `me`'s claim on `image` (its original is gone).
    fn release(&self, image: &Image, me: &str) -> impl Future<Output = Result<(), Error>> + Send;
    /// Queues the move of disc `order` again: a run out of time hands the
    /// rest on (`disc.written` on the dispatch queue).
    fn hand_on(&self, order: &OrderId) -> impl Future<Output = Result<(), Error>> + Send;
}
