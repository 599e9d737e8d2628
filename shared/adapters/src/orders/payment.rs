//! Payments (M20): a provider's webhook moves an order from `placed` to
//! `paid` once. The webhook's ID and the provider's payment ID are recorded
//! in the same transaction, so a replayed webhook, or the same payment sent
//! again under a new webhook ID, finds them and changes nothing.

use anyhow::Context;
use aws_sdk_dynamodb::types::{TransactWriteItem, Update};
use printvault_domain::order::{Order, OrderStatus};
use printvault_domain::when::Timestamp;
use printvault_domain::Error;

use super::{n, order_pk, OrderStore, ORDER_SK};
use crate::dynamo::{key, put, s, transact_checked};

/// A webhook's record lasts this long: far past any provider's retries.
const WEBHOOK_TTL_SECS: i64 = 30 * 24 * 3600;

/// What recording a payment did.
#[derive(Debug, PartialEq, Eq)]
pub enum Recorded {
    /// `placed` → `paid`.
    Paid,
    /// The money came for an order that cannot take it (cancelled, paid
    /// already, or the wrong amount): it is received and owed back.
    RefundDue,
    /// This webhook was seen before: nothing changed.
    Replay,
    /// This payment (the provider's payment ID) was applied before, under
    /// another webhook: nothing changed, and the webhook is recorded.
    PaymentSeen,
    /// The order changed meanwhile; read it again and decide again.
    Moved,
}

fn webhook_pk(id: &str) -> String {
    format!("WEBHOOK#{id}")
}

fn payment_pk(payment_id: &str) -> String {
    format!("PAYMENT#{payment_id}")
}

impl OrderStore {
    /// Whether webhook `id` was recorded.
    pub async fn webhook_seen(&self, id: &str) -> Result<bool, Error> {
        Ok(crate::dynamo::get_one::<serde::de::IgnoredAny>(
            &self.db,
            &self.table,
            webhook_pk(id),
            "WEBHOOK",
            "a webhook",
        )
        .await?
        .is_some())
    }

    /// Records webhook `id` alone (an event type that moves nothing).
    pub async fn record_webhook(&self, id: &str, now: i64) -> Result<(), Error> {
        let items = vec![self.webhook_item(id, None, now)?];
        transact_checked(&self.db, items, "recording a webhook")
            .await?
            .ok();
        Ok(())
    }

    fn webhook_item(&self, id: &str, order: Option<&Order>, now: i64) -> Result<TransactWriteItem, Error> {
        let mut item = key(webhook_pk(id), "WEBHOOK");
        item.insert("ttl".into(), n(now + WEBHOOK_TTL_SECS));
        if let Some(o) = order {
            item.insert("order_id".into(), s(o.order_id.as_str()));
        }
        Ok(put(&self.table, item, Some("attribute_not_exists(pk)"))?)
    }

    /// The record that payment `payment_id` was applied (kept for good: a
    /// provider may send the same payment again under a new webhook ID at
    /// any time, and it must never count twice).
    fn payment_item(
        &self,
        payment_id: &str,
        order: &Order,
        amount: i64,
        at: Timestamp,
    ) -> Result<TransactWriteItem, Error> {
        let mut item = key(payment_pk(payment_id), "PAYMENT");
        item.insert("order_id".into(), s(order.order_id.as_str()));
        item.insert("amount".into(), n(amount));
        item.insert("at".into(), s(at));
        Ok(put(&self.table, item, Some("attribute_not_exists(pk)"))?)
    }

    /// Applies a confirmed payment of `amount` to `order` as it was read,
    /// once per webhook and once per payment ID: a placed order paid its
    /// amount due becomes paid; any other money (a cancelled or paid order,
    /// the wrong amount) is received and owed back whole. One transaction
    /// with the webhook's and the payment's records, on the condition that
    /// the order is still in the status it was read in.
    pub async fn record_payment(
        &self,
        order: &Order,
        webhook_id: &str,
        payment_id: &str,
        amount: i64,
        at: Timestamp,
        now: i64,
    ) -> Result<Recorded, Error> {
        let pay = order.status == OrderStatus::Placed && amount == order.amount_due.0;
        let mut u = Update::builder()
            .table_name(&self.table)
            .set_key(Some(key(order_pk(&order.order_id), ORDER_SK)))
            .condition_expression("#s = :was")
            .expression_attribute_names("#s", "status")
            .expression_attribute_values(":was", s(order.status.as_str()))
            .expression_attribute_values(":amount", n(amount));
        u = if pay {
            u.update_expression("SET #s = :paid, payment_id = :p, paid_at = :at ADD received :amount")
                .expression_attribute_values(":paid", s(OrderStatus::Paid.as_str()))
                .expression_attribute_values(":p", s(payment_id))
                .expression_attribute_values(":at", s(at))
        } else {
            u.update_expression("ADD received :amount, refund_due :amount")
        };
        let items = vec![
            self.webhook_item(webhook_id, Some(order), now)?,
            self.payment_item(payment_id, order, amount, at)?,
            TransactWriteItem::builder()
                .update(u.build().context("building a payment")?)
                .build(),
        ];
        Ok(
            match transact_checked(&self.db, items, "recording a payment").await? {
                Ok(()) if pay => Recorded::Paid,
                Ok(()) => Recorded::RefundDue,
                Err(failed) if failed.first() == Some(&true) => Recorded::Replay,
                Err(failed) if failed.get(1) == Some(&true) => Recorded::PaymentSeen,
                Err(_) => Recorded::Moved,
            },
        )
    }
}
