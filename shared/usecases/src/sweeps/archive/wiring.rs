//! The archive sweep's ports, served by DynamoDB and SQS.

use printvault_adapters::accounts::AccountStore;
use printvault_adapters::archive::ArchiveStore;
use printvault_adapters::billing::BillingStore;
use printvault_adapters::notices::NoticeQueue;
use printvault_domain::archive::Proposal;
use printvault_domain::billing::day_str;
use printvault_domain::ids::{CustomerId, ImageId, ProposalId};
use printvault_domain::notice::Notice;
use printvault_domain::Error;
use time::Date;

use super::ports::{ArchiveSweepPorts, Keeper, Page, Scheduled, Stored};

/// Everything the archive sweep reaches.
#[derive(Clone)]
pub struct ArchiveSweepStorage {
    pub archive: ArchiveStore,
    pub accounts: AccountStore,
    /// The storage meter (read only).
    pub billing: BillingStore,
    pub notices: NoticeQueue,
}

impl ArchiveSweepPorts for ArchiveSweepStorage {
    async fn due_by(&self, day: Date) -> Result<Vec<CustomerId>, Error> {
        self.archive.due_by(day).await
    }
    async fn schedule(&self, c: &CustomerId) -> Result<Option<Scheduled>, Error> {
        Ok(self.archive.schedule(c).await?.map(|s| Scheduled {
            on: s.due(),
            open: s.open,
        }))
    }
    async fn keeper(&self, c: &CustomerId) -> Result<Option<Keeper>, Error> {
        Ok(self.accounts.customer(c).await?.map(|k| Keeper {
            email: k.email,
            prefs: k.archive,
        }))
    }
    async fn stored(&self, c: &CustomerId) -> Result<Stored, Error> {
        Ok(self
            .billing
            .meter(c)
            .await?
            .map(|r| Stored {
                bytes: r.meter.bytes,
                images: r.meter.images,
            })
            .unwrap_or_default())
    }
    async fn candidates(&self, c: &CustomerId, after: Option<&ImageId>, limit: usize) -> Result<Page, Error> {
        let limit = i32::try_from(limit).unwrap_or(i32::MAX);
        let p = self.archive.candidates(c, after, limit).await?;
        Ok(Page {
            candidates: p.candidates,
            next: p.next,
        })
    }
    async fn proposal(&self, c: &CustomerId, id: &ProposalId) -> Result<Option<Proposal>, Error> {
        self.archive.proposal(c, id).await
    }
    async fn open(&self, p: &Proposal) -> Result<bool, Error> {
        self.archive.open(p).await
    }
    async fn lapse(&self, p: &Proposal) -> Result<bool, Error> {
        self.archive.lapse(p).await
    }
    async fn reschedule(&self, c: &CustomerId, was: Date, next: Option<Date>) -> Result<bool, Error> {
        self.archive.reschedule(c, &day_str(was), next).await
    }
    async fn notify(&self, n: &Notice) -> Result<(), Error> {
        self.notices.send(n).await
    }
}
