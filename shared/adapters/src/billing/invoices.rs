//! Invoices and arrears in the billing table (see the table in the parent).

use anyhow::Context;
use aws_sdk_dynamodb::types::{AttributeValue, TransactWriteItem, Update};
use printvault_domain::account::Email;
use printvault_domain::billing::{day_str, Invoice, InvoiceId, InvoiceStatus, Step};
use printvault_domain::ids::CustomerId;
use printvault_domain::when::Timestamp;
use printvault_domain::Error;

use super::{invoice_bucket, invoice_sk, BillingStore, ARREARS_PK, ARREARS_SK, STANDING_SK};
use crate::dynamo::{get_one, item_with_key, key, s, transact, Item};
use crate::names::{DUE_PK, DUE_SK};
use crate::{keys, Page};

/// What paying an invoice did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Paid {
    /// Paid now; the customer is out of arrears unless another invoice
    /// keeps them in.
    Now,
    /// Paid before by this same payment: nothing changed.
    Replay,
    /// Paid before by another payment (whose ID this is): this one is
    /// money to give back.
    Before(String),
}

pub(super) fn invoice_key(id: &InvoiceId) -> Item {
    key(keys::customer_pk(&id.customer), invoice_sk(id.month))
}

fn step_str(s: Step) -> &'static str {
    match s {
        Step::Issue => "issue",
        Step::Remind => "remind",
        Step::Arrears => "arrears",
    }
}

impl BillingStore {
    /// The invoice as an item, in the `due` index while it has a next step.
    pub(crate) fn invoice_item(&self, inv: &Invoice) -> Result<Item, Error> {
        let id = &inv.invoice_id;
        let mut item = item_with_key(inv, keys::customer_pk(&id.customer), invoice_sk(id.month))?;
        if let Some(day) = inv.next_on {
            let shard = printvault_domain::billing::due_shard(id.customer.as_str());
            item.insert(DUE_PK.into(), s(invoice_bucket(day, shard)));
            item.insert(DUE_SK.into(), s(id.to_string()));
        }
        Ok(item)
    }

    pub async fn invoice(&self, id: &InvoiceId) -> Result<Option<Invoice>, Error> {
        get_one(
            &self.db,
            &self.table,
            keys::customer_pk(&id.customer),
            &invoice_sk(id.month),
            "an invoice",
        )
        .await
    }

    /// `c`'s invoices, newest first, `limit` at a time.
    pub async fn invoices(
        &self,
        c: &CustomerId,
        limit: u32,
        after: Option<&str>,
    ) -> Result<Page<Invoice>, Error> {
        let valid = |sk: &str| {
            sk.strip_prefix("INVOICE#")
                .is_some_and(|m| printvault_domain::billing::Month::parse(m).is_ok())
        };
        crate::dynamo::page_newest_first(
            &self.db,
            &self.table,
            &keys::customer_pk(c),
            "INVOICE#",
            crate::dynamo::PageOf { limit, cursor: after },
            valid,
            "invoices",
        )
        .await
    }

    /// The unpaid invoices whose next step is due on `day`, every shard.
    pub async fn invoices_due(&self, day: time::Date) -> Result<Vec<Invoice>, Error> {
        let mut out = Vec::new();
        for shard in 0..printvault_domain::billing::DUE_SHARDS {
            for item in self.due(&invoice_bucket(day, shard)).await? {
                out.push(serde_dynamo::from_item(item).context("decoding an invoice")?);
            }
        }
        Ok(out)
    }

    /// Moves `inv` from the step it shows to `next` (out of the index when
    /// `None`), with `status`. Lands only if the invoice is still unpaid
    /// at that step: `false` when another run or a payment moved it first.
    fn advance_update(
        &self,
        inv: &Invoice,
        next: Option<(Step, time::Date)>,
        status: InvoiceStatus,
    ) -> Result<Update, Error> {
        // The address its notices went to stays with it (see `Invoice::email`).
        let (set_email, u_email) = match &inv.email {
            Some(e) => (", email = if_not_exists(email, :em)", Some(s(e.as_str()))),
            None => ("", None),
        };
        let id = &inv.invoice_id;
        let (Some(step), Some(on)) = (inv.next_step, inv.next_on) else {
            return Err(Error::Unexpected(anyhow::anyhow!(
                "invoice {id} has no next step"
            )));
        };
        let mut u = Update::builder()
            .table_name(&self.table)
            .set_key(Some(invoice_key(id)))
            .condition_expression("#st <> :paid AND next_step = :step AND next_on = :on")
            .expression_attribute_names("#st", "status")
            .expression_attribute_values(":paid", s("paid"))
            .expression_attribute_values(":step", s(step_str(step)))
            .expression_attribute_values(":on", s(printvault_domain::billing::day_str(on)))
            .expression_attribute_values(
                ":status",
                serde_dynamo::to_attribute_value(status).context("encoding a status")?,
            );
        u = match next {
            Some((step, day)) => {
                let shard = printvault_domain::billing::due_shard(id.customer.as_str());
                u.update_expression(format!(
                    "SET #st = :status, next_step = :ns, next_on = :no, due_pk = :dp{set_email}"
                ))
                .expression_attribute_values(":ns", s(step_str(step)))
                .expression_attribute_values(":dp", s(invoice_bucket(day, shard)))
                .expression_attribute_values(":no", s(day_str(day)))
            }
            None => u.update_expression(format!(
                "SET #st = :status{set_email} REMOVE next_step, next_on, due_pk, due_sk"
            )),
        };
        if let Some(e) = u_email {
            u = u.expression_attribute_values(":em", e);
        }
        Ok(u.build().context("building an invoice's step")?)
    }

