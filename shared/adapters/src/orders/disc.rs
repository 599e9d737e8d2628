//! A disc job's stage as its lab reports it (M32): one item per archive
//! order past `dispatched` (`ORDER#<order>` / `DISC`), written on the
//! condition that the disc was at a stage it may move on from, with the
//! stage's effects in the same transaction.

use aws_sdk_dynamodb::types::TransactWriteItem;
use printvault_domain::ids::OrderId;
use printvault_domain::lab_report::disc::{DiscRecord, DiscStage};
use printvault_domain::Error;

use super::lines::{staged_put, write_staged};
use super::{order_pk, OrderStore};
use crate::dynamo::{get_one, item_with_key};

const DISC_SK: &str = "DISC";

impl OrderStore {
    /// The disc's record; `None` while it is `dispatched`.
    pub async fn disc_record(&self, order: &OrderId) -> Result<Option<DiscRecord>, Error> {
        get_one(&self.db, &self.table, order_pk(order), DISC_SK, "a disc's record").await
    }

    /// Writes `record` if the disc is at a stage it may move on from, with
    /// `effects` in the same transaction. `Ok(false)`: it was not.
    pub async fn report_disc(
        &self,
        order: &OrderId,
        record: &DiscRecord,
        effects: Vec<TransactWriteItem>,
    ) -> Result<bool, Error> {
        let from: Vec<Option<&str>> = record
            .stage
            .reachable_from()
            .iter()
            .map(|f| (*f != DiscStage::Dispatched).then(|| f.as_str()))
            .collect();
        let item = staged_put(
            &self.table,
            item_with_key(record, order_pk(order), DISC_SK.to_owned())?,
            &from,
        )?;
        write_staged(&self.db, item, effects, "recording a disc report").await
    }
}
