//! Placing, confirming and cancelling an order: each one transaction, with
//! the ledger entries it needs (`crate::ledger`).

use anyhow::Context;
use aws_sdk_dynamodb::types::{TransactWriteItem, Update};
use printvault_domain::ids::OrderId;
use printvault_domain::order::{Order, OrderStatus, StatusMove};
use printvault_domain::Clash;
use printvault_domain::Error;

use super::idempotency::KeyRef;
use super::{buyer_pk, guest_pk, n, order_pk, OrderStore, ORDER_SK};
use crate::dynamo::{item_with_key, key, put, s, transact_checked, write_failed};
use crate::ledger::JournalItems;

/// Everything placing one order writes or checks.
pub struct Placement<'a> {
    pub order: &'a Order,
    pub key: KeyRef<'a>,
    /// The claim token of [`super::Claim::Fresh`].
    pub token: &'a str,
    /// The redemption of points, if any are spent.
    pub redemption: Option<JournalItems>,
    /// Condition checks that each image may still be printed, one per
    /// image (`ImageStore::print_check`).
    pub checks: Vec<TransactWriteItem>,
    /// A guest's order token (SHA-256) and when it lapses (unix seconds).
    pub guest_token: Option<(&'a str, i64)>,
}

/// Why a placement was refused.
#[derive(Debug, PartialEq, Eq)]
pub enum PlaceRefusal {
    /// The buyer's balance does not cover the points to spend.
    NotEnoughPoints,
    /// The image of this check (1-based, in the order of
    /// [`Placement::checks`]) may no longer be printed.
    LineGone(u32),
    /// Another request changed the same items.
    Conflict,
}

impl OrderStore {
    /// Writes the order, its listing entry, the key's "done", the points
    /// spent and the checks, in one transaction.
    pub async fn place(&self, p: Placement<'_>) -> Result<Result<(), PlaceRefusal>, Error> {
        let t = &self.table;
        let o = p.order;
        let mut items = vec![
            self.key_done(&p.key, p.token, &o.order_id)?,
            put(
                t,
                item_with_key(o, order_pk(&o.order_id), ORDER_SK.into())?,
                Some("attribute_not_exists(pk)"),
            )?,
        ];
        if let Some(c) = o.buyer.customer() {
            let mut listing = key(buyer_pk(c), format!("ORDER#{}", o.order_id));
            listing.insert("created_at".into(), s(o.created_at.to_string()));
            items.push(put(t, listing, None)?);
        }
        if let Some((digest, lapses)) = p.guest_token {
            let mut g = key(guest_pk(digest), "GUEST");
            g.insert("order_id".into(), s(o.order_id.as_str()));
            g.insert("ttl".into(), n(lapses));
            items.push(put(t, g, Some("attribute_not_exists(pk)"))?);
        }
        let mut guarded = Vec::new();
        if let Some(r) = p.redemption {
            let base = items.len();
            guarded.extend(r.guarded.iter().map(|i| base + i));
            items.extend(r.items);
        }
        let checks_from = items.len();
        items.extend(p.checks);
        match transact_checked(&self.db, items, "placing an order").await {
            Ok(Ok(())) => Ok(Ok(())),
            Ok(Err(failed)) => {
                let hit = |i: &usize| failed.get(*i) == Some(&true);
                if guarded.iter().any(hit) {
                    return Ok(Err(PlaceRefusal::NotEnoughPoints));
                }
                if let Some(i) = (checks_from..failed.len()).find(hit) {
                    return Ok(Err(PlaceRefusal::LineGone((i - checks_from) as u32 + 1)));
                }
                Ok(Err(PlaceRefusal::Conflict))
            }
            Err(Error::Conflict(_)) => Ok(Err(PlaceRefusal::Conflict)),
            Err(other) => Err(other),
        }
    }

