//! Where each line of an order stands, as its buyer sees it (issue 19).
//!
//! Once print-dispatch has taken an order (`dispatching`, `dispatched`),
//! every line has a stage: the one its lab last reported (`accepted`,
//! `printed`, `shipped`, `failed`), or `dispatched` while the lab has not
//! reported on it yet. Before that no line has one: the order's status
//! tells where it stands, and no line record is read. An order the
//! dispatcher took and had to cancel (no line could be printed) shows its
//! failed lines.

use printvault_adapters::orders::LineRecord;
use printvault_domain::ids::OrderId;
use printvault_domain::lab_report::LineStage;
use printvault_domain::order::{Order, OrderStatus};
use printvault_domain::when::Timestamp;
use printvault_domain::Error;

use super::{order_of, Holder};
use crate::Stores;

/// The order `holder` may see, with each line's stage: the ownership check
/// of [`order_of`] first (404 for anyone else's), then at most one Query of
/// the order's line records.
pub async fn order_with_stages(
    st: &Stores,
    holder: &Holder<'_>,
    id: Option<&OrderId>,
) -> Result<(Order, Vec<LineRecord>), Error> {
    let order = order_of(st, holder, id).await?;
    let stages = stages(st, &order).await?;
    Ok((order, stages))
}

/// Each line's stage of `order`, which the caller may already see: one
/// Query of its line records once print-dispatch has taken it, none before.
pub async fn stages(st: &Stores, order: &Order) -> Result<Vec<LineRecord>, Error> {
    let with_lab = matches!(order.status, OrderStatus::Dispatching | OrderStatus::Dispatched);
    let taken = order.status == OrderStatus::Cancelled && order.dispatching_at.is_some();
    if !with_lab && !taken {
        return Ok(Vec::new());
    }
    let records = st.orders.lines(&order.order_id).await?;
    let sent_at = order
        .dispatched_at
        .or(order.dispatching_at)
        .unwrap_or(order.created_at);
    let lines: Vec<u32> = order.lines.iter().map(|l| l.line).collect();
    Ok(merge(&lines, records, with_lab.then_some(sent_at)))
}

/// `lines` in order, each with its record, or (with `sent_at`) `dispatched`
/// at `sent_at` when it has none; without `sent_at`, the records only.
fn merge(lines: &[u32], mut records: Vec<LineRecord>, sent_at: Option<Timestamp>) -> Vec<LineRecord> {
    lines
        .iter()
        .filter_map(|&line| match records.iter().position(|r| r.line == line) {
            Some(i) => Some(records.swap_remove(i)),
            None => sent_at.map(|at| LineRecord {
                line,
                stage: LineStage::Dispatched,
                carrier: None,
                tracking: None,
                reason: None,
                at,
                refund: None,
            }),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use printvault_domain::lab_report::LabReport;

    #[test]
    fn every_line_has_a_stage_once_sent_and_only_reported_ones_otherwise() {
        let failed = LabReport::Failed {
            reason: "paper jam".into(),
        };
        let records = vec![
            LineRecord::new(3, &failed, "2026-01-02T00:00:00Z".parse().unwrap()),
            LineRecord::new(1, &LabReport::Printed, "2026-01-02T00:00:00Z".parse().unwrap()),
        ];
        let sent = merge(
            &[1, 2, 3],
            records.clone(),
            Some("2026-01-01T00:00:00Z".parse().unwrap()),
        );
        let stages: Vec<_> = sent.iter().map(|r| (r.line, r.stage)).collect();
        assert_eq!(
            stages,
            [
                (1, LineStage::Printed),
                (2, LineStage::Dispatched),
                (3, LineStage::Failed)
            ]
        );
        assert_eq!(sent[1].at, "2026-01-01T00:00:00Z".parse().unwrap());
        assert_eq!(sent[2].reason.as_deref(), Some("paper jam"));
        let cancelled = merge(&[1, 2, 3], records, None);
        assert_eq!(cancelled.iter().map(|r| r.line).collect::<Vec<_>>(), [1, 3]);
    }
}
