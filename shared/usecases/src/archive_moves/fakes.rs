//! In-memory ports for the move's unit tests: image records with their
//! conditional claims, the bucket's originals with their class and how
//! many times each was copied, and a call that fails before it writes.

use printvault_domain::archive::{ArchiveState, Archived, Claim};
use printvault_domain::ids::{CustomerId, ImageId, OrderId, ProposalId};
use printvault_domain::image::{Image, ImageStatus};
use printvault_domain::lab_report::disc::DiscRecord;
use printvault_domain::order::Order;
use printvault_domain::when::Timestamp;
use printvault_domain::Error;
use std::collections::{BTreeMap, HashMap};

use super::ports::{MovePorts, Original};

#[derive(Default)]
pub(crate) struct World {
    pub orders: HashMap<OrderId, Order>,
    pub discs: HashMap<OrderId, DiscRecord>,
    pub images: BTreeMap<ImageId, Image>,
    /// Each original: in the archive class, and times copied there.
    pub originals: BTreeMap<ImageId, (bool, u32)>,
    pub schedule_open: BTreeMap<CustomerId, ProposalId>,
    pub crash_at_call: Option<usize>,
    pub calls: usize,
    /// Moves queued again by a run out of time.
    pub handed_on: Vec<OrderId>,
}

pub(crate) type Fake = crate::crashing::Fake<World>;
crate::crashing::counts_calls!(World);

impl MovePorts for Fake {
    async fn order(&self, id: &OrderId) -> Result<Option<Order>, Error> {
        Ok(self.call("order")?.orders.get(id).cloned())
    }
    async fn disc_record(&self, id: &OrderId) -> Result<Option<DiscRecord>, Error> {
        Ok(self.call("disc_record")?.discs.get(id).cloned())
    }
    async fn images(&self, ids: &[ImageId]) -> Result<Vec<Image>, Error> {
        let w = self.call("images")?;
        Ok(ids.iter().filter_map(|i| w.images.get(i).cloned()).collect())
    }
    async fn claim(&self, image: &Image, claim: &Archived, now: Timestamp) -> Result<bool, Error> {
        let mut w = self.call("claim")?;
        let Some(i) = w.images.get_mut(&image.id) else {
            return Ok(false);
        };
        let me = claim.mover.as_deref().unwrap_or_default();
        if i.status != ImageStatus::Ready
            || i.deleting
            || Archived::claim(i.archive.as_ref(), &claim.disc_id, me, now) != Claim::Take
        {
            return Ok(false);
        }
        i.archive = Some(claim.clone());
        Ok(true)
    }
    async fn original(&self, image: &Image) -> Result<Original, Error> {
        let w = self.call("original")?;
        Ok(match w.originals.get(&image.id) {
            None => Original::Missing,
            Some((true, _)) => Original::Moved,
            Some((false, _)) => Original::Online,
        })
    }
    async fn to_archive(&self, image: &Image) -> Result<(), Error> {
        let mut w = self.call("to_archive")?;
        let o = w.originals.get_mut(&image.id).expect("copied only when there");
        assert!(!o.0, "an original in the archive class is never copied again");
        *o = (true, o.1 + 1);
        Ok(())
    }
    async fn mark_archived(
        &self,
        image: &Image,
        disc: &OrderId,
        me: &str,
        at: Timestamp,
    ) -> Result<bool, Error> {
        let mut w = self.call("mark_archived")?;
        let Some(a) = w.images.get_mut(&image.id).and_then(|i| i.archive.as_mut()) else {
            return Ok(false);
        };
        if &a.disc_id != disc || a.state != ArchiveState::Moving || a.mover.as_deref() != Some(me) {
            return Ok(false);
        }
        *a = Archived {
            state: ArchiveState::Archived,
            at,
            mover: None,
            lease_until: None,
            ..a.clone()
        };
        Ok(true)
    }
    async fn free_schedule(&self, owner: &CustomerId, proposal: &ProposalId) -> Result<(), Error> {
        let mut w = self.call("free_schedule")?;
        if w.schedule_open.get(owner) == Some(proposal) {
            w.schedule_open.remove(owner);
        }
        Ok(())
    }
    async fn release(&self, image: &Image, me: &str) -> Result<(), Error> {
        let mut w = self.call("release")?;
        if let Some(i) = w.images.get_mut(&image.id) {
            if i.archive.as_ref().is_some_and(|a| a.mover.as_deref() == Some(me)) {
                i.archive = None;
            }
        }
        Ok(())
    }
    async fn hand_on(&self, order: &OrderId) -> Result<(), Error> {
        self.call("hand_on")?.handed_on.push(order.clone());
        Ok(())
    }
}