    /// A guest opened the link: `awaiting_email` → `placed`. False when the
    /// order had already moved on (a second click changes nothing).
    pub async fn confirm_guest(&self, order: &OrderId) -> Result<bool, Error> {
        let out = self
            .db
            .update_item()
            .table_name(&self.table)
            .set_key(Some(key(order_pk(order), ORDER_SK)))
            .update_expression("SET #s = :placed")
            .condition_expression("#s = :awaiting")
            .expression_attribute_names("#s", "status")
            .expression_attribute_values(":placed", s(OrderStatus::Placed.as_str()))
            .expression_attribute_values(":awaiting", s(OrderStatus::AwaitingEmail.as_str()))
            .send()
            .await;
        match out {
            Ok(_) => Ok(true),
            Err(e) if crate::dynamo::is_condition_failure(&e) => Ok(false),
            Err(e) => Err(write_failed(e, "confirming a guest's order")),
        }
    }

    /// Applies `m` to `order` (its new status, and the time of the move
    /// in the status's stamp: `dispatching_at`, `dispatched_at`, …), once:
    /// false when the order was no longer in `m.from()`.
    pub async fn advance(&self, order: &OrderId, m: &StatusMove) -> Result<bool, Error> {
        let out = self
            .db
            .update_item()
            .table_name(&self.table)
            .set_key(Some(key(order_pk(order), ORDER_SK)))
            .update_expression("SET #s = :to, #stamp = :at")
            .condition_expression("#s = :from")
            .expression_attribute_names("#s", "status")
            .expression_attribute_names("#stamp", stamp_of(m.to()))
            .expression_attribute_values(":to", s(m.to().as_str()))
            .expression_attribute_values(":from", s(m.from().as_str()))
            .expression_attribute_values(":at", s(m.at().to_string()))
            .send()
            .await;
        match out {
            Ok(_) => Ok(true),
            Err(e) if crate::dynamo::is_condition_failure(&e) => Ok(false),
            Err(e) => Err(write_failed(e, "moving an order on")),
        }
    }

    /// Cancels `order` if it is still in the status it was read in, and
    /// gives back its points by `reversal`, in one transaction. Everything
    /// the order received is owed back: `refund_due` becomes `received` as
    /// stored at that moment, so a refund recorded before (a duplicate
    /// payment) is kept, never overwritten. False when the order had moved
    /// on meanwhile (dispatched, or already cancelled).
    pub async fn cancel(&self, order: &Order, reversal: Option<JournalItems>) -> Result<bool, Error> {
        let u = Update::builder()
            .table_name(&self.table)
            .set_key(Some(key(order_pk(&order.order_id), ORDER_SK)))
            .update_expression(
                "SET #s = :cancelled, points_returned = :r, refund_due = if_not_exists(received, :zero)",
            )
            .condition_expression("#s = :was")
            .expression_attribute_names("#s", "status")
            .expression_attribute_values(":cancelled", s(OrderStatus::Cancelled.as_str()))
            .expression_attribute_values(":was", s(order.status.as_str()))
            .expression_attribute_values(":r", n(order.points_redeemed))
            .expression_attribute_values(":zero", n(0))
            .build()
            .context("building a cancellation")?;
        let mut items = vec![TransactWriteItem::builder().update(u).build()];
        items.extend(reversal.map(|r| r.items).unwrap_or_default());
        match transact_checked(&self.db, items, "cancelling an order").await? {
            Ok(()) => Ok(true),
            Err(failed) if failed.first() == Some(&true) => Ok(false),
            Err(_) => Err(Error::Conflict(Clash::Raced)),
        }
    }
}

/// The attribute that keeps when an order reached `status`.
fn stamp_of(status: OrderStatus) -> &'static str {
    match status {
        OrderStatus::AwaitingEmail | OrderStatus::Placed => "placed_at",
        OrderStatus::Paid => "paid_at",
        OrderStatus::Dispatching => "dispatching_at",
        OrderStatus::Dispatched => "dispatched_at",
        OrderStatus::Cancelled => "cancelled_at",
    }
}
