//! The trash on image records (see `printvault_domain::trash`).
//!
//! | pk               | sk                          | holds                        |
//! |------------------|-----------------------------|------------------------------|
//! | `CUST#<customer>`| `TRASH#<unix secs>#<image>` | the owner's listing entry    |
//!
//! The record's `trashed` mark and the listing entry are written and
//! removed together. Every change of the mark is conditioned on the
//! trashing it read (`trashed.at`), so a restore and a purge that race
//! leave one outcome. The marks themselves are in [`marks`].

mod marks;

use anyhow::Context;
use aws_sdk_dynamodb::types::{AttributeValue, TransactWriteItem, Update};
use printvault_domain::billing::DUE_SHARDS;
use printvault_domain::ids::{AlbumId, CustomerId, ImageId};
use printvault_domain::image::Image;
use printvault_domain::trash::{self, Trashed, TrashedBy};
use printvault_domain::when::Timestamp;
use printvault_domain::Error;
use serde::{Deserialize, Serialize};
use time::Date;

use super::ImageStore;
use crate::dynamo::{is_condition_failure, key, s, write_failed};
use crate::names::{DUE_INDEX, DUE_PK};
use crate::{keys, Page};

/// An image in its owner's trash listing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrashEntry {
    pub image_id: ImageId,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file_name: Option<String>,
    pub bytes: u64,
    pub trashed_at: Timestamp,
    #[serde(with = "printvault_domain::when::day")]
    pub purge_on: Date,
    pub by: TrashedBy,
}

const TRASH_SK_PREFIX: &str = "TRASH#";

/// The sort key of `image`'s listing entry, trashed as `t`: newest last.
fn entry_sk(image: &ImageId, t: &Trashed) -> String {
    format!("{TRASH_SK_PREFIX}{:012}#{image}", t.at.unix().max(0))
}

/// Whether `sk` is a listing entry's sort key (a cursor's).
fn is_entry_sk(sk: &str) -> bool {
    sk.strip_prefix(TRASH_SK_PREFIX)
        .and_then(|rest| rest.split_once('#'))
        .is_some_and(|(secs, id)| {
            secs.len() == 12 && secs.bytes().all(|b| b.is_ascii_digit()) && ImageId::parse(id).is_ok()
        })
}

fn record_key(image: &Image) -> crate::dynamo::Item {
    key(keys::customer_pk(&image.owner), keys::image_sk(&image.id))
}

/// The condition that the record is still trashed as `t`.
const STILL_TRASHED: &str = "#tr.#at = :at AND attribute_not_exists(deleting)";

impl ImageStore {
    /// An update of `image`'s record that lands only while it is still
    /// trashed as `t` (names `#tr`, `#at`; value `:at`).
    fn if_still_trashed(
        &self,
        image: &Image,
        t: &Trashed,
    ) -> aws_sdk_dynamodb::operation::update_item::builders::UpdateItemFluentBuilder {
        self.db
            .update_item()
            .table_name(&self.table)
            .set_key(Some(record_key(image)))
            .condition_expression(STILL_TRASHED)
            .expression_attribute_names("#tr", "trashed")
            .expression_attribute_names("#at", "at")
            .expression_attribute_values(":at", s(t.at.to_string()))
    }

    /// Sends `u`: `false` when its condition did not hold.
    async fn landed(
        u: aws_sdk_dynamodb::operation::update_item::builders::UpdateItemFluentBuilder,
        what: &str,
    ) -> Result<bool, Error> {
        match u.send().await {
            Ok(_) => Ok(true),
            Err(e) if is_condition_failure(&e) => Ok(false),
            Err(e) => Err(write_failed(e, what)),
        }
    }

    /// Records that `image`'s trashing `t` is tidied (search entries, album
    /// memberships, grants and links removed): it moves to its purge day in
    /// the `due` index. `false` when it is no longer trashed as `t`.
    pub async fn tidied(&self, image: &Image, t: &Trashed) -> Result<bool, Error> {
        let done = Trashed {
            tidy: true,
            ..t.clone()
        };
        let u = self
            .if_still_trashed(image, t)
            .update_expression("SET #tr.#tidy = :yes, due_sk = :ds")
            .expression_attribute_names("#tidy", "tidy")
            .expression_attribute_values(":yes", AttributeValue::Bool(true))
            .expression_attribute_values(":ds", s(trash::due_sk(&done, &image.id)));
        Self::landed(u, "recording a tidied trashing").await
    }

    /// Begins purging `image`, trashed as `t`: marks it as being deleted
    /// (the one delete then finishes it). `false` when it is not trashed
    /// as `t` any more (restored, or already being purged).
    pub async fn mark_purging(&self, image: &Image, t: &Trashed) -> Result<bool, Error> {
        let u = self
            .if_still_trashed(image, t)
            .update_expression("SET deleting = :yes, #rev = #rev + :one")
            .expression_attribute_names("#rev", "rev")
            .expression_attribute_values(":yes", AttributeValue::Bool(true))
            .expression_attribute_values(":one", AttributeValue::N("1".into()));
        Self::landed(u, "marking a trashed image for purging").await
    }

