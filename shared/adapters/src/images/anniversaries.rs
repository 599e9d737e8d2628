//! Anniversaries (M28) in the images table's sparse `anniv` index, keyed
//! by month-day: `anniv_pk` `ANNIV#<MM-DD>#<shard>` (shard by owner),
//! `anniv_sk` `<owner>#<image ID>` or `<owner>#PROFILE`.
//!
//! - An image with a date taken carries its keys on its record: they are
//!   set with its attributes (settling an upload, an owner's save), and go
//!   with the record.
//! - A profile date (birthday, named dates) is a marker item in the
//!   owner's partition, `ANNIV#<MM-DD>`, which only says "look at this
//!   customer's profile on that day": the sweep reads the profile itself,
//!   so a marker left over does no harm, and markers are added before the
//!   profile is saved and removed after.
//!
//! The sweep's finished days are its watermark (`crate::watermark`),
//! `SWEEP#anniversary` / `WATERMARK`.

use anyhow::Context;
use aws_sdk_dynamodb::types::AttributeValue;
use printvault_domain::anniversary::{DayImage, MonthDay};
use printvault_domain::billing::{due_shard, DUE_SHARDS};
use printvault_domain::ids::{CustomerId, ImageId};
use printvault_domain::image::{Attributes, ImageStatus};
use printvault_domain::Error;
use serde::Deserialize;

use super::ImageStore;
use crate::dynamo::{key, s, write_failed};
use crate::keys;
use crate::names::{ANNIV_INDEX, ANNIV_PK, ANNIV_SK};

const PROFILE_MARK: &str = "PROFILE";

/// The bucket of month-day `day`, shard `shard`.
pub fn anniv_bucket(day: MonthDay, shard: u32) -> String {
    format!("ANNIV#{}#{shard}", day.key())
}

/// The `anniv` index keys of an image with these attributes: none without
/// a date taken.
pub fn image_keys(owner: &CustomerId, id: &ImageId, a: &Attributes) -> Option<(String, String)> {
    let (day, _) = MonthDay::of_taken_at(a.taken_at.as_deref()?)?;
    Some((
        anniv_bucket(day, due_shard(owner.as_str())),
        format!("{owner}#{id}"),
    ))
}

/// Adds the index keys of `a` to an update's SET clauses and values, or its
/// REMOVE clauses when it has none.
pub(crate) fn set_image_keys(
    owner: &CustomerId,
    id: &ImageId,
    a: &Attributes,
    set: &mut Vec<&'static str>,
    remove: &mut Vec<&'static str>,
    values: &mut Vec<(&'static str, AttributeValue)>,
) {
    match image_keys(owner, id, a) {
        Some((pk, sk)) => {
            set.extend(["anniv_pk = :anp", "anniv_sk = :ans"]);
            values.extend([(":anp", s(pk)), (":ans", s(sk))]);
        }
        None => remove.extend(["anniv_pk", "anniv_sk"]),
    }
}

/// What the index holds for one customer and day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DayEntry {
    /// The customer's profile has a date on the day.
    Profile(CustomerId),
    /// An image taken on the day (in some year).
    Image(CustomerId, DayImage),
}

#[derive(Deserialize)]
struct Projected {
    owner: CustomerId,
    anniv_sk: String,
    #[serde(default)]
    attributes: Option<Attributes>,
    #[serde(default)]
    status: Option<ImageStatus>,
    #[serde(default)]
    deleting: bool,
}

impl ImageStore {
    /// Marks each of `days` as a profile date of `owner`'s (idempotent).
    pub async fn mark_profile_days(&self, owner: &CustomerId, days: &[MonthDay]) -> Result<(), Error> {
        for day in days {
            let mut item = key(keys::customer_pk(owner), format!("ANNIV#{}", day.key()));
            item.insert("owner".into(), s(owner.as_str()));
            item.insert(ANNIV_PK.into(), s(anniv_bucket(*day, due_shard(owner.as_str()))));
            item.insert(ANNIV_SK.into(), s(format!("{owner}#{PROFILE_MARK}")));
            crate::dynamo::put_item(&self.db, &self.table, item, "marking a profile date").await?;
        }
        Ok(())
    }

    /// Removes the profile-date markers of `days` (idempotent).
    pub async fn unmark_profile_days(&self, owner: &CustomerId, days: &[MonthDay]) -> Result<(), Error> {
        for day in days {
            self.db
                .delete_item()
                .table_name(&self.table)
                .set_key(Some(key(
                    keys::customer_pk(owner),
                    format!("ANNIV#{}", day.key()),
                )))
                .send()
                .await
                .map_err(|e| write_failed(e, "removing a profile date"))?;
        }
        Ok(())
    }

    /// Everything the index holds for `day`, every shard: profile markers,
    /// and the ready images taken on it (not those being deleted).
    pub async fn anniversaries_on(&self, day: MonthDay) -> Result<Vec<DayEntry>, Error> {
        let mut out = Vec::new();
        for shard in 0..DUE_SHARDS {
            let bucket = anniv_bucket(day, shard);
            for item in
                crate::dynamo::query_index(&self.db, &self.table, ANNIV_INDEX, ANNIV_PK, &bucket).await?
            {
                let p: Projected = serde_dynamo::from_item(item).context("decoding an anniversary")?;
                out.extend(entry_of(p));
            }
        }
        Ok(out)
    }
}

fn entry_of(p: Projected) -> Option<DayEntry> {
    let rest = p.anniv_sk.strip_prefix(&format!("{}#", p.owner))?;
    if rest == PROFILE_MARK {
        return Some(DayEntry::Profile(p.owner));
    }
    if p.deleting || p.status != Some(ImageStatus::Ready) {
        return None;
    }
    let a = p.attributes?;
    let (_, taken) = MonthDay::of_taken_at(a.taken_at.as_deref()?)?;
    Some(DayEntry::Image(
        p.owner,
        DayImage {
            id: rest.to_owned(),
            taken,
            event: a.event,
        },
    ))
}
