//! The retention sweep (M26, M27), daily: Queries the images' `due` index
//! for every day after its watermark, in order (however long ago: a sweep
//! that did not run for a month finishes that month), and the
//! `catch_up_days` before today again; gathers each due image's facts, and
//! does what `retention::decide` says:
//!
//! - warnings are grouped into one email per customer and run, whose ID
//!   names the customer, the day and the images (so a run cut short and run
//!   again sends nothing twice); the email goes out before the images'
//!   schedules move to their deletion, so no image is scheduled for
//!   deletion under a warning that was never sent;
//! - a deletion happens only after the notifier recorded the warning as
//!   delivered, and only to the record the decision was taken on: it is
//!   moved to the trash on the condition that the image's revision and
//!   schedule are still those read (a selection, edit or class change in
//!   between wins; the image is then read again and decided again), in one
//!   transaction with its audit entry (`trash_unchanged`). Its owner can
//!   restore it for `trash.keep_days`; the trash sweep then purges it
//!   through the one delete. A trashing cut short is finished by the trash
//!   sweep. (A deletion marked by a version before the trash, cut short, is
//!   still finished here with `delete_image`);
//! - every schedule moves only from what was read (a conditional write), so
//!   an owner's change or another run in between wins;
//! - nothing is warned of nor deleted while its owner is in arrears (M24;
//!   `retention::while_in_arrears`): the image is looked at again a week
//!   later, and after payment gets a fresh warning before any deletion;
//! - the watermark moves past a day once the day is over and every image in
//!   it was done (one whose deletion was skipped keeps it before its day).

mod warn;

use printvault_adapters::notices::NoticeLedger;
use printvault_adapters::watermark::Watermark;
use printvault_domain::access::Class;
use printvault_domain::ids::CustomerId;
use printvault_domain::image::Image;
use printvault_domain::notice::Delivery;
use printvault_domain::notice::NoticeId;
use printvault_domain::retention::DeletionAudit;
use printvault_domain::retention::{decide, while_in_arrears, Decision, Facts, Schedule, Step, Warning};
use printvault_domain::settings::Settings;
use printvault_domain::when::Timestamp;
use printvault_domain::Error;
use std::collections::{BTreeMap, HashSet};
use time::{Date, Duration, OffsetDateTime};

use super::{days_to_read, Report};
use crate::images::{delete_image, trash_unchanged};
use crate::Stores;

/// What the retention sweep works over.
#[derive(Clone)]
pub struct RetentionSweep {
    /// Images, objects, sharing, search, albums, billing (the deletion's
    /// parts), accounts (the owners' addresses) and the notices queue.
    pub stores: Stores,
    /// Where the notifier records what became of each notice.
    pub ledger: NoticeLedger,
    /// The last day finished (in the images table).
    pub watermark: Watermark,
    pub settings: Settings,
}

/// One run's counts, and the customers in arrears (the register, read
/// once, the first time a warning or a deletion comes up).
struct Run {
    report: Report,
    in_arrears: Option<HashSet<CustomerId>>,
}

/// What one due image came to.
enum Done {
    /// A warning to send with the owner's others.
    Warn(Box<ToWarn>),
    Nothing,
    /// Its deletion was decided on a record that has changed since (from
    /// [`RetentionSweep::due`]: twice, so it is left for the next run).
    Stale,
}

/// An image to warn of, and when it goes.
struct ToWarn {
    image: Image,
    schedule: Schedule,
    cause: printvault_domain::retention::Cause,
    delete_on: Date,
}

impl RetentionSweep {
    /// Runs the sweep for the day of `now`.
    pub async fn run(&self, now: OffsetDateTime) -> Result<Report, Error> {
        let today = now.date();
        let mut run = Run {
            report: Report::new("retention", today),
            in_arrears: None,
        };
        let done = self.watermark.done_through().await?;
        let days = days_to_read(done, today, &self.settings.sweeps);
        let mut seen = HashSet::new();
        let mut warn: BTreeMap<String, Vec<ToWarn>> = BTreeMap::new();
        // The first day that keeps an image for the next run.
        let mut left: Option<Date> = None;
        for &day in &days {
            for image in self.stores.images.retention_due(day).await? {
                if !seen.insert(image.id.clone()) {
                    continue;
                }
                match self.due(image, now, &mut run).await? {
                    Done::Warn(w) => warn.entry(w.image.owner.to_string()).or_default().push(*w),
                    Done::Nothing => {}
                    Done::Stale => {
                        left.get_or_insert(day);
                    }
                }
            }
        }
        for (_, images) in warn {
            self.warn(images, today, &mut run.report).await?;
        }
        // Finished: each day before today, up to the first that keeps an
        // image (today's buckets can still fill: an image unselected today
        // is reviewed today).
        let yesterday = today - Duration::days(1);
        let through = left.map_or(yesterday, |d| (d - Duration::days(1)).min(yesterday));
        if done.is_none_or(|d| through > d) {
            self.watermark.advance(through, Timestamp::at(now)).await?;
        }
        tracing::info!(report = ?run.report, "retention sweep done");
        Ok(run.report)
    }

    /// Whether `owner` is in arrears, from the register read once per run.
    async fn in_arrears(&self, owner: &CustomerId, run: &mut Run) -> Result<bool, Error> {
        if run.in_arrears.is_none() {
            run.in_arrears = Some(self.stores.billing.everyone_in_arrears().await?);
        }
        Ok(run.in_arrears.as_ref().is_some_and(|s| s.contains(owner)))
    }

