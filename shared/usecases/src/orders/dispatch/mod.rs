//! Print dispatch (M21): each paid order's lines become jobs on the FIFO
//! queue of the lab at its output location, exactly once.
//!
//! Exactly once, although any message may arrive twice:
//! - first the order moves `paid` → `dispatching` (`Order::advance`, by a
//!   conditional write): from then on it cannot be cancelled, so no lab
//!   gets a cancelled order;
//! - an order that is neither `paid` nor `dispatching` (dispatched already,
//!   or cancelled) is skipped: a redelivered message makes nothing;
//! - then the jobs go out, and then `dispatching` → `dispatched`. A
//!   dispatcher that dies in between leaves the order `dispatching`, and the
//!   retry sends the same jobs with the same deduplication IDs
//!   (`<order>:<line>`), which SQS drops within its five-minute window;
//! - past that window a job can reach the lab twice; its `job_id` says so,
//!   and the lab client (`printlab`) keeps one.
//!
//! A dead end becomes a refund, never a stuck order. A line whose image is
//! gone or whose owner is in arrears (`dispatch::still_printable`) fails
//! here as a lab's failure would, in one write with its refund, and the
//! buyer is emailed. An order none of whose lines can be printed ends
//! `cancelled` with everything refunded; otherwise the other lines go to
//! the lab and it ends `dispatched`. A lab gets another customer's original
//! without its location (`dispatch::Version`).

mod disc;
mod matter;
pub mod ports;
pub mod wiring;

#[cfg(test)]
mod crash_tests;
#[cfg(test)]
mod disc_tests;
#[cfg(test)]
pub(crate) mod fakes;
#[cfg(test)]
pub(crate) mod tests;

pub use disc::{Matter, OnDisc};
pub use ports::{DispatchPorts, Fetchable, LineFailed};

use printvault_domain::dispatch::{still_printable, Asset, LabJob, Version, UNPRINTABLE};
use printvault_domain::ids::{ImageId, OrderId};
use printvault_domain::image::Image;
use printvault_domain::lab_report::{LabReport, LineRecord, LineStage};
use printvault_domain::notice::Notice;
use printvault_domain::order::{Order, OrderStatus, QuotedLine};
use printvault_domain::when::Timestamp;
use printvault_domain::Clash;
use printvault_domain::Error;
use printvault_domain::Thing;
use std::collections::HashMap;
use std::time::Duration;
use time::OffsetDateTime;
use tracing::{info, warn};

/// What dispatching one order did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// This many jobs went to the lab; the order is `dispatched`. Lines that
    /// could not be printed were refunded instead.
    /// An archive disc's job is one (M32).
    Dispatched(usize),
    /// No line could be printed: each was refunded, and the order is
    /// `cancelled`.
    Cancelled,
    /// The order is neither `paid` nor `dispatching` (dispatched before, or
    /// cancelled): nothing sent.
    Skipped(OrderStatus),
}

/// Tries of one line's refund when another write to the order lands first.
const FAIL_ATTEMPTS: usize = 5;

