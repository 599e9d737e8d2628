//! Paying an invoice (M24): once, taking it off the customer's arrears in
//! the same transaction; a second payment is kept as money owed back.

use anyhow::Context;
use aws_sdk_dynamodb::types::{AttributeValue, TransactWriteItem, Update};
use printvault_domain::billing::InvoiceId;
use printvault_domain::when::Timestamp;
use printvault_domain::Error;
use printvault_domain::Thing;

use super::invoices::{invoice_key, Paid};
use super::{BillingStore, STANDING_SK};
use crate::dynamo::{key, s, transact};
use crate::keys;

impl BillingStore {
    /// Records the payment of invoice `id` and, in the same transaction,
    /// takes it off its customer's arrears: access comes back at once.
    pub async fn pay(
        &self,
        id: &InvoiceId,
        payment_id: &str,
        amount: i64,
        paid_at: Timestamp,
    ) -> Result<Paid, Error> {
        let invoice = Update::builder()
            .table_name(&self.table)
            .set_key(Some(invoice_key(id)))
            .condition_expression("attribute_exists(pk) AND #st <> :paid")
            .update_expression(
                "SET #st = :paid, paid_at = :at, payment_id = :pid REMOVE next_step, next_on, due_pk, due_sk",
            )
            .expression_attribute_names("#st", "status")
            .expression_attribute_values(":paid", s("paid"))
            .expression_attribute_values(":at", s(paid_at.to_string()))
            .expression_attribute_values(":pid", s(payment_id))
            .build()
            .context("building a payment")?;
        let standing = Update::builder()
            .table_name(&self.table)
            .set_key(Some(key(keys::customer_pk(&id.customer), STANDING_SK)))
            .update_expression("DELETE overdue :inv")
            .expression_attribute_values(":inv", AttributeValue::Ss(vec![id.to_string()]))
            .build()
            .context("building a standing update")?;
        let items = vec![
            TransactWriteItem::builder().update(invoice).build(),
            TransactWriteItem::builder().update(standing).build(),
            TransactWriteItem::builder()
                .update(self.register_update("DELETE", id)?)
                .build(),
        ];
        if transact(&self.db, items, "paying an invoice").await? {
            return Ok(Paid::Now);
        }
        match self.invoice(id).await? {
            Some(inv) if inv.payment_id.as_deref() == Some(payment_id) => Ok(Paid::Replay),
            Some(inv) => Ok(
                if self.record_extra_payment(id, payment_id, amount, paid_at).await? {
                    Paid::Before(inv.payment_id.unwrap_or_default())
                } else {
                    Paid::Replay
                },
            ),
            None => Err(Error::NotFound(Thing::Invoice)),
        }
    }

    /// Records a payment of an invoice that was paid already: the money is
    /// added to the invoice's `refund_due`, once per payment ID (a record
    /// `PAYMENT#<payment>` in the same transaction). False when this
    /// payment was recorded before.
    async fn record_extra_payment(
        &self,
        id: &InvoiceId,
        payment_id: &str,
        amount: i64,
        at: Timestamp,
    ) -> Result<bool, Error> {
        let mut record = key(format!("PAYMENT#{payment_id}"), "PAYMENT");
        record.insert("invoice_id".into(), s(id.to_string()));
        record.insert("amount".into(), AttributeValue::N(amount.to_string()));
        record.insert("at".into(), s(at));
        let refund = Update::builder()
            .table_name(&self.table)
            .set_key(Some(invoice_key(id)))
            .condition_expression("attribute_exists(pk)")
            .update_expression("ADD refund_due :a")
            .expression_attribute_values(":a", AttributeValue::N(amount.to_string()))
            .build()
            .context("building an invoice's refund")?;
        let items = vec![
            crate::dynamo::put(&self.table, record, Some("attribute_not_exists(pk)"))?,
            TransactWriteItem::builder().update(refund).build(),
        ];
        transact(&self.db, items, "recording a second payment of an invoice").await
    }
}
