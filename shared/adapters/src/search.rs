//! The search index (M14), in the images table.
//!
//! | pk                          | sk                     | holds                     |
//! |-----------------------------|------------------------|---------------------------|
//! | `OWNKW#<owner>#<term>`      | `<when>#<image>`       | every ready image's terms |
//! | `PUBKW#<term>#<shard>`      | `<when>#<image>`       | viewable/printable only   |
//!
//! Each item carries a projection of the image (class, prices, size, terms),
//! so a result costs the one index item that found it: a query's cost follows
//! the results it returns, never the size of the library. `<when>` is the
//! time taken (or uploaded), so newest-first is descending key order and a
//! date range is a key range. Public terms are write-sharded by a stable hash
//! of the image ID, so a popular term spreads over several partitions.
//!
//! Public items change in the same transaction as the image's class, so a
//! class change is exact for every caller at once. Owner items are written
//! after, best effort; they only serve the owner and their group, who may
//! see the image whatever its class.

use anyhow::Context;
use aws_sdk_dynamodb::types::{
    ConditionCheck, Delete, DeleteRequest, Put, PutRequest, TransactWriteItem, WriteRequest,
};
use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine};
use printvault_domain::access::Class;
use printvault_domain::classification::Prices;
use printvault_domain::ids::{CustomerId, ImageId};
use printvault_domain::image::{Image, ImageStatus};
use printvault_domain::search::{shard, sort_key, terms, IndexMove};
use printvault_domain::Error;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashSet, VecDeque};

use crate::dynamo::{item_with_key, key, s, write_failed, Item};
use crate::names::{PK, SK};

#[derive(Clone, Debug)]
pub struct SearchIndex {
    db: aws_sdk_dynamodb::Client,
    table: String,
    shards: u32,
}

/// What one index item says about its image.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entry {
    pub image_id: ImageId,
    pub owner: CustomerId,
    pub class: Class,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prices: Option<Prices>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub taken_at: Option<String>,
    pub width: u32,
    pub height: u32,
    pub terms: Vec<String>,
}

/// One result and the index partition that found it.
#[derive(Debug, Clone)]
pub struct Hit {
    pub entry: Entry,
    pub source: usize,
}

/// A page of merged results.
#[derive(Debug, Clone)]
pub struct Results {
    pub hits: Vec<Hit>,
    pub next_cursor: Option<String>,
    /// Index items DynamoDB returned to build this page.
    pub items_read: usize,
    /// Rounds of (parallel) Queries: the page's sequential round trips.
    pub rounds: usize,
}

/// A key range of the shared sort key, inclusive: `YYYY-MM-DD` bounds.
#[derive(Debug, Clone, Default)]
pub struct DateRange {
    pub from: Option<String>,
    pub to: Option<String>,
}

fn own_pk(owner: &CustomerId, term: &str) -> String {
    format!("OWNKW#{owner}#{term}")
}

impl SearchIndex {
    pub fn new(db: aws_sdk_dynamodb::Client, table: impl Into<String>, shards: u32) -> Self {
        Self {
            db,
            table: table.into(),
            shards: shards.max(1),
        }
    }

    fn pub_pk(&self, term: &str, shard: u32) -> String {
        format!("PUBKW#{term}#{shard}")
    }

    /// The partitions a caller searches for `term`: their own, their group
    /// members', and every shard of the public index.
    pub fn own_partition(&self, owner: &CustomerId, term: &str) -> String {
        own_pk(owner, term)
    }

    pub fn public_partitions(&self, term: &str) -> Vec<String> {
        (0..self.shards).map(|s| self.pub_pk(term, s)).collect()
    }

    /// The index entry and sort key of a ready image.
    pub fn entry(image: &Image) -> Option<(Entry, String)> {
        if image.status != ImageStatus::Ready {
            return None;
        }
        let f = image.finalised.as_ref()?;
        let e = Entry {
            image_id: image.id.clone(),
            owner: image.owner.clone(),
            class: image.class,
            prices: image.prices,
            taken_at: image.attributes.taken_at.clone(),
            width: f.width,
            height: f.height,
            terms: terms(&image.attributes),
        };
        let sk = sort_key(e.taken_at.as_deref(), &image.created_at, image.id.as_str());
        Some((e, sk))
    }

    fn own_keys(image: Option<&Image>) -> BTreeMap<(String, String), Entry> {
        image
            .and_then(Self::entry)
            .map(|(e, sk)| {
                e.terms
                    .iter()
                    .map(|t| ((own_pk(&e.owner, t), sk.clone()), e.clone()))
                    .collect()
            })
            .unwrap_or_default()
    }

