//! Retention schedules on image records (M26, M27), in the images table's
//! sparse `due` index: `due_pk` `RET#<YYYY-MM-DD>#<shard>` (the day of the
//! next step, shard by image ID), `due_sk` the image ID. The retention
//! sweep Queries a day's buckets and gets the image records themselves.
//!
//! Also here: the prints an image got since a day (its `PRINT#` records),
//! and the audit entry a retention deletion leaves (written with its trash
//! mark, in `trash`).

use anyhow::Context;
use aws_sdk_dynamodb::types::AttributeValue;
use printvault_domain::billing::{day_str, due_shard, DUE_SHARDS};
use printvault_domain::ids::{CustomerId, ImageId};
use printvault_domain::image::Image;
use printvault_domain::retention::{DeletionAudit, Schedule};
use printvault_domain::Error;
use time::Date;

use super::{to_av, ImageStore};
use crate::dynamo::{is_condition_failure, key, s, write_failed};
use crate::keys;
use crate::names::{DUE_INDEX, DUE_PK};

/// The bucket of images due on `day` (`YYYY-MM-DD`), shard `shard`.
pub fn retention_bucket(day: time::Date, shard: u32) -> String {
    format!("RET#{}#{shard}", printvault_domain::billing::day_str(day))
}

impl ImageStore {
    /// Moves `image`'s retention schedule from what it was read with to
    /// `to` (out of the index when `None`). Lands only if the record still
    /// has the schedule it was read with and is not being deleted: `false`
    /// when another run or a change moved it first.
    pub async fn move_retention(&self, image: &Image, to: Option<&Schedule>) -> Result<bool, Error> {
        let mut u = self
            .db
            .update_item()
            .table_name(&self.table)
            .set_key(Some(key(
                keys::customer_pk(&image.owner),
                keys::image_sk(&image.id),
            )))
            .expression_attribute_names("#r", "retention");
        u = match &image.retention {
            Some(r) => u
                .condition_expression("attribute_not_exists(deleting) AND #r.#step = :was AND #r.#on = :was_on")
                .expression_attribute_names("#step", "step")
                .expression_attribute_names("#on", "on")
                .expression_attribute_values(":was", s(r.step.as_str()))
                .expression_attribute_values(":was_on", s(day_str(r.on))),
            None => u.condition_expression(
                "attribute_exists(pk) AND #st = :ready AND attribute_not_exists(deleting) AND attribute_not_exists(#r)",
            )
            .expression_attribute_names("#st", "status")
            .expression_attribute_values(":ready", s("ready")),
        };
        u = match to {
            Some(next) => u
                .update_expression("SET #r = :r, due_pk = :dp, due_sk = :ds")
                .expression_attribute_values(":r", to_av(next)?)
                .expression_attribute_values(
                    ":dp",
                    s(retention_bucket(next.on, due_shard(image.id.as_str()))),
                )
                .expression_attribute_values(":ds", s(image.id.as_str())),
            None => u.update_expression("REMOVE #r, due_pk, due_sk"),
        };
        match u.send().await {
            Ok(_) => Ok(true),
            Err(e) if is_condition_failure(&e) => Ok(false),
            Err(e) => Err(write_failed(e, "moving an image's retention")),
        }
    }

    /// The images whose retention step is due on `day`, every shard.
    pub async fn retention_due(&self, day: time::Date) -> Result<Vec<Image>, Error> {
        let mut out = Vec::new();
        for shard in 0..DUE_SHARDS {
            let bucket = retention_bucket(day, shard);
            for item in crate::dynamo::query_index(&self.db, &self.table, DUE_INDEX, DUE_PK, &bucket).await? {
                out.push(serde_dynamo::from_item(item).context("decoding a due image")?);
            }
        }
        Ok(out)
    }

    /// Copies of `image` printed on or after `since` (`YYYY-MM-DD`), from
    /// its `PRINT#` records (M21).
    pub async fn prints_since(&self, owner: &CustomerId, image: &ImageId, since: Date) -> Result<u32, Error> {
        let out = self
            .db
            .query()
            .table_name(&self.table)
            .key_condition_expression("pk = :pk AND sk BETWEEN :from AND :to")
            .expression_attribute_values(":pk", s(keys::customer_pk(owner)))
            .expression_attribute_values(":from", s(format!("PRINT#{image}#{}", day_str(since))))
            .expression_attribute_values(":to", s(format!("PRINT#{image}#~")))
            .projection_expression("copies")
            // Strongly consistent: a print just reported counts.
            .consistent_read(true)
            .send()
            .await
            .context("counting an image's prints")?;
        Ok(out
            .items
            .unwrap_or_default()
            .iter()
            .filter_map(|i| {
                i.get("copies")
                    .and_then(|v| v.as_n().ok())
                    .and_then(|n| n.parse::<u32>().ok())
            })
            .sum())
    }

    /// Whether the retention sweep began deleting `id` (its audit entry,
    /// written with the deletion mark, is there).
    pub async fn deletion_audited(&self, owner: &CustomerId, id: &ImageId) -> Result<bool, Error> {
        let out = self
            .db
            .get_item()
            .table_name(&self.table)
            .set_key(Some(key(keys::customer_pk(owner), audit_sk(id))))
            .projection_expression("pk")
            .consistent_read(true)
            .send()
            .await
            .context("reading a deletion's audit entry")?;
        Ok(out.item.is_some())
    }
}

/// The audit entry of `image`'s automatic deletion (to the trash):
/// `AUDIT#<image>` in its owner's partition, one per image, kept after the
/// image is gone. A restore marks it `restored`; a later automatic
/// deletion of the same image writes it again.
pub(super) fn audit_item(image: &Image, audit: &DeletionAudit) -> crate::dynamo::Item {
    let mut item = key(keys::customer_pk(&image.owner), audit_sk(&image.id));
    item.insert("image_id".into(), s(image.id.as_str()));
    item.insert("action".into(), s("trashed"));
    item.insert("cause".into(), s(audit.cause.as_str()));
    item.insert("warning".into(), s(&audit.warning));
    item.insert("at".into(), s(audit.at.to_string()));
    if let Some(f) = &image.file_name {
        item.insert("file_name".into(), s(f));
    }
    if let Some(f) = &image.finalised {
        item.insert("bytes".into(), AttributeValue::N(f.bytes.to_string()));
    }
    item
}

/// The sort key of an image's deletion audit entry.
pub fn audit_sk(image: &ImageId) -> String {
    format!("AUDIT#{image}")
}
