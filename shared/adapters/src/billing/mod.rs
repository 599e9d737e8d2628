//! The billing table (M23-M25): storage meters, invoices and arrears.
//!
//! | pk                | sk                  | holds                                  | `due_pk` (index `due`)        |
//! |-------------------|---------------------|----------------------------------------|-------------------------------|
//! | `CUST#<customer>` | `METER`             | the storage meter, `rev`               | `BILL#<YYYY-MM>#<shard>`      |
//! | `CUST#<customer>` | `INVOICE#<YYYY-MM>` | one month's invoice                    | `INVOICE#<YYYY-MM-DD>#<shard>`|
//! | `CUST#<customer>` | `STANDING`          | `overdue`: the invoices in arrears     | —                             |
//! | `ARREARS`         | `REGISTER`          | `overdue`: every invoice in arrears    | —                             |
//!
//! The register is the same invoices as every customer's `overdue`, in one
//! item, written in the same transactions: a listing of many owners'
//! images (search) reads it once per page, not each owner's standing. One
//! item holds about 9,000 invoice IDs (400 KB); past that it would need
//! sharding by customer.
//! A meter is in the index under the month it accrues, so the billing
//! sweep finds the meters to close by Querying last month's buckets; an
//! idle meter (nothing stored, nothing accrued) leaves the index. An unpaid
//! invoice is in the index under the day of its next step. `due_sk` is the
//! customer ID (meters) or invoice ID (invoices).
//!
//! A meter changes only by optimistic concurrency on `rev`, in the same
//! transaction as the image record's `metered` mark: an image is metered in
//! once (when it is ready) and out once (when it is deleted), whatever is
//! redelivered or retried; its bytes move to the archive tier once, in the
//! same transaction as its record's `archived` mark (M32).

mod archived;
mod invoices;
mod meters;
mod payments;
mod standing;

pub use invoices::Paid;
pub use meters::Direction;

use anyhow::Context;
use aws_sdk_dynamodb::types::{AttributeValue, TransactWriteItem};
use printvault_domain::billing::{due_shard, BillingSettings, Invoice, Meter, Month, DUE_SHARDS};
use printvault_domain::ids::CustomerId;
use printvault_domain::Error;
use serde::{Deserialize, Serialize};

use crate::dynamo::{get_one, item_with_key, put, s, transact, Item};
use crate::keys;
use crate::names::{DUE_INDEX, DUE_PK, DUE_SK};

pub(crate) const METER_SK: &str = "METER";
pub(crate) const STANDING_SK: &str = "STANDING";
pub(crate) const ARREARS_PK: &str = "ARREARS";
pub(crate) const ARREARS_SK: &str = "REGISTER";

pub(crate) fn invoice_sk(m: Month) -> String {
    format!("INVOICE#{m}")
}

/// The meters' bucket of `month`, shard `shard`.
pub fn meter_bucket(month: Month, shard: u32) -> String {
    format!("BILL#{month}#{shard}")
}

/// The invoices' bucket of `day` (`YYYY-MM-DD`), shard `shard`.
pub fn invoice_bucket(day: time::Date, shard: u32) -> String {
    format!("INVOICE#{}#{shard}", printvault_domain::billing::day_str(day))
}

#[derive(Clone, Debug)]
pub struct BillingStore {
    pub(crate) db: aws_sdk_dynamodb::Client,
    pub(crate) table: String,
    pub(crate) images_table: String,
    pub(crate) settings: BillingSettings,
}

/// A meter as stored: the meter, its revision and its customer.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct MeterRecord {
    pub customer: CustomerId,
    #[serde(flatten)]
    pub meter: Meter,
    pub rev: u64,
}

impl BillingStore {
    /// The store over `table`, marking images in `images_table`, with the
    /// `billing` section of `settings`.
    pub fn new(
        db: aws_sdk_dynamodb::Client,
        table: impl Into<String>,
        images_table: impl Into<String>,
        settings: &printvault_domain::settings::Settings,
    ) -> Self {
        Self {
            db,
            table: table.into(),
            images_table: images_table.into(),
            settings: settings.billing.clone(),
        }
    }

