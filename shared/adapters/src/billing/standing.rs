//! Many customers' standing at once (M24), for listings that show several
//! owners' images to others (search): one read of the arrears register.

use printvault_domain::billing::InvoiceId;
use printvault_domain::ids::CustomerId;
use printvault_domain::Error;
use std::collections::HashSet;

use super::{BillingStore, ARREARS_PK, ARREARS_SK, STANDING_SK};
use crate::dynamo::key;
use crate::keys;
use anyhow::Context;
use aws_sdk_dynamodb::types::{ConditionCheck, TransactWriteItem};

impl BillingStore {
    /// The transaction item that checks customer `c` is not in arrears
    /// (their standing lists no overdue invoice): a stranger's order of
    /// their image is placed only then.
    pub fn standing_check(&self, c: &CustomerId) -> Result<TransactWriteItem, Error> {
        let check = ConditionCheck::builder()
            .table_name(&self.table)
            .set_key(Some(key(keys::customer_pk(c), STANDING_SK)))
            .condition_expression("attribute_not_exists(overdue)")
            .build()
            .context("building a standing check")?;
        Ok(TransactWriteItem::builder().condition_check(check).build())
    }

    /// Which of `customers` are in arrears, from the register (one item,
    /// read only when `customers` is not empty; eventually consistent: a
    /// payment shows in others' listings within a second or so, while the
    /// customer's own access, [`BillingStore::overdue`], comes back at once).
    pub async fn in_arrears(&self, customers: &[CustomerId]) -> Result<HashSet<CustomerId>, Error> {
        if customers.is_empty() {
            return Ok(HashSet::new());
        }
        let overdue = self.everyone_in_arrears().await?;
        Ok(customers
            .iter()
            .filter(|c| overdue.contains(c))
            .cloned()
            .collect())
    }

    /// Every customer in arrears, from the register (one item, eventually
    /// consistent, as [`BillingStore::in_arrears`]); the retention sweep
    /// reads it once per run.
    pub async fn everyone_in_arrears(&self) -> Result<HashSet<CustomerId>, Error> {
        let out = self
            .db
            .get_item()
            .table_name(&self.table)
            .set_key(Some(key(ARREARS_PK, ARREARS_SK)))
            .send()
            .await
            .map_err(|e| Error::from(anyhow::Error::from(e).context("reading the arrears register")))?;
        Ok(out
            .item
            .and_then(|mut i| i.remove("overdue"))
            .and_then(|v| v.as_ss().ok().cloned())
            .unwrap_or_default()
            .iter()
            .filter_map(|s| InvoiceId::parse(s).ok())
            .map(|id| id.customer)
            .collect())
    }
}