    /// See [`Self::advance_update`].
    pub async fn advance(
        &self,
        inv: &Invoice,
        next: Option<(Step, time::Date)>,
        status: InvoiceStatus,
    ) -> Result<bool, Error> {
        let u = self.advance_update(inv, next, status)?;
        let items = vec![TransactWriteItem::builder().update(u).build()];
        transact(&self.db, items, "moving an invoice on").await
    }

    /// Puts `inv`'s customer in arrears for it (M24), in one transaction
    /// with its last step; `false` when it moved (or was paid) first.
    pub async fn enter_arrears(&self, inv: &Invoice, now: Timestamp) -> Result<bool, Error> {
        let id = &inv.invoice_id;
        let standing = Update::builder()
            .table_name(&self.table)
            .set_key(Some(key(keys::customer_pk(&id.customer), STANDING_SK)))
            .update_expression("ADD overdue :inv SET since = if_not_exists(since, :now)")
            .expression_attribute_values(":inv", AttributeValue::Ss(vec![id.to_string()]))
            .expression_attribute_values(":now", s(now.to_string()))
            .build()
            .context("building arrears")?;
        let items = vec![
            TransactWriteItem::builder()
                .update(self.advance_update(inv, None, InvoiceStatus::Overdue)?)
                .build(),
            TransactWriteItem::builder().update(standing).build(),
            TransactWriteItem::builder()
                .update(self.register_update("ADD", id)?)
                .build(),
        ];
        transact(&self.db, items, "putting a customer in arrears").await
    }

    /// Moves the notices of `c`'s invoices still in progress (a next step
    /// to come) to `email`, after an email change. Paid and closed ones
    /// keep the address they were sent to.
    pub async fn readdress_invoices(&self, c: &CustomerId, email: &Email) -> Result<u32, Error> {
        let items =
            crate::dynamo::query_prefix::<Invoice>(&self.db, &self.table, &keys::customer_pk(c), "INVOICE#")
                .await?;
        let mut moved = 0;
        for inv in items.iter().filter(|i| i.next_step.is_some()) {
            let res = self
                .db
                .update_item()
                .table_name(&self.table)
                .set_key(Some(invoice_key(&inv.invoice_id)))
                .update_expression("SET email = :em")
                .condition_expression("attribute_exists(next_step)")
                .expression_attribute_values(":em", s(email.as_str()))
                .send()
                .await;
            match res {
                Ok(_) => moved += 1,
                Err(e) if crate::dynamo::is_condition_failure(&e) => {}
                Err(e) => return Err(crate::dynamo::write_failed(e, "readdressing an invoice")),
            }
        }
        Ok(moved)
    }

    /// `ADD` or `DELETE` invoice `id` in the arrears register.
    pub(super) fn register_update(&self, op: &str, id: &InvoiceId) -> Result<Update, Error> {
        Ok(Update::builder()
            .table_name(&self.table)
            .set_key(Some(key(ARREARS_PK, ARREARS_SK)))
            .update_expression(format!("{op} overdue :inv"))
            .expression_attribute_values(":inv", AttributeValue::Ss(vec![id.to_string()]))
            .build()
            .context("building the arrears register's update")?)
    }

    /// The invoices keeping `c` in arrears; empty in good standing.
    pub async fn overdue(&self, c: &CustomerId) -> Result<Vec<InvoiceId>, Error> {
        let out = self
            .db
            .get_item()
            .table_name(&self.table)
            .set_key(Some(key(keys::customer_pk(c), STANDING_SK)))
            .consistent_read(true)
            .send()
            .await
            .context("reading a customer's standing")?;
        let ids = out
            .item
            .and_then(|mut i| i.remove("overdue"))
            .and_then(|v| v.as_ss().ok().cloned())
            .unwrap_or_default();
        Ok(ids.iter().filter_map(|s| InvoiceId::parse(s).ok()).collect())
    }
}
