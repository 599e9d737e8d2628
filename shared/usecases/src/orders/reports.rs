//! Lab reports (M21): a lab moves a line of one of its orders on, with the
//! line's effects in the same transaction, and the buyer is emailed.
//!
//! - `printed`: the print is counted against its image (M27);
//! - `shipped`: the buyer's points for the line and the owner's share of a
//!   stranger's image are credited (the line's journal). Not before: a
//!   printed line may still fail, and a credit taken back could drive a
//!   balance that was spent meanwhile below zero;
//! - `failed`: the line is refunded, money first, then points spent (the
//!   medium's fee too when every line has failed), and a print counted
//!   for it is taken back;
//! - a stage the line is already at changes nothing; a stage it cannot
//!   reach from where it is answers 409.

use printvault_domain::dispatch::job_id;
use printvault_domain::ids::OrderId;
use printvault_domain::lab_report::{LabReport, LineRecord, LineStage};
use printvault_domain::ledger::line_settlement;
use printvault_domain::notice::Notice;
use printvault_domain::order::money::Refund;
use printvault_domain::order::{OrderStatus, Slug};
use printvault_domain::when::Timestamp;
use printvault_domain::Clash;
use printvault_domain::Error;
use printvault_domain::Thing;
use time::OffsetDateTime;

use crate::Stores;

/// Records `report` on line `line` of `order`, from lab `lab`. Another
/// lab's order, a line that does not exist or an order not yet sent to a
/// lab answer 404.
pub async fn report(
    st: &Stores,
    lab: &Slug,
    order_id: &OrderId,
    line: u32,
    report: LabReport,
    now: OffsetDateTime,
) -> Result<LineRecord, Error> {
    report.validate()?;
    let order = st
        .orders
        .get(order_id)
        .await?
        .filter(|o| {
            &o.lab_id == lab && matches!(o.status, OrderStatus::Dispatching | OrderStatus::Dispatched)
        })
        .ok_or(Error::NotFound(Thing::Job))?;
    let quoted = order
        .lines
        .iter()
        .find(|l| l.line == line)
        .ok_or(Error::NotFound(Thing::Job))?;
    let lines = st.orders.lines(order_id).await?;
    let current = lines.iter().find(|r| r.line == line);
    let stage = current.map_or(LineStage::Dispatched, |r| r.stage);
    let target = report.stage();
    if let Some(same) = current.filter(|r| r.stage == target) {
        return Ok(same.clone());
    }
    if !target.reachable_from().contains(&stage) {
        return Err(Error::Conflict(Clash::LineCannotBecome {
            line,
            is: stage,
            to: target,
        }));
    }
    let at = Timestamp::at(now);
    let mut effects = Vec::new();
    let (mut refund, mut points_back) = (0, 0);
    match target {
        // Counted against its image (M27) once printed; credited once
        // shipped, when it can no longer fail: a credit never has to be
        // taken back from a balance that may have been spent.
        LineStage::Printed => {
            effects.push(st.images.print_record(
                &quoted.owner,
                &quoted.image_id,
                &job_id(order_id, line),
                quoted.copies,
                at,
            )?);
        }
        LineStage::Shipped => {
            let journal = line_settlement(
                order_id,
                line,
                order.buyer.customer(),
                &quoted.owner,
                &quoted.price(),
            )?;
            if !journal.is_empty() {
                effects.extend(st.ledger.journal_items(&journal, at)?.items);
            }
        }
        LineStage::Failed => {
            let (items, r) = st.orders.failure_effects(&st.ledger, &order, line, &lines, at)?;
            effects.extend(items);
            (refund, points_back) = (r.yen, r.points);
            // A print that failed afterwards (lost, damaged) is no print.
            if let Some(printed) = current.filter(|r| r.stage == LineStage::Printed) {
                effects.push(st.images.print_record_delete(
                    &quoted.owner,
                    &quoted.image_id,
                    &job_id(order_id, line),
                    printed.at,
                )?);
            }
        }
        _ => {}
    }
    let mut record = LineRecord::new(line, &report, at);
    if target == LineStage::Failed {
        record.refund = Some(Refund {
            yen: refund,
            points: points_back,
        });
    }
    if !st.orders.report_line(order_id, &record, effects).await? {
        return Err(Error::Conflict(Clash::Raced));
    }
    tracing::info!(order = %order_id, line, stage = target.as_str(), refund, points_back, "lab report");
    let refund = record.refund.unwrap_or_default();
    st.notices
        .send(&Notice::line_progress(&order, &record, refund)?)
        .await?;
    Ok(record)
}