    /// The first step of tidying `image`, trashed as `t`: notes `albums`
    /// (every album it is in, before any membership is removed) on the
    /// mark, for a restore, and writes its owner's listing entry, together.
    /// `false` when it is no longer trashed as `t`.
    pub async fn trash_started(&self, image: &Image, t: &Trashed, albums: &[AlbumId]) -> Result<bool, Error> {
        let ids: Vec<AttributeValue> = albums.iter().map(|a| s(a.as_str())).collect();
        let u = Update::builder()
            .table_name(&self.table)
            .set_key(Some(record_key(image)))
            .condition_expression(STILL_TRASHED)
            .update_expression("SET #tr.#albums = :albums")
            .expression_attribute_names("#tr", "trashed")
            .expression_attribute_names("#at", "at")
            .expression_attribute_names("#albums", "albums")
            .expression_attribute_values(":at", s(t.at.to_string()))
            .expression_attribute_values(":albums", AttributeValue::L(ids))
            .build()
            .context("building a trashing's albums")?;
        let items = vec![
            TransactWriteItem::builder().update(u).build(),
            crate::dynamo::put(&self.table, self.entry_item(image, t)?, None)?,
        ];
        crate::dynamo::transact(&self.db, items, "listing an image in the trash").await
    }

    fn entry_item(&self, read: &Image, t: &Trashed) -> Result<crate::dynamo::Item, Error> {
        let entry = TrashEntry {
            image_id: read.id.clone(),
            file_name: read.file_name.clone(),
            bytes: read.finalised.as_ref().map_or(0, |f| f.bytes),
            trashed_at: t.at,
            purge_on: t.purge_on,
            by: t.by,
        };
        Ok(crate::dynamo::item_with_key(
            &entry,
            keys::customer_pk(&read.owner),
            entry_sk(&read.id, t),
        )?)
    }

    /// Deletes `image`'s trash listing entry, if it was trashed.
    pub(super) async fn delete_trash_entry(&self, image: &Image) -> Result<(), Error> {
        let Some(t) = &image.trashed else { return Ok(()) };
        self.db
            .delete_item()
            .table_name(&self.table)
            .set_key(Some(key(keys::customer_pk(&image.owner), entry_sk(&image.id, t))))
            .send()
            .await
            .map_err(|e| write_failed(e, "deleting a trash entry"))?;
        Ok(())
    }

    /// The trashed images due by the end of `today`, every shard: those
    /// not yet tidied, and those whose purge day has come. Eventually
    /// consistent; every action on them is conditioned on what was read.
    pub async fn trash_due(&self, today: Date) -> Result<Vec<Image>, Error> {
        let mut out = Vec::new();
        for shard in 0..DUE_SHARDS {
            let q = self
                .db
                .query()
                .table_name(&self.table)
                .index_name(DUE_INDEX)
                .key_condition_expression("#p = :p AND due_sk <= :by")
                .expression_attribute_names("#p", DUE_PK)
                .expression_attribute_values(":p", s(trash::due_pk(shard)))
                .expression_attribute_values(":by", s(trash::due_by(today)));
            for item in crate::dynamo::all_pages(q)
                .await
                .context("querying the trash due")?
            {
                out.push(serde_dynamo::from_item(item).context("decoding a trashed image")?);
            }
        }
        Ok(out)
    }

    /// `owner`'s trash, most recently trashed first, `limit` at a time.
    pub async fn trash_page(
        &self,
        owner: &CustomerId,
        limit: u32,
        cursor: Option<&str>,
    ) -> Result<Page<TrashEntry>, Error> {
        crate::dynamo::page_newest_first(
            &self.db,
            &self.table,
            &keys::customer_pk(owner),
            TRASH_SK_PREFIX,
            crate::dynamo::PageOf { limit, cursor },
            is_entry_sk,
            "the trash",
        )
        .await
    }

    /// The owner's trashed image `id`; `None` when it is not in their trash.
    pub async fn trashed(&self, owner: &CustomerId, id: &ImageId) -> Result<Option<Image>, Error> {
        Ok(self
            .record(owner, id)
            .await?
            .filter(|i| i.trashed.is_some() && !i.deleting))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cursor;

    #[test]
    fn only_a_trash_entry_key_is_a_valid_cursor() {
        let id = ImageId::generate();
        let t = Trashed::new(time::OffsetDateTime::now_utc(), 30, TrashedBy::Owner, vec![]);
        let sk = entry_sk(&id, &t);
        assert!(is_entry_sk(&sk), "{sk}");
        assert!(cursor::decode(&cursor::encode(&sk), is_entry_sk).is_ok());
        for bad in [
            "TRASH#1#x",
            &format!("TRASH#12345678901#{id}"),
            &format!("IMG#{id}"),
            "TRASH#",
        ] {
            assert!(!is_entry_sk(bad), "{bad}");
        }
    }
}