    pub fn settings(&self) -> &BillingSettings {
        &self.settings
    }

    pub async fn meter(&self, c: &CustomerId) -> Result<Option<MeterRecord>, Error> {
        get_one(
            &self.db,
            &self.table,
            keys::customer_pk(c),
            METER_SK,
            "a storage meter",
        )
        .await
    }

    /// The meter item for `m` at revision `rev`, in the index unless idle.
    fn meter_item(&self, c: &CustomerId, m: &Meter, rev: u64) -> Result<Item, Error> {
        let rec = MeterRecord {
            customer: c.clone(),
            meter: m.clone(),
            rev,
        };
        let mut item = item_with_key(&rec, keys::customer_pk(c), METER_SK.into())?;
        if !m.is_idle() {
            let shard = due_shard(c.as_str());
            item.insert(DUE_PK.into(), s(meter_bucket(m.month, shard)));
            item.insert(DUE_SK.into(), s(c.as_str()));
        }
        Ok(item)
    }

    /// A put of the meter that lands only over revision `rev` (0: none yet).
    pub(crate) fn meter_put(&self, c: &CustomerId, m: &Meter, rev: u64) -> Result<TransactWriteItem, Error> {
        let p = aws_sdk_dynamodb::types::Put::builder()
            .table_name(&self.table)
            .set_item(Some(self.meter_item(c, m, rev + 1)?));
        let p = if rev == 0 {
            p.condition_expression("attribute_not_exists(pk)")
        } else {
            p.condition_expression("#rev = :rev")
                .expression_attribute_names("#rev", "rev")
                .expression_attribute_values(":rev", AttributeValue::N(rev.to_string()))
        };
        Ok(TransactWriteItem::builder()
            .put(p.build().context("building a meter's put")?)
            .build())
    }

    /// Closes the meter's month (read at revision `rev`): the meter moves to
    /// the next month and, if anything was stored, the month's invoice is
    /// written, issued on `issued` — in one transaction. `Ok(None)` with
    /// nothing written when the meter moved on since it was read.
    pub async fn close_month(
        &self,
        rec: &MeterRecord,
        issued: time::Date,
    ) -> Result<Option<Option<Invoice>>, Error> {
        let (usage, next) = rec.meter.close();
        let mut items = vec![self.meter_put(&rec.customer, &next, rec.rev)?];
        let invoice = Invoice::for_month(rec.customer.clone(), &usage, issued, &self.settings);
        if let Some(inv) = &invoice {
            items.push(put(
                &self.table,
                self.invoice_item(inv)?,
                Some("attribute_not_exists(pk)"),
            )?);
        }
        if !transact(&self.db, items, "closing a storage month").await? {
            return Ok(None);
        }
        tracing::info!(customer_id = %rec.customer, month = %usage.month, byte_secs = %usage.byte_secs, "storage month closed");
        Ok(Some(invoice))
    }

    /// Items of the `due` index under `bucket`, all pages.
    pub(crate) async fn due(&self, bucket: &str) -> Result<Vec<Item>, Error> {
        Ok(crate::dynamo::query_index(&self.db, &self.table, DUE_INDEX, DUE_PK, bucket).await?)
    }

    /// Writes `rec` as the customer's meter where they have none yet (an
    /// import of usage from elsewhere; tests). `false` when one exists.
    pub async fn seed_meter(&self, rec: &MeterRecord) -> Result<bool, Error> {
        let item = self.meter_put(&rec.customer, &rec.meter, 0)?;
        transact(&self.db, vec![item], "seeding a meter").await
    }

    /// The meters still accruing `month`, every shard.
    pub async fn meters_due(&self, month: Month) -> Result<Vec<MeterRecord>, Error> {
        let mut out = Vec::new();
        for shard in 0..DUE_SHARDS {
            for item in self.due(&meter_bucket(month, shard)).await? {
                out.push(serde_dynamo::from_item(item).context("decoding a storage meter")?);
            }
        }
        Ok(out)
    }
}
