//! Retention schedules on image records (M26, M27), in the images table's
//! sparse `due` index: `due_pk` `RET#<YYYY-MM-DD>#<shard>` (the day of the
//! next step, shard by image ID), `due_sk` the image ID. The retention
//! sweep Queries a day's buckets and gets the image records themselves.
//!
//! Also here: the prints an image got since a day (its `PRINT#` records),
//! and the audit entry an automatic deletion leaves.

use anyhow::Context;
use aws_sdk_dynamodb::types::AttributeValue;
use printvault_domain::billing::{day_str, due_shard, DUE_SHARDS};
use printvault_domain::ids::{CustomerId, ImageId};
use printvault_domain::image::Image;
use printvault_domain::retention::{Cause, Schedule};
use printvault_domain::Error;

use super::{to_av, ImageStore};
use crate::dynamo::{is_condition_failure, key, s, write_failed};
use crate::keys;
use crate::names::{DUE_INDEX, DUE_PK};

/// The bucket of images due on `day` (`YYYY-MM-DD`), shard `shard`.
pub fn retention_bucket(day: &str, shard: u32) -> String {
    format!("RET#{day}#{shard}")
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
                .expression_attribute_values(":was_on", s(&r.on)),
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
                    s(retention_bucket(&next.on, due_shard(image.id.as_str()))),
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
        let day = day_str(day);
        let mut out = Vec::new();
        for shard in 0..DUE_SHARDS {
            let bucket = retention_bucket(&day, shard);
            for item in crate::dynamo::query_index(&self.db, &self.table, DUE_INDEX, DUE_PK, &bucket).await? {
                out.push(serde_dynamo::from_item(item).context("decoding a due image")?);
            }
        }
        Ok(out)
    }

    /// Copies of `image` printed on or after `since` (`YYYY-MM-DD`), from
    /// its `PRINT#` records (M21).
    pub async fn prints_since(&self, owner: &CustomerId, image: &ImageId, since: &str) -> Result<u32, Error> {
        let out = self
            .db
            .query()
            .table_name(&self.table)
            .key_condition_expression("pk = :pk AND sk BETWEEN :from AND :to")
            .expression_attribute_values(":pk", s(keys::customer_pk(owner)))
            .expression_attribute_values(":from", s(format!("PRINT#{image}#{since}")))
            .expression_attribute_values(":to", s(format!("PRINT#{image}#~")))
            .projection_expression("copies")
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

    /// Records that `image` was deleted automatically, why, and after
    /// which warning: `AUDIT#<at>#<image>` in its owner's partition, kept
    /// after the image is gone.
    pub async fn audit_deletion(
        &self,
        image: &Image,
        cause: Cause,
        notice_id: &str,
        at: &str,
    ) -> Result<(), Error> {
        let mut item = key(
            keys::customer_pk(&image.owner),
            format!("AUDIT#{at}#{}", image.id),
        );
        item.insert("image_id".into(), s(image.id.as_str()));
        item.insert("action".into(), s("deleted"));
        item.insert("cause".into(), s(cause.as_str()));
        item.insert("warning".into(), s(notice_id));
        item.insert("at".into(), s(at));
        if let Some(f) = &image.file_name {
            item.insert("file_name".into(), s(f));
        }
        if let Some(f) = &image.finalised {
            item.insert("bytes".into(), AttributeValue::N(f.bytes.to_string()));
        }
        crate::dynamo::put_item(&self.db, &self.table, item, "auditing a deletion").await
    }
}