    fn public_keys(&self, image: Option<&Image>) -> BTreeMap<(String, String), Entry> {
        let Some((e, sk)) = image.and_then(Self::entry) else {
            return BTreeMap::new();
        };
        if e.class == Class::Private {
            return BTreeMap::new();
        }
        let sh = shard(e.image_id.as_str(), self.shards);
        e.terms
            .iter()
            .map(|t| ((self.pub_pk(t, sh), sk.clone()), e.clone()))
            .collect()
    }

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

    /// Where `image`'s owner-index entries are, to record before a move that
    /// does not fit in the transaction (see [`IndexMove`]).
    pub fn own_index_of(image: &Image) -> Option<IndexMove> {
        Self::entry(image).map(|(e, sort_key)| IndexMove {
            sort_key,
            terms: e.terms,
        })
    }

    /// Finishes an owner-index move that `image` (as read) still records:
    /// deletes the entries it moved from that `image` does not have, writes
    /// every entry `image` has, then clears the record's note if the record
    /// is still at `image.rev`. Safe to repeat.
    pub async fn finish_own_move(&self, image: &Image) -> Result<(), Error> {
        let Some(from) = &image.own_index_move else {
            return Ok(());
        };
        let now = Self::own_keys(Some(image));
        let mut writes = Vec::new();
        for t in &from.terms {
            let k = (own_pk(&image.owner, t), from.sort_key.clone());
            if !now.contains_key(&k) {
                let d = DeleteRequest::builder()
                    .set_key(Some(key(k.0, k.1)))
                    .build()
                    .context("index delete")?;
                writes.push(WriteRequest::builder().delete_request(d).build());
            }
        }
        self.batch_write(writes).await?;
        self.update_own(None, Some(image)).await?;
        self.clear_own_move(&image.owner, &image.id, image.rev).await
    }