/// Sends `order_id`'s jobs to its lab at `now` and marks it dispatched, if
/// it is paid; refunds the lines that cannot be printed. The labs' URLs
/// last `url_ttl`.
pub async fn dispatch<P: DispatchPorts>(
    ports: &P,
    order_id: &OrderId,
    url_ttl: Duration,
    now: OffsetDateTime,
) -> Result<Outcome, Error> {
    let mut order = ports
        .order(order_id)
        .await?
        .ok_or(Error::NotFound(Thing::Order))?;
    let at = Timestamp::at(now);
    match order.status {
        OrderStatus::Dispatching => info!("taken before and not finished: sending again"),
        OrderStatus::Paid => {
            let take = order.advance(OrderStatus::Dispatching, at)?;
            if !ports.advance(order_id, &take).await? {
                return Err(Error::Conflict(Clash::Raced));
            }
        }
        other => {
            info!(status = other.as_str(), "not paid: nothing to dispatch");
            return Ok(Outcome::Skipped(other));
        }
    }
    if let Some(terms) = order.archive.clone() {
        return disc::dispatch_disc(ports, &order, &terms, url_ttl, now).await;
    }
    let lab = ports
        .lab(&order.lab_id)
        .await?
        .ok_or(Error::NotFound(Thing::Lab))?;
    // A line a lab reported on, or that failed here before, is not sent again.
    let reported = ports.line_records(order_id).await?;
    let open: Vec<&QuotedLine> = order
        .lines
        .iter()
        .filter(|l| !reported.iter().any(|r| r.line == l.line))
        .collect();
    let images = printable(ports, &order, &open).await?;
    let mut jobs = Vec::with_capacity(open.len());
    let mut dead = Vec::new();
    for line in open {
        let Some(image) = images.get(&line.image_id) else {
            dead.push(line.line);
            continue;
        };
        let version = Version::for_order(&order, image);
        let Some(f) = ports.fetchable(image, version, url_ttl).await? else {
            dead.push(line.line);
            continue;
        };
        let asset = Asset {
            image_id: image.id.clone(),
            url: f.url,
            url_expires_at: Timestamp::at(now + url_ttl),
            bytes: f.bytes,
            sha256: f.sha256,
            format: image
                .finalised
                .as_ref()
                .map(|f| f.format.clone())
                .unwrap_or_default(),
        };
        jobs.push(LabJob::new(&order, line, asset, at));
    }
    // Lines failed here by an earlier delivery that stopped before their
    // email: tell the buyer now (once per line: the notifier keeps one).
    // Records from before refunds were kept on them had their email sent.
    for r in reported.iter().filter(|r| failed_here(r)) {
        if let Some(refund) = r.refund {
            ports.notify(&Notice::line_progress(&order, r, refund)?).await?;
        }
    }
    for line in &dead {
        fail_line(ports, order_id, *line, at).await?;
    }
    if jobs.is_empty() && reported.iter().all(failed_here) {
        // Nothing could be printed and nothing went to the lab (now, or in
        // an earlier delivery that stopped part-way): every line is
        // refunded (the medium's fee with the last).
        let cancel = order.advance(OrderStatus::Cancelled, at)?;
        ports.advance(order_id, &cancel).await?;
        warn!(
            lines = dead.len(),
            "no line could be printed: the order is cancelled and refunded"
        );
        return Ok(Outcome::Cancelled);
    }
    ports.send_jobs(&lab, &jobs).await?;
    // False only if another dispatcher finished first: the same jobs, the
    // same IDs.
    let done = order.advance(OrderStatus::Dispatched, at)?;
    ports.advance(order_id, &done).await?;
    info!(jobs = jobs.len(), refunded = dead.len(), lab = %lab.lab_id, "dispatched");
    Ok(Outcome::Dispatched(jobs.len()))
}

/// Whether `record` is a line this dispatcher failed (no lab had it).
fn failed_here(record: &LineRecord) -> bool {
    record.stage == LineStage::Failed && record.reason.as_deref() == Some(UNPRINTABLE)
}

/// The images of `lines` that may still be printed.
async fn printable<P: DispatchPorts>(
    ports: &P,
    order: &Order,
    lines: &[&QuotedLine],
) -> Result<HashMap<ImageId, Image>, Error> {
    // One read per image: a line per size may print the same one.
    let mut ids: Vec<_> = lines.iter().map(|l| l.image_id.clone()).collect();
    ids.sort();
    ids.dedup();
    let mut owners: Vec<_> = lines
        .iter()
        .map(|l| l.owner.clone())
        .filter(|o| order.buyer.customer() != Some(o))
        .collect();
    owners.sort();
    owners.dedup();
    let in_arrears = ports.in_arrears(&owners).await?;
    Ok(ports
        .images(&ids)
        .await?
        .into_iter()
        .filter(|i| still_printable(order, i, in_arrears.contains(&i.owner)))
        .map(|i| (i.id.clone(), i))
        .collect())
}

/// Fails line `line` (no lab has it): its refund in the same write as its
/// record, then the buyer's email. A line that has a record by now is left
/// as it is.
async fn fail_line<P: DispatchPorts>(
    ports: &P,
    order_id: &OrderId,
    line: u32,
    at: Timestamp,
) -> Result<(), Error> {
    let record = LineRecord::new(
        line,
        &LabReport::Failed {
            reason: UNPRINTABLE.into(),
        },
        at,
    );
    for _ in 0..FAIL_ATTEMPTS {
        let order = ports
            .order(order_id)
            .await?
            .ok_or(Error::NotFound(Thing::Order))?;
        let lines = ports.line_records(order_id).await?;
        if lines.iter().any(|r| r.line == line) {
            return Ok(());
        }
        match ports.fail_line(&order, &record, &lines).await? {
            LineFailed::Refunded(refund) => {
                warn!(
                    line,
                    refund = refund.yen,
                    points_back = refund.points,
                    "line cannot be printed: refunded"
                );
                let record = LineRecord {
                    refund: Some(refund),
                    ..record
                };
                return ports
                    .notify(&Notice::line_progress(&order, &record, refund)?)
                    .await;
            }
            LineFailed::HasRecord => return Ok(()),
            LineFailed::OrderMoved => continue,
        }
    }
    Err(Error::Conflict(Clash::KeptChanging(Thing::OrderLine)))
}
