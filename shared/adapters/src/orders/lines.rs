//! Lines as labs report them (M21): one item per line that has moved past
//! `dispatched` (`ORDER#<order>` / `LINE#<nn>`), written with the effects of
//! its stage in one transaction, on the condition that the line was at a
//! stage it may move on from.

use anyhow::Context;
use aws_sdk_dynamodb::types::{TransactWriteItem, Update};
use printvault_domain::ids::OrderId;
pub use printvault_domain::lab_report::LineRecord;
use printvault_domain::lab_report::LineStage;
use printvault_domain::ledger::redemption_reversal;
use printvault_domain::order::money::{line_failure, Refund};
use printvault_domain::order::Order;
use printvault_domain::when::Timestamp;
use printvault_domain::Clash;
use printvault_domain::Error;

use super::{n, order_pk, OrderStore, ORDER_SK};
use crate::dynamo::{item_with_key, key, put, query_prefix, s, transact_checked};
use crate::ledger::LedgerStore;

fn line_sk(line: u32) -> String {
    format!("LINE#{line:02}")
}

impl OrderStore {
    /// Every line a lab has reported on, in line order.
    pub async fn lines(&self, order: &OrderId) -> Result<Vec<LineRecord>, Error> {
        Ok(query_prefix(&self.db, &self.table, &order_pk(order), "LINE#").await?)
    }

    /// Writes `record` if the line is at a stage it may move on from
    /// (`dispatched`: no record yet), with `effects` in the same
    /// transaction. `Ok(false)`: the line was not at such a stage.
    pub async fn report_line(
        &self,
        order: &OrderId,
        record: &LineRecord,
        effects: Vec<TransactWriteItem>,
    ) -> Result<bool, Error> {
        let from: Vec<Option<&str>> = record
            .stage
            .reachable_from()
            .iter()
            .map(|f| (*f != LineStage::Dispatched).then(|| f.as_str()))
            .collect();
        let item = staged_put(
            &self.table,
            item_with_key(record, order_pk(order), line_sk(record.line))?,
            &from,
        )?;
        write_staged(&self.db, item, effects, "recording a lab report").await
    }

    /// The transaction item that adds a failed line's `refund` to `order`
    /// (as read): the money to its `line_refunds` and `refund_due`, the
    /// points to `points_returned`, on the condition that its line refunds
    /// and points returned are still what was read, so two lines failing at
    /// once cannot both refund from the same remainder. `refund_due` moves
    /// by `ADD`, so money owed back for another reason meanwhile (a
    /// duplicate payment) is kept.
    pub fn refund_item(&self, order: &Order, refund: Refund) -> Result<TransactWriteItem, Error> {
        let u = Update::builder()
            .table_name(&self.table)
            .set_key(Some(key(order_pk(&order.order_id), ORDER_SK)))
            .update_expression(
                "SET line_refunds = :yen_now, points_returned = :points_now ADD refund_due :yen",
            )
            // An order placed before orders kept `line_refunds` has none: 0.
            .condition_expression(
                "(line_refunds = :yen_seen OR attribute_not_exists(line_refunds)) AND points_returned = :points_seen",
            )
            .expression_attribute_values(":yen", n(refund.yen))
            .expression_attribute_values(":yen_now", n(order.line_refunds.0 + refund.yen))
            .expression_attribute_values(":points_now", n(order.points_returned + refund.points))
            .expression_attribute_values(":yen_seen", n(order.line_refunds.0))
            .expression_attribute_values(":points_seen", n(order.points_returned))
            .build()
            .context("building a refund")?;
        Ok(TransactWriteItem::builder().update(u).build())
    }

    /// Everything a failing line `line` of `order` (as read, with `lines`
    /// as read) writes besides its line record: its refund (money first,
    /// then points spent, the medium's fee too when it is the last line
    /// left) and the reversal journal of the points. Returns the items and
    /// the refund.
    pub fn failure_effects(
        &self,
        ledger: &LedgerStore,
        order: &Order,
        line: u32,
        lines: &[LineRecord],
        at: Timestamp,
    ) -> Result<(Vec<TransactWriteItem>, Refund), Error> {
        let failed: Vec<u32> = lines
            .iter()
            .filter(|r| r.stage == LineStage::Failed)
            .map(|r| r.line)
            .collect();
        let refund = line_failure(order, line, &failed);
        let mut items = vec![self.refund_item(order, refund)?];
        if let (Some(buyer), true) = (order.buyer.customer(), refund.points > 0) {
            let reversal =
                redemption_reversal(&order.order_id, buyer, refund.points, &format!("line-{line}"))?;
            items.extend(ledger.journal_items(&reversal, at)?.items);
        }
        Ok((items, refund))
    }
}

/// A transaction's put of a stage record `item`, on the condition that the
/// record is at one of `from` (`None`: there is no record yet).
pub(super) fn staged_put(
    table: &str,
    item: crate::dynamo::Item,
    from: &[Option<&str>],
) -> Result<TransactWriteItem, Error> {
    let mut conditions = Vec::new();
    let mut values = std::collections::HashMap::new();
    for (i, f) in from.iter().enumerate() {
        match f {
            None => conditions.push("attribute_not_exists(pk)".to_owned()),
            Some(stage) => {
                conditions.push(format!("stage = :from{i}"));
                values.insert(format!(":from{i}"), s(*stage));
            }
        }
    }
    let mut item = put(table, item, Some(&conditions.join(" OR ")))?;
    if let (Some(p), false) = (item.put.as_mut(), values.is_empty()) {
        p.expression_attribute_values = Some(values);
    }
    Ok(item)
}

/// Writes stage record `item` with `effects` in one transaction:
/// `Ok(false)` when the record's condition failed.
pub(super) async fn write_staged(
    db: &aws_sdk_dynamodb::Client,
    item: TransactWriteItem,
    effects: Vec<TransactWriteItem>,
    what: &str,
) -> Result<bool, Error> {
    let mut items = vec![item];
    items.extend(effects);
    match transact_checked(db, items, what).await? {
        Ok(()) => Ok(true),
        Err(failed) if failed.first() == Some(&true) => Ok(false),
        Err(_) => Err(Error::Conflict(Clash::Raced)),
    }
}
