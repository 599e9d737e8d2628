//! The screening blocklist (M6).
//!
//! | pk                   | sk        | holds                               |
//! |----------------------|-----------|-------------------------------------|
//! | `SHA#<sha256>`       | `ENTRY`   | the entry: id, phash, reason, date  |
//! | `BAND#<i>#<byte>`    | `<entry>` | the entry's full phash (band index) |
//!
//! See `printvault_domain::screening` for why eight bands find every entry
//! within Hamming distance 7 with eight small Queries and no Scan.

use anyhow::Context;
use aws_sdk_dynamodb::types::{Put, TransactWriteItem};
use printvault_domain::ids::BlocklistEntryId;
use printvault_domain::screening::{bands, hamming, BlockMatch};
use printvault_domain::when::Timestamp;
use printvault_domain::Error;
use serde::{Deserialize, Serialize};

use crate::dynamo::{is_transaction_condition_failure, item_with_key, key, s, write_failed};
use crate::keys;

#[derive(Clone, Debug)]
pub struct BlocklistStore {
    db: aws_sdk_dynamodb::Client,
    table: String,
}

/// One blocklisted image.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BlocklistEntry {
    pub entry_id: BlocklistEntryId,
    pub sha256: String,
    /// Hex, 16 digits.
    pub phash: String,
    pub reason: String,
    pub added_at: Timestamp,
}

#[derive(Serialize, Deserialize)]
struct BandItem {
    entry_id: BlocklistEntryId,
    phash: String,
}

pub use printvault_domain::screening::phash_hex;

fn parse_phash(h: &str) -> Option<u64> {
    u64::from_str_radix(h, 16).ok()
}

impl BlocklistStore {
    pub fn new(db: aws_sdk_dynamodb::Client, table: impl Into<String>) -> Self {
        Self {
            db,
            table: table.into(),
        }
    }

    /// Adds an entry and its band index in one transaction. Adding the same
    /// bytes again returns the existing entry and writes nothing.
    pub async fn add(&self, entry: &BlocklistEntry) -> Result<BlocklistEntry, Error> {
        let phash = parse_phash(&entry.phash).context("entry phash is not hex")?;
        let mut req = self.db.transact_write_items();
        let exact = item_with_key(
            entry,
            keys::blocklist_exact_pk(&entry.sha256),
            keys::BLOCKLIST_EXACT_SK.into(),
        )?;
        req = req.transact_items(
            TransactWriteItem::builder()
                .put(
                    Put::builder()
                        .table_name(&self.table)
                        .set_item(Some(exact))
                        .condition_expression("attribute_not_exists(pk)")
                        .build()
                        .context("building a blocklist entry")?,
                )
                .build(),
        );
        for (band, value) in bands(phash) {
            let item = item_with_key(
                &BandItem {
                    entry_id: entry.entry_id.clone(),
                    phash: entry.phash.clone(),
                },
                keys::blocklist_band_pk(band, value),
                keys::blocklist_band_sk(&entry.entry_id),
            )?;
            req = req.transact_items(
                TransactWriteItem::builder()
                    .put(
                        Put::builder()
                            .table_name(&self.table)
                            .set_item(Some(item))
                            .build()
                            .context("building a band item")?,
                    )
                    .build(),
            );
        }
        match req.send().await {
            Ok(_) => Ok(entry.clone()),
            Err(e) if is_transaction_condition_failure(&e) => self
                .exact(&entry.sha256)
                .await?
                .ok_or_else(|| anyhow::anyhow!("blocklist entry vanished during add").into()),
            Err(e) => Err(write_failed(e, "adding a blocklist entry")),
        }
    }

    async fn exact(&self, sha256: &str) -> Result<Option<BlocklistEntry>, Error> {
        let out = self
            .db
            .get_item()
            .table_name(&self.table)
            .set_key(Some(key(
                keys::blocklist_exact_pk(sha256),
                keys::BLOCKLIST_EXACT_SK,
            )))
            .send()
            .await
            .context("reading the blocklist")?;
        out.item
            .map(|i| serde_dynamo::from_item(i).context("decoding a blocklist entry"))
            .transpose()
            .map_err(Error::from)
    }

    /// Checks an upload: the same bytes, or a perceptual hash within `max_distance`.
    pub async fn find_match(
        &self,
        sha256: &str,
        phash: u64,
        max_distance: u32,
    ) -> Result<Option<BlockMatch>, Error> {
        if self.exact(sha256).await?.is_some() {
            return Ok(Some(BlockMatch::Exact));
        }
        let mut best: Option<u32> = None;
        for (band, value) in bands(phash) {
            let mut start = None;
            loop {
                let out = self
                    .db
                    .query()
                    .table_name(&self.table)
                    .key_condition_expression("pk = :pk")
                    .expression_attribute_values(":pk", s(keys::blocklist_band_pk(band, value)))
                    .set_exclusive_start_key(start)
                    .send()
                    .await
                    .context("querying the blocklist band index")?;
                for item in out.items.unwrap_or_default() {
                    let b: BandItem = serde_dynamo::from_item(item).context("decoding a band item")?;
                    if let Some(p) = parse_phash(&b.phash) {
                        let d = hamming(p, phash);
                        if d <= max_distance && best.is_none_or(|x| d < x) {
                            best = Some(d);
                        }
                    }
                }
                start = out.last_evaluated_key;
                if start.is_none() {
                    break;
                }
            }
        }
        Ok(best.map(|distance| BlockMatch::Similar { distance }))
    }
}