    /// Clears the record's owner-index move note, if the record is still at
    /// revision `rev` (a later change finishes or records its own move).
    pub async fn clear_own_move(&self, owner: &CustomerId, id: &ImageId, rev: u64) -> Result<(), Error> {
        let res = self
            .db
            .update_item()
            .table_name(&self.table)
            .set_key(Some(key(
                crate::keys::customer_pk(owner),
                crate::keys::image_sk(id),
            )))
            .update_expression("REMOVE own_index_move")
            .condition_expression("#rev = :rev")
            .expression_attribute_names("#rev", "rev")
            .expression_attribute_values(
                ":rev",
                aws_sdk_dynamodb::types::AttributeValue::N(rev.to_string()),
            )
            .send()
            .await;
        match res {
            Ok(_) => Ok(()),
            Err(e) if crate::dynamo::is_condition_failure(&e) => Ok(()),
            Err(e) => Err(write_failed(e, "clearing an index move")),
        }
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

    /// Indexes a ready image as `image` shows it, in one transaction (at
    /// most `1 + 2 × MAX_TERMS` actions) that lands only while the record is
    /// still exactly that revision, ready and not being deleted: a late or
    /// repeated `image.ready` can never write back terms or a class that an
    /// edit has changed since. `false` when the record moved on: read it
    /// again and repeat, or stop if it is gone.
    pub async fn add(&self, image: &Image) -> Result<bool, Error> {
        self.finish_own_move(image).await?;
        let cond = crate::images::unchanged(image);
        let mut check = ConditionCheck::builder()
            .table_name(&self.table)
            .set_key(Some(key(
                crate::keys::customer_pk(&image.owner),
                crate::keys::image_sk(&image.id),
            )))
            .condition_expression(cond.expression);
        for (k, v) in cond.names {
            check = check.expression_attribute_names(k, v);
        }
        for (k, v) in cond.values {
            check = check.expression_attribute_values(k, v);
        }
        let mut items = vec![TransactWriteItem::builder()
            .condition_check(check.build().context("building an index condition")?)
            .build()];
        items.extend(self.public_changes(None, Some(image))?);
        items.extend(self.own_changes(None, Some(image))?);
        match self
            .db
            .transact_write_items()
            .set_transact_items(Some(items))
            .send()
            .await
        {
            Ok(_) => Ok(true),
            Err(e) if crate::dynamo::is_transaction_condition_failure(&e) => Ok(false),
            Err(e) => Err(write_failed(e, "indexing an image")),
        }
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

    async fn batch_write(&self, writes: Vec<WriteRequest>) -> Result<(), Error> {
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

    /// Merges `partitions`, newest first, into one page of at most `limit`
    /// distinct images that pass `keep`. Each partition is read lazily in
    /// small chunks, so the items read follow the results returned. Once
    /// `budget` items have been read the page ends with what it has (maybe
    /// nothing) and a cursor to go on from.
    #[allow(clippy::too_many_arguments)]
    pub async fn search(
        &self,
        partitions: &[String],
        extra: Vec<(String, Entry)>,
        range: &DateRange,
        cursor: Option<&str>,
        limit: usize,
        budget: usize,
        keep: impl Fn(&Entry) -> bool,
    ) -> Result<Results, Error> {
        let cursor = cursor.map(decode_cursor).transpose()?;
        let lo = range
            .from
            .as_ref()
            .map(|d| format!("{d}T00:00:00"))
            .unwrap_or_else(|| "0".into());
        let mut hi = range
            .to
            .as_ref()
            .map(|d| format!("{d}T23:59:59~"))
            .unwrap_or_else(|| "~".into());
        if let Some(c) = &cursor {
            if *c < hi {
                hi = c.clone();
            }
        }
        struct Source {
            pk: String,
            buf: VecDeque<(String, Entry)>,
            next: Option<Item>,
            done: bool,
        }
        let mut sources: Vec<Source> = partitions
            .iter()
            .map(|pk| Source {
                pk: pk.clone(),
                buf: VecDeque::new(),
                next: None,
                done: false,
            })
            .collect();
        // Entries already in memory (granted images) merge as one more source.
        let mut extra: Vec<(String, Entry)> = extra
            .into_iter()
            .filter(|(sk, _)| *sk >= lo && *sk <= hi && cursor.as_deref() != Some(sk.as_str()))
            .collect();
        extra.sort_by(|a, b| b.0.cmp(&a.0));
        sources.push(Source {
            pk: String::new(),
            buf: extra.into(),
            next: None,
            done: true,
        });
        if lo > hi {
            return Ok(Results {
                hits: vec![],
                next_cursor: None,
                items_read: 0,
                rounds: 0,
            });
        }
        let chunk = (limit / partitions.len().max(1)).max(1) as i32 + 1;
        let mut items_read = 0;
        let mut rounds = 0;
        let mut seen = HashSet::new();
        let mut hits = Vec::new();
        let mut last_sk = None;
        while hits.len() < limit && items_read < budget {
            // Refill every empty source at once: one round trip, not one per source.
            let wanted: Vec<usize> = (0..sources.len())
                .filter(|&i| sources[i].buf.is_empty() && !sources[i].done)
                .collect();
            let calls = wanted.iter().map(|&i| {
                self.db
                    .query()
                    .table_name(&self.table)
                    .key_condition_expression("pk = :pk AND sk BETWEEN :lo AND :hi")
                    .expression_attribute_values(":pk", s(&sources[i].pk))
                    .expression_attribute_values(":lo", s(&lo))
                    .expression_attribute_values(":hi", s(&hi))
                    .scan_index_forward(false)
                    .limit(chunk)
                    .set_exclusive_start_key(sources[i].next.clone())
                    .send()
            });
            let outs = futures::future::join_all(calls).await;
            rounds += usize::from(!wanted.is_empty());
            for (&i, out) in wanted.iter().zip(outs) {
                let out = out.context("querying the search index")?;
                let src = &mut sources[i];
                items_read += out.count as usize;
                for item in out.items.unwrap_or_default() {
                    let sk = item
                        .get(SK)
                        .and_then(|v| v.as_s().ok())
                        .cloned()
                        .unwrap_or_default();
                    let mut item = item;
                    item.remove(PK);
                    item.remove(SK);
                    let e: Entry = serde_dynamo::from_item(item).context("decoding an index item")?;
                    src.buf.push_back((sk, e));
                }
                src.next = out.last_evaluated_key;
                src.done = src.next.is_none();
            }
            // The newest head among all sources.
            let best = sources
                .iter()
                .enumerate()
                .filter_map(|(i, s)| s.buf.front().map(|(sk, _)| (i, sk.clone())))
                .max_by(|a, b| a.1.cmp(&b.1));
            let Some((i, sk)) = best else { break };
            let (_, entry) = sources[i].buf.pop_front().expect("a head was found");
            if cursor.as_deref() == Some(sk.as_str()) {
                continue;
            }
            last_sk = Some(sk);
            if keep(&entry) && seen.insert(entry.image_id.clone()) {
                hits.push(Hit { entry, source: i });
            }
        }
        let more = sources.iter().any(|s| !s.buf.is_empty() || !s.done);
        let next_cursor = if (hits.len() == limit || items_read >= budget) && more {
            last_sk.map(|k| URL_SAFE_NO_PAD.encode(k))
        } else {
            None
        };
        Ok(Results {
            hits,
            next_cursor,
            items_read,
            rounds,
        })
    }
}

fn decode_cursor(c: &str) -> Result<String, Error> {
    let bad = || Error::invalid("cursor", "the cursor is not one this API issued");
    let sk = URL_SAFE_NO_PAD
        .decode(c)
        .ok()
        .and_then(|b| String::from_utf8(b).ok())
        .ok_or_else(bad)?;
    let (_, id) = sk.rsplit_once('#').ok_or_else(bad)?;
    ImageId::parse(id).map_err(|_| bad())?;
    Ok(sk)
}
