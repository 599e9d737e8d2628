//! In-memory ports for the archive sweep's unit tests: schedules, images
//! read a few at a time, proposals with their one-open rule, the notifier
//! (one email per notice ID), and a call that fails before it writes.

use printvault_domain::archive::{Candidate, Proposal, ProposalStatus};
use printvault_domain::ids::{CustomerId, ImageId, ProposalId};
use printvault_domain::notice::Notice;
use printvault_domain::Error;
use std::collections::{BTreeMap, HashMap};
use time::Date;

use super::ports::{ArchiveSweepPorts, Keeper, Page, Scheduled, Stored};

/// The most images a page holds here: small, so that reads page.
pub(crate) const PAGE: usize = 3;

#[derive(Default)]
pub(crate) struct World {
    pub schedules: BTreeMap<CustomerId, Scheduled>,
    pub keepers: HashMap<CustomerId, Keeper>,
    pub stored: HashMap<CustomerId, Stored>,
    /// Each customer's candidates, in ID order.
    pub images: HashMap<CustomerId, Vec<Candidate>>,
    pub proposals: BTreeMap<ProposalId, Proposal>,
    /// The emails sent, one per notice ID.
    pub mailed: BTreeMap<String, Notice>,
    /// Pages read.
    pub pages: usize,
    /// The port call (counted from 1) that fails before it writes.
    pub crash_at_call: Option<usize>,
    pub calls: usize,
}

/// The ports over a [`World`].
pub(crate) type Fake = crate::crashing::Fake<World>;
crate::crashing::counts_calls!(World);

impl ArchiveSweepPorts for Fake {
    async fn due_by(&self, day: Date) -> Result<Vec<CustomerId>, Error> {
        let w = self.call("due_by")?;
        Ok(w.schedules
            .iter()
            .filter(|(_, s)| s.on.is_some_and(|on| on <= day))
            .map(|(c, _)| c.clone())
            .collect())
    }
    async fn schedule(&self, c: &CustomerId) -> Result<Option<Scheduled>, Error> {
        Ok(self.call("schedule")?.schedules.get(c).cloned())
    }
    async fn keeper(&self, c: &CustomerId) -> Result<Option<Keeper>, Error> {
        Ok(self.call("keeper")?.keepers.get(c).cloned())
    }
    async fn stored(&self, c: &CustomerId) -> Result<Stored, Error> {
        Ok(self.call("stored")?.stored.get(c).copied().unwrap_or_default())
    }
    async fn candidates(&self, c: &CustomerId, after: Option<&ImageId>, limit: usize) -> Result<Page, Error> {
        let page = limit.min(PAGE);
        let mut w = self.call("candidates")?;
        w.pages += 1;
        let all = w.images.get(c).cloned().unwrap_or_default();
        let rest: Vec<Candidate> = all
            .into_iter()
            .filter(|x| after.is_none_or(|a| &x.image > a))
            .collect();
        let candidates: Vec<Candidate> = rest.iter().take(page).cloned().collect();
        let next = (rest.len() > page).then(|| candidates[page - 1].image.clone());
        Ok(Page { candidates, next })
    }
    async fn proposal(&self, _c: &CustomerId, id: &ProposalId) -> Result<Option<Proposal>, Error> {
        Ok(self.call("proposal")?.proposals.get(id).cloned())
    }
    async fn open(&self, p: &Proposal) -> Result<bool, Error> {
        let mut w = self.call("open")?;
        let s = w
            .schedules
            .entry(p.owner.clone())
            .or_insert(Scheduled { on: None, open: None });
        if s.open.is_some() {
            return Ok(false);
        }
        s.open = Some(p.proposal_id.clone());
        w.proposals.insert(p.proposal_id.clone(), p.clone());
        Ok(true)
    }
    async fn lapse(&self, p: &Proposal) -> Result<bool, Error> {
        let mut w = self.call("lapse")?;
        let open = w
            .proposals
            .get(&p.proposal_id)
            .is_some_and(|q| q.status == ProposalStatus::Open);
        let held = w.schedules.get(&p.owner).and_then(|s| s.open.as_ref()) == Some(&p.proposal_id);
        if !(open && held) {
            return Ok(false);
        }
        w.proposals.get_mut(&p.proposal_id).unwrap().status = ProposalStatus::Lapsed;
        w.schedules.get_mut(&p.owner).unwrap().open = None;
        Ok(true)
    }
    async fn reschedule(&self, c: &CustomerId, was: Date, next: Option<Date>) -> Result<bool, Error> {
        let mut w = self.call("reschedule")?;
        match w.schedules.get_mut(c) {
            Some(s) if s.on == Some(was) => {
                s.on = next;
                Ok(true)
            }
            _ => Ok(false),
        }
    }
    async fn notify(&self, n: &Notice) -> Result<(), Error> {
        let mut w = self.call("notify")?;
        w.mailed
            .entry(n.notice_id.as_str().to_owned())
            .or_insert_with(|| n.clone());
        Ok(())
    }
}
