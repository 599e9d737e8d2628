//! The image record together with its search index entries, changed in one
//! transaction: an owner's save (class, prices, attributes, selection) and
//! classify's indexing of a ready image both land only while the record is
//! at the revision they read. This module is the one owner of that rule; the
//! images and search modules know nothing of each other.
//!
//! A change too big for one transaction (a new date taken re-keys every
//! owner-index item) records where the owner index moves from on the record
//! (`own_index_move`, an [`IndexMove`]); whoever saves or indexes the image
//! next finishes a move that a crash cut short.

use anyhow::Context;
use aws_sdk_dynamodb::types::{AttributeValue, ConditionCheck, TransactWriteItem, Update};
use printvault_domain::ids::{CustomerId, ImageId};
use printvault_domain::image::Saved;
use printvault_domain::image::{Image, ImageStatus};
use printvault_domain::Clash;
use printvault_domain::Error;
use printvault_domain::Thing;

use crate::dynamo::{key, s, transact, MAX_TRANSACTION_ITEMS};
use crate::images::{to_av, ImageStore};
use crate::keys;
use crate::search::SearchIndex;

mod moves;

pub use moves::IndexMove;

/// The record of an image as it is now, with the owner-index move it still
/// notes, if any.
async fn record(
    db: &aws_sdk_dynamodb::Client,
    table: &str,
    owner: &CustomerId,
    id: &ImageId,
) -> Result<Option<(Image, Option<IndexMove>)>, Error> {
    let out = db
        .get_item()
        .table_name(table)
        .set_key(Some(key(keys::customer_pk(owner), keys::image_sk(id))))
        .consistent_read(true)
        .send()
        .await
        .context("reading an image")?;
    let Some(item) = out.item else { return Ok(None) };
    let from = item
        .get("own_index_move")
        .map(|v| serde_dynamo::from_attribute_value(v.clone()))
        .transpose()
        .context("decoding an index move")?;
    let image = serde_dynamo::from_item(item).context("decoding an image")?;
    Ok(Some((image, from)))
}

