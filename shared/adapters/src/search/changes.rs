//! Writing index entries: the moves from one version of an image to the
//! next, as transaction items or as batched writes.

use anyhow::Context;
use aws_sdk_dynamodb::types::{Delete, DeleteRequest, Put, PutRequest, TransactWriteItem, WriteRequest};
use printvault_domain::image::Image;
use printvault_domain::Error;
use std::collections::BTreeMap;

use super::{Entry, SearchIndex};
use crate::dynamo::{item_with_key, key, write_failed};

impl SearchIndex {
    /// The transaction items that move the public index from `before` to
    /// `after` (either may be absent), writing every entry of `after`. At
    /// most `2 × MAX_TERMS`.
    pub fn public_changes(
        &self,
        before: Option<&Image>,
        after: Option<&Image>,
    ) -> anyhow::Result<Vec<TransactWriteItem>> {
        self.changes(&self.public_keys(before), &self.public_keys(after), true)
    }

    /// The transaction items that move the owner index from `before` to
    /// `after`, writing only what differs: the keys that go, and the entries
    /// that are new or changed. At most `2 × MAX_TERMS`.
    pub fn own_changes(
        &self,
        before: Option<&Image>,
        after: Option<&Image>,
    ) -> anyhow::Result<Vec<TransactWriteItem>> {
        self.changes(&Self::own_keys(before), &Self::own_keys(after), false)
    }

    /// Deletes of the keys in `old` but not `new`, then puts of `new`'s
    /// entries (all of them, or only those that differ from `old`).
    fn changes(
        &self,
        old: &BTreeMap<(String, String), Entry>,
        new: &BTreeMap<(String, String), Entry>,
        rewrite_unchanged: bool,
    ) -> anyhow::Result<Vec<TransactWriteItem>> {
        let mut out = Vec::new();
        for (pk, sk) in old.keys().filter(|k| !new.contains_key(*k)) {
            let d = Delete::builder()
                .table_name(&self.table)
                .set_key(Some(key(pk.clone(), sk.clone())))
                .build()?;
            out.push(TransactWriteItem::builder().delete(d).build());
        }
        for ((pk, sk), e) in new
            .iter()
            .filter(|(k, e)| rewrite_unchanged || old.get(*k) != Some(*e))
        {
            let p = Put::builder()
                .table_name(&self.table)
                .set_item(Some(item_with_key(e, pk.clone(), sk.clone())?))
                .build()?;
            out.push(TransactWriteItem::builder().put(p).build());
        }
        Ok(out)
    }

    /// Moves the owner index from `before` to `after`, 25 writes at a time,
    /// writing every entry of `after` again. Used after a transaction that
    /// recorded the move on the record (see [`IndexMove`]), so a move this
    /// leaves half done is finished by [`Self::finish_own_move`].
    pub async fn update_own(&self, before: Option<&Image>, after: Option<&Image>) -> Result<(), Error> {
        let old = Self::own_keys(before);
        let new = Self::own_keys(after);
        let mut writes = Vec::new();
        for (pk, sk) in old.keys().filter(|k| !new.contains_key(*k)) {
            let d = DeleteRequest::builder()
                .set_key(Some(key(pk.clone(), sk.clone())))
                .build()
                .context("index delete")?;
            writes.push(WriteRequest::builder().delete_request(d).build());
        }
        for ((pk, sk), e) in &new {
            let p = PutRequest::builder()
                .set_item(Some(item_with_key(e, pk.clone(), sk.clone())?))
                .build()
                .context("index put")?;
            writes.push(WriteRequest::builder().put_request(p).build());
        }
        self.batch_write(writes).await
    }

    /// Removes every index item of an image, public ones first.
    pub async fn remove(&self, image: &Image) -> Result<(), Error> {
        let changes = self.public_changes(Some(image), None)?;
        if !changes.is_empty() {
            self.db
                .transact_write_items()
                .set_transact_items(Some(changes))
                .send()
                .await
                .map_err(|e| write_failed(e, "unindexing an image"))?;
        }
        self.update_own(Some(image), None).await
    }

    /// Writes raw index items (for bulk loads such as the benchmark).
    pub async fn put_public_and_own(&self, images: &[Image]) -> Result<(), Error> {
        let mut writes = Vec::new();
        for image in images {
            for ((pk, sk), e) in Self::own_keys(Some(image))
                .into_iter()
                .chain(self.public_keys(Some(image)))
            {
                let p = PutRequest::builder()
                    .set_item(Some(item_with_key(&e, pk, sk)?))
                    .build()
                    .context("index put")?;
                writes.push(WriteRequest::builder().put_request(p).build());
            }
        }
        self.batch_write(writes).await
    }

    pub(crate) async fn batch_write(&self, writes: Vec<WriteRequest>) -> Result<(), Error> {
        for chunk in writes.chunks(25) {
            let mut pending = chunk.to_vec();
            for attempt in 0..8 {
                let out = self
                    .db
                    .batch_write_item()
                    .request_items(&self.table, pending.clone())
                    .send()
                    .await
                    .map_err(|e| write_failed(e, "writing the search index"))?;
                pending = out
                    .unprocessed_items
                    .and_then(|mut u| u.remove(&self.table))
                    .unwrap_or_default();
                if pending.is_empty() {
                    break;
                }
                tokio::time::sleep(std::time::Duration::from_millis(20 << attempt)).await;
            }
            if !pending.is_empty() {
                return Err(anyhow::anyhow!("search index writes still unprocessed after retries").into());
            }
        }
        Ok(())
    }
}
