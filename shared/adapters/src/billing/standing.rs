//! Many customers' standing at once (M24), for listings that show several
//! owners' images to others (search): one BatchGetItem of their
//! `STANDING` items, 100 at a time.

use printvault_domain::ids::CustomerId;
use printvault_domain::Error;
use std::collections::HashSet;

use super::{BillingStore, STANDING_SK};
use crate::dynamo::key;
use crate::keys;

impl BillingStore {
    /// Which of `customers` are in arrears (each asked once, however often
    /// named). Strongly consistent, as [`BillingStore::overdue`].
    pub async fn in_arrears(&self, customers: &[CustomerId]) -> Result<HashSet<CustomerId>, Error> {
        let distinct: HashSet<&CustomerId> = customers.iter().collect();
        if distinct.is_empty() {
            return Ok(HashSet::new());
        }
        let wanted = distinct
            .iter()
            .map(|c| key(keys::customer_pk(c), STANDING_SK))
            .collect();
        let items = crate::dynamo::batch_get(&self.db, &self.table, wanted)
            .await
            .map_err(|e| Error::from(e.context("reading customers' standing")))?;
        Ok(items
            .iter()
            .filter(|i| {
                i.get("overdue")
                    .and_then(|v| v.as_ss().ok())
                    .is_some_and(|ids| !ids.is_empty())
            })
            .filter_map(|i| i.get("pk").and_then(|v| v.as_s().ok()))
            .filter_map(|pk| pk.strip_prefix("CUST#"))
            .filter_map(|c| CustomerId::parse(c).ok())
            .collect())
    }
}