/// The condition under which a change made from `image` may land: the image
/// is still ready, not being deleted, at the revision that was read, and no
/// owner-index move is left to finish (whoever meets one finishes it first).
pub(crate) struct Unchanged {
    pub expression: &'static str,
    pub names: [(&'static str, &'static str); 2],
    pub values: [(&'static str, AttributeValue); 2],
}

pub(crate) fn unchanged(image: &Image) -> Unchanged {
    Unchanged {
        // Records written before revisions existed have none: revision 0.
        expression: if image.rev == 0 {
            "#st = :ready AND attribute_not_exists(deleting) AND attribute_not_exists(own_index_move) \
             AND (attribute_not_exists(#rev) OR #rev = :rev)"
        } else {
            "#st = :ready AND attribute_not_exists(deleting) AND attribute_not_exists(own_index_move) AND #rev = :rev"
        },
        names: [("#st", "status"), ("#rev", "rev")],
        values: [
            (":ready", s("ready")),
            (":rev", AttributeValue::N(image.rev.to_string())),
        ],
    }
}

impl ImageStore {
    /// Saves an owner's changes to a ready image (class and prices, M10-M11;
    /// attributes, M8; selection, M9) together with the public search index
    /// and, when the whole change fits in one transaction (100 actions), the
    /// owner's own index; a bigger change writes the owner index right after.
    /// It lands only if the image is still as `before` was read (see
    /// [`Saved::Stale`]). Errors: `NotFound` when the image is gone or being
    /// deleted, `Conflict` when it is not ready.
    pub async fn save_details(
        &self,
        before: &Image,
        after: &Image,
        index: &SearchIndex,
    ) -> Result<Saved, Error> {
        let cond = unchanged(before);
        let mut update = Update::builder()
            .table_name(&self.table)
            .set_key(Some(key(
                keys::customer_pk(&after.owner),
                keys::image_sk(&after.id),
            )))
            .condition_expression(cond.expression)
            .expression_attribute_names("#cl", "class")
            .expression_attribute_values(":next", AttributeValue::N((before.rev + 1).to_string()))
            .expression_attribute_values(":c", s(after.class.as_str()))
            .expression_attribute_values(":a", to_av(&after.attributes)?)
            .expression_attribute_values(":s", AttributeValue::Bool(after.selected))
            .expression_attribute_values(":ls", AttributeValue::Bool(after.location_shared));
        for (k, v) in cond.names {
            update = update.expression_attribute_names(k, v);
        }
        for (k, v) in cond.values {
            update = update.expression_attribute_values(k, v);
        }
        let public = index.public_changes(Some(before), Some(after))?;
        // The owner index moves in the same transaction when it fits (most
        // edits touch a few terms); a big move (a new date taken re-keys every
        // item) follows the transaction, which records where it moves from,
        // so that a crash in between is finished by the next save or index.
        let own = index.own_changes(Some(before), Some(after))?;
        let own_in_transaction = 1 + public.len() + own.len() <= MAX_TRANSACTION_ITEMS;
        let mut set = vec![
            "#cl = :c",
            "attributes = :a",
            "selected = :s",
            "location_shared = :ls",
            "#rev = :next",
        ];
        let mut remove = vec!["own_index_move"];
        if let (false, Some(from)) = (own_in_transaction, SearchIndex::own_index_of(before)) {
            set.push("own_index_move = :mv");
            remove.clear();
            update = update.expression_attribute_values(":mv", to_av(&from)?);
        }
        // The date taken keys the anniversary index (M28).
        let mut values = Vec::new();
        crate::images::anniversaries::set_image_keys(
            &after.owner,
            &after.id,
            &after.attributes,
            &mut set,
            &mut remove,
            &mut values,
        );
        for (k, v) in values {
            update = update.expression_attribute_values(k, v);
        }
        match &after.prices {
            Some(p) => {
                set.push("prices = :p");
                update = update.expression_attribute_values(":p", to_av(p)?);
            }
            None => remove.push("prices"),
        }
        // A new schedule (the domain sets one when an image stops being
        // kept) moves the image into its day's retention bucket.
        if let Some(review) = after
            .retention
            .as_ref()
            .filter(|r| Some(*r) != before.retention.as_ref())
        {
            set.extend(["retention = :ret", "due_pk = :rdp", "due_sk = :rds"]);
            update = update
                .expression_attribute_values(":ret", to_av(&review)?)
                .expression_attribute_values(
                    ":rdp",
                    s(crate::images::retention::retention_bucket(
                        review.on,
                        printvault_domain::billing::due_shard(after.id.as_str()),
                    )),
                )
                .expression_attribute_values(":rds", s(after.id.as_str()));
        }
        let mut expression = format!("SET {}", set.join(", "));
        if !remove.is_empty() {
            expression.push_str(&format!(" REMOVE {}", remove.join(", ")));
        }
        let mut items = vec![TransactWriteItem::builder()
            .update(
                update
                    .update_expression(expression)
                    .build()
                    .context("building an image update")?,
            )
            .build()];
        items.extend(public);
        if own_in_transaction {
            items.extend(own);
        }
        if !transact(&self.db, items, "saving an image").await? {
            return match record(&self.db, &self.table, &before.owner, &before.id).await? {
                None => Err(Error::NotFound(Thing::Image)),
                Some((now, _)) if now.deleting => Err(Error::NotFound(Thing::Image)),
                Some((now, _)) if now.status != ImageStatus::Ready => {
                    Err(Error::Conflict(Clash::ImageNotReady(now.status)))
                }
                Some((now, Some(from))) => {
                    // A move a crash cut short: finish it, then the
                    // caller reads again and re-applies its change.
                    index.finish_own_move(&now, &from).await?;
                    Ok(Saved::Stale)
                }
                Some((_, None)) => Ok(Saved::Stale),
            };
        }
        if !own_in_transaction {
            index.update_own(Some(before), Some(after)).await?;
            index
                .clear_own_move(&after.owner, &after.id, before.rev + 1)
                .await?;
        }
        Ok(Saved::Done)
    }
}

impl SearchIndex {
    /// Indexes a ready image as `image` shows it, in one transaction (at
    /// most `1 + 2 × MAX_TERMS` actions) that lands only while the record is
    /// still exactly that revision, ready and not being deleted: a late or
    /// repeated `image.ready` can never write back terms or a class that an
    /// edit has changed since. `false` when the record moved on: read it
    /// again and repeat, or stop if it is gone.
    pub async fn add(&self, image: &Image) -> Result<bool, Error> {
        let cond = unchanged(image);
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
        if transact(&self.db, items, "indexing an image").await? {
            return Ok(true);
        }
        // A move a crash cut short is finished before trying again.
        if let Some((now, Some(from))) = record(&self.db, &self.table, &image.owner, &image.id).await? {
            if now.status == ImageStatus::Ready && !now.deleting {
                self.finish_own_move(&now, &from).await?;
            }
        }
        Ok(false)
    }
}