    /// Decides and does one due image, as read from the index (eventually
    /// consistent, and an owner may act at any moment); a warning is
    /// returned, to be sent with the owner's others. A deletion decided on
    /// a record that changed since is decided once more from a strongly
    /// consistent read, and if that changes too, left to the next run
    /// ([`Done::Stale`]).
    async fn due(&self, image: Image, now: OffsetDateTime, run: &mut Run) -> Result<Done, Error> {
        let (owner, id) = (image.owner.clone(), image.id.clone());
        match self.one(image, now, run).await? {
            Done::Stale => {}
            done => return Ok(done),
        }
        let Some(fresh) = self.stores.images.get(&owner, &id).await? else {
            return Ok(Done::Nothing);
        };
        let done = self.one(fresh, now, run).await?;
        if let Done::Stale = done {
            tracing::info!(image_id = %id, customer_id = %owner, "deletion skipped: the image keeps changing; the next run decides again");
            run.report.count("deletions_skipped");
        }
        Ok(done)
    }

    /// Decides and does one image.
    async fn one(&self, image: Image, now: OffsetDateTime, run: &mut Run) -> Result<Done, Error> {
        let today = now.date();
        let Some(at) = image.retention.clone() else {
            return Ok(Done::Nothing);
        };
        if at.on > today {
            return Ok(Done::Nothing);
        }
        if image.deleting {
            // A deletion this sweep began (marked and audited) that a run
            // cut short: finish it, as the api's delete would. One the
            // owner began is theirs to finish.
            if at.step == Step::Delete
                && self
                    .stores
                    .images
                    .deletion_audited(&image.owner, &image.id)
                    .await?
            {
                match delete_image(&self.stores, &image.owner, &image.id, now).await {
                    Ok(()) | Err(Error::NotFound(_)) => run.report.count("deletions_finished"),
                    Err(e) => return Err(e),
                }
            }
            return Ok(Done::Nothing);
        }
        let uploaded = image
            .finalised
            .as_ref()
            .map_or(today, |f| f.finalised_at.time().date());
        let prints_from = match at.step {
            Step::Notice => uploaded,
            Step::Review => at.since,
            Step::Delete => at.warned_on.unwrap_or(at.since),
        };
        let prints = self
            .stores
            .images
            .prints_since(&image.owner, &image.id, prints_from)
            .await?;
        let warning = match (at.step, at.notice_id.as_deref()) {
            (Step::Delete, Some(id)) => match self.ledger.delivery(&NoticeId::parse(id)?).await? {
                None => Warning::Missing,
                Some(Delivery::Delivered) => Warning::Delivered,
                Some(Delivery::Bounced | Delivery::Complained) => Warning::Undeliverable,
                Some(Delivery::Sending | Delivery::Sent) => Warning::Unconfirmed,
            },
            _ => Warning::Missing,
        };
        let facts = Facts {
            selected: image.selected,
            printable: image.class == Class::Printable,
            rev: image.rev,
            uploaded,
            prints,
            warning,
        };
        let mut decision = decide(&at, &facts, today, &self.settings.retention)?;
        // Nothing is warned of nor deleted while the owner is in arrears.
        let in_arrears = matches!(decision, Decision::Warn { .. } | Decision::Delete { .. })
            && self.in_arrears(&image.owner, run).await?;
        if in_arrears {
            decision = while_in_arrears(&at, decision, today)?;
        }
        let report = &mut run.report;
        match decision {
            Decision::Keep => {
                self.stores.images.move_retention(&image, None).await?;
                report.count("kept");
            }
            Decision::Later { step, on, since } => {
                // Never into a day this run has read (after a long gap a
                // next window's review can fall before today): tomorrow.
                let on = on.max(today + Duration::days(1));
                let next = at.then(step, on, since);
                self.stores.images.move_retention(&image, Some(&next)).await?;
                report.count(if in_arrears {
                    "postponed_in_arrears"
                } else if at.step == Step::Delete && step == Step::Delete {
                    "deletions_postponed"
                } else {
                    "rescheduled"
                });
                if in_arrears {
                    tracing::info!(image_id = %image.id, customer_id = %image.owner, "retention postponed: the owner is in arrears");
                } else if warning == Warning::Undeliverable {
                    tracing::warn!(image_id = %image.id, customer_id = %image.owner, "deletion postponed: its warning was not delivered");
                }
            }
            Decision::Warn { cause, delete_on } => {
                return Ok(Done::Warn(Box::new(ToWarn {
                    image,
                    schedule: at,
                    cause,
                    delete_on,
                })))
            }
            Decision::Delete { cause } => {
                let audit = DeletionAudit {
                    cause,
                    warning: at.notice_id.clone().unwrap_or_default(),
                    at: Timestamp::at(now),
                };
                // A print reported before the mark still counts.
                let recount = || async {
                    let again = self
                        .stores
                        .images
                        .prints_since(&image.owner, &image.id, prints_from)
                        .await?;
                    Ok(again == prints)
                };
                let keep = self.settings.trash.keep_days;
                if !trash_unchanged(&self.stores, &image, &audit, now, keep, recount).await? {
                    return Ok(Done::Stale);
                }
                tracing::info!(image_id = %image.id, customer_id = %image.owner, cause = cause.as_str(), warning = %audit.warning, "image moved to the trash by retention");
                report.count("deleted");
            }
        }
        Ok(Done::Nothing)
    }
}
