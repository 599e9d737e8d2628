//! Disc reports (M32): a lab moves a disc job of its own forward,
//! `accepted` then `written` (with the disc image's SHA-256), once each.
//! The same stage again answers the same and changes nothing; a stage the
//! disc cannot reach, or `written` again with another image, answers 409.
//! `written` queues the move of the disc's originals (`archive_moves`).

use printvault_domain::ids::OrderId;
use printvault_domain::lab_report::disc::{DiscRecord, DiscReport, DiscStage};
use printvault_domain::order::{OrderStatus, Slug};
use printvault_domain::when::Timestamp;
use printvault_domain::{Clash, Error, Thing};
use time::OffsetDateTime;

use crate::Stores;

/// Records `report` on the disc of archive order `order_id`, from lab
/// `lab`. Another lab's order, an order that is not a disc, and one not
/// yet sent to a lab answer 404.
pub async fn report_disc(
    st: &Stores,
    lab: &Slug,
    order_id: &OrderId,
    report: DiscReport,
    now: OffsetDateTime,
) -> Result<DiscRecord, Error> {
    report.validate()?;
    st.orders
        .get(order_id)
        .await?
        .filter(|o| {
            &o.lab_id == lab
                && o.archive.is_some()
                && matches!(o.status, OrderStatus::Dispatching | OrderStatus::Dispatched)
        })
        .ok_or(Error::NotFound(Thing::Job))?;
    // Twice at most: a report that loses a race to the same report (a
    // redelivery) reads the disc again and answers as that one did.
    for _ in 0..2 {
        let current = st.orders.disc_record(order_id).await?;
        let Some(record) = report.apply(current.as_ref(), Timestamp::at(now))? else {
            // At this stage already: the same answer, and what the stage
            // sets off queued again (a crash may have stopped it).
            let current = current.ok_or(Error::Conflict(Clash::Raced))?;
            return after(st, order_id, current).await;
        };
        if st.orders.report_disc(order_id, &record, Vec::new()).await? {
            tracing::info!(
                order = %order_id,
                stage = record.stage.as_str(),
                image_sha256 = record.image_sha256.as_deref().unwrap_or(""),
                "disc report"
            );
            return after(st, order_id, record).await;
        }
    }
    Err(Error::Conflict(Clash::Raced))
}

/// What a stage sets off: `written` queues the move of the disc's
/// originals (M32), every time it is reported, so a crash between the
/// record and the queue is healed by the lab's retry.
async fn after(st: &Stores, order_id: &OrderId, record: DiscRecord) -> Result<DiscRecord, Error> {
    if record.stage == DiscStage::Written {
        st.dispatch.disc_written(order_id).await?;
    }
    Ok(record)
}
