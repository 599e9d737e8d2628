//! The archive sweep (M29), daily: every customer whose look is due (the
//! images table's `due` index, never a Scan) is held to their thresholds.
//! When one is crossed, the oldest images that fit one disc of each kind
//! are offered in a proposal, emailed through the notifier.
//!
//! - A customer enters the schedule with their first upload, and their
//!   thresholds changing brings the look forward to the next day.
//! - A look moves them on: in `archive.check_every_days`, or sooner on the
//!   day their oldest image comes of age, on their yearly date, or when
//!   their open proposal lapses. A customer with nothing stored leaves the
//!   index until their next upload.
//! - At most one proposal is open per customer (the adapter's transaction
//!   makes sure). While it is open its email is sent again at each look:
//!   the notifier sends a notice ID once, so a run that crashed between
//!   making a proposal and mailing it mails it next time, and no other run
//!   mails it twice.
//! - A day run again finds nobody due: each customer looked at has moved.

mod ports;
mod wiring;

#[cfg(test)]
mod fakes;
#[cfg(test)]
mod tests;

pub use ports::{ArchiveSweepPorts, Keeper, Page, Scheduled, Stored};
pub use wiring::ArchiveSweepStorage;

use printvault_domain::archive::{enough, next_check, Candidate, Holdings, Proposal, ProposalStatus};
use printvault_domain::ids::{CustomerId, ProposalId};
use printvault_domain::notice::proposal_notice;
use printvault_domain::settings::Settings;
use printvault_domain::Error;
use time::{Date, OffsetDateTime};

use super::Report;

/// Image records read a page once a proposal is being made.
const PAGE: usize = 200;
/// The first pages' sizes, while looking for the oldest image that may go.
const FIRST_PAGES: [usize; 2] = [1, 20];

/// What a customer's open proposal means for a look.
enum Held {
    Open(Proposal),
    Ordered,
    Free,
}

/// The archive sweep over its ports.
#[derive(Clone)]
pub struct ArchiveSweep<P> {
    pub ports: P,
    pub settings: Settings,
}

impl<P: ArchiveSweepPorts> ArchiveSweep<P> {
    /// Looks at everyone due on the day of `now`, or before.
    pub async fn run(&self, now: OffsetDateTime) -> Result<Report, Error> {
        let today = now.date();
        let mut report = Report::new("archive", today);
        for c in self.ports.due_by(today).await? {
            self.look(&c, today, &mut report).await?;
        }
        tracing::info!(?report, "archive sweep done");
        Ok(report)
    }

    /// One customer's look.
    async fn look(&self, c: &CustomerId, today: Date, report: &mut Report) -> Result<(), Error> {
        let s = &self.settings.archive;
        let Some(Scheduled { on: Some(was), open }) = self.ports.schedule(c).await? else {
            return Ok(());
        };
        if was > today {
            // Moved on since the index was read.
            return Ok(());
        }
        report.count("looked");
        let Some(keeper) = self.ports.keeper(c).await? else {
            // The account is gone.
            self.ports.reschedule(c, was, None).await?;
            return Ok(());
        };
        let t = keeper.prefs.thresholds(s);
        if let Some(id) = open {
            let again = next_check(today, &t, None, s.check_every_days);
            match self.held(c, &id, today, report).await? {
                Held::Open(p) => {
                    self.ports
                        .notify(&proposal_notice(&p, keeper.email.clone())?)
                        .await?;
                    self.ports
                        .reschedule(c, was, Some(again.min(p.expires_on)))
                        .await?;
                    report.count("open_already");
                    return Ok(());
                }
                Held::Ordered => {
                    // Its disc is on order: nothing more is proposed.
                    self.ports.reschedule(c, was, Some(again)).await?;
                    report.count("ordered");
                    return Ok(());
                }
                Held::Free => {}
            }
        }
        let stored = self.ports.stored(c).await?;
        let (mut read, mut after) = (Vec::new(), None);
        // The oldest image that may go decides the age: usually the first
        // record, so the first page is one record, then pages grow.
        for limit in FIRST_PAGES.into_iter().chain(std::iter::repeat(PAGE)) {
            let page = self.ports.candidates(c, after.as_ref(), limit).await?;
            read.extend(page.candidates);
            after = page.next;
            if after.is_none() || read.iter().any(|x| !x.selected) {
                break;
            }
        }
        let oldest = read.iter().find(|x| !x.selected).map(|x| x.stored.time().date());
        let holdings = Holdings {
            stored_bytes: stored.bytes,
            // A meter written before it counted images says 0: the images
            // read are the least there are.
            images: stored.images.max(u32::try_from(read.len()).unwrap_or(u32::MAX)),
            oldest,
        };
        let crossed = t.crossed(&holdings, today);
        let mut next = Some(next_check(today, &t, oldest, s.check_every_days));
        if stored.bytes == 0 && read.is_empty() && after.is_none() {
            // Nothing stored: out of the index until the next upload.
            next = None;
        } else if !crossed.is_empty() {
            self.read_enough(c, &mut read, after).await?;
            match Proposal::make(ProposalId::generate(), c.clone(), today, crossed, &read, s) {
                Some(p) => {
                    if self.ports.open(&p).await? {
                        self.ports.notify(&proposal_notice(&p, keeper.email)?).await?;
                        next = next.map(|n| n.min(p.expires_on));
                        report.count("proposed");
                    } else {
                        report.count("open_already");
                    }
                }
                None => report.count("nothing_to_offer"),
            }
        }
        self.ports.reschedule(c, was, next).await?;
        Ok(())
    }

    /// Whether `c`'s proposal `id` still holds them on `today`: open, or
    /// ordered. One past its last day lapses, freeing them for another.
    async fn held(
        &self,
        c: &CustomerId,
        id: &ProposalId,
        today: Date,
        report: &mut Report,
    ) -> Result<Held, Error> {
        let Some(p) = self.ports.proposal(c, id).await? else {
            return Ok(Held::Free);
        };
        match p.status_on(today) {
            ProposalStatus::Open => Ok(Held::Open(p)),
            ProposalStatus::Ordered => Ok(Held::Ordered),
            ProposalStatus::Lapsed => {
                if self.ports.lapse(&p).await? {
                    report.count("lapsed");
                }
                Ok(Held::Free)
            }
        }
    }

    /// Reads on until the fills are settled or the images run out.
    async fn read_enough(
        &self,
        c: &CustomerId,
        read: &mut Vec<Candidate>,
        mut after: Option<printvault_domain::ids::ImageId>,
    ) -> Result<(), Error> {
        let max = self.settings.archive.max_images_per_disc;
        while after.is_some() && !enough(read, max) {
            let page = self.ports.candidates(c, after.as_ref(), PAGE).await?;
            read.extend(page.candidates);
            after = page.next;
        }
        Ok(())
    }
}
