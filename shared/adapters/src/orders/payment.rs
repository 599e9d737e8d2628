//! Payments (M20): a provider's webhook moves an order from `placed` to
//! `paid` once. The webhook's ID is recorded in the same transaction, so a
//! replayed webhook finds it and changes nothing.

use anyhow::Context;
use aws_sdk_dynamodb::types::{TransactWriteItem, Update};
use printvault_domain::order::{Order, OrderStatus};
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
    /// The order had been cancelled (or paid by another payment): the money
    /// is marked for refund.
    RefundDue,
    /// This webhook was seen before: nothing changed.
    Replay,
    /// The order changed meanwhile; read it again and decide again.
    Moved,
}

fn webhook_pk(id: &str) -> String {
    format!("WEBHOOK#{id}")
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

    /// Applies a confirmed payment of `amount` to `order` as it was read:
    /// a placed order becomes paid; otherwise the money is owed back. One
    /// transaction with the webhook's record.
    pub async fn record_payment(
        &self,
        order: &Order,
        webhook_id: &str,
        payment_id: &str,
        amount: i64,
        at: &str,
        now: i64,
    ) -> Result<Recorded, Error> {
        let pay = order.status == OrderStatus::Placed;
        let mut u = Update::builder()
            .table_name(&self.table)
            .set_key(Some(key(order_pk(&order.order_id), ORDER_SK)))
            .condition_expression("#s = :was")
            .expression_attribute_names("#s", "status")
            .expression_attribute_values(":was", s(order.status.as_str()));
        u = if pay {
            u.update_expression("SET #s = :paid, payment_id = :p, paid_at = :at")
                .expression_attribute_values(":paid", s(OrderStatus::Paid.as_str()))
                .expression_attribute_values(":p", s(payment_id))
                .expression_attribute_values(":at", s(at))
        } else {
            u.update_expression("ADD refund_due :amount")
                .expression_attribute_values(":amount", n(amount))
        };
        let items = vec![
            self.webhook_item(webhook_id, Some(order), now)?,
            TransactWriteItem::builder()
                .update(u.build().context("building a payment")?)
                .build(),
        ];
        Ok(
            match transact_checked(&self.db, items, "recording a payment").await? {
                Ok(()) if pay => Recorded::Paid,
                Ok(()) => Recorded::RefundDue,
                Err(failed) if failed.first() == Some(&true) => Recorded::Replay,
                Err(_) => Recorded::Moved,
            },
        )
    }
}
