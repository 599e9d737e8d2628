//! The ports the archive sweep works over, in the domain's types. Each is
//! safe to repeat: a run may crash anywhere and run again.

use printvault_domain::account::Email;
use printvault_domain::archive::{ArchivePrefs, Candidate, Proposal};
use printvault_domain::ids::{CustomerId, ImageId, ProposalId};
use printvault_domain::notice::Notice;
use printvault_domain::Error;
use std::future::Future;
use time::Date;

/// A customer's place in the archive schedule, as read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scheduled {
    /// The day they are due; `None` when out of the index.
    pub on: Option<Date>,
    /// Their open proposal.
    pub open: Option<ProposalId>,
}

/// What the sweep needs of a customer's account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Keeper {
    pub email: Email,
    pub prefs: ArchivePrefs,
}

/// What the storage meter says a customer stores now (M23).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Stored {
    pub bytes: u64,
    pub images: u32,
}

/// One page of a customer's images, oldest first.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Page {
    /// Those that may be proposed (selected ones marked).
    pub candidates: Vec<Candidate>,
    /// Where the next page starts; `None` at the end.
    pub next: Option<ImageId>,
}

pub trait ArchiveSweepPorts: Sync {
    /// The customers due on `day` or before.
    fn due_by(&self, day: Date) -> impl Future<Output = Result<Vec<CustomerId>, Error>> + Send;
    fn schedule(&self, c: &CustomerId) -> impl Future<Output = Result<Option<Scheduled>, Error>> + Send;
    fn keeper(&self, c: &CustomerId) -> impl Future<Output = Result<Option<Keeper>, Error>> + Send;
    fn stored(&self, c: &CustomerId) -> impl Future<Output = Result<Stored, Error>> + Send;
    /// The page of at most `limit` of `c`'s image records after `after`.
    fn candidates(
        &self,
        c: &CustomerId,
        after: Option<&ImageId>,
        limit: usize,
    ) -> impl Future<Output = Result<Page, Error>> + Send;
    fn proposal(
        &self,
        c: &CustomerId,
        id: &ProposalId,
    ) -> impl Future<Output = Result<Option<Proposal>, Error>> + Send;
    /// Makes `p` its owner's open proposal; `false` (nothing written) when
    /// one is open already.
    fn open(&self, p: &Proposal) -> impl Future<Output = Result<bool, Error>> + Send;
    /// Lapses open `p` and frees its owner for another; `false` when it
    /// was not open.
    fn lapse(&self, p: &Proposal) -> impl Future<Output = Result<bool, Error>> + Send;
    /// Moves `c` from `was` (as read) to `next` (out of the index when
    /// `None`); `false` when it moved meanwhile, where it stays.
    fn reschedule(
        &self,
        c: &CustomerId,
        was: Date,
        next: Option<Date>,
    ) -> impl Future<Output = Result<bool, Error>> + Send;
    /// Queues an email for the notifier (one per notice ID).
    fn notify(&self, n: &Notice) -> impl Future<Output = Result<(), Error>> + Send;
}
