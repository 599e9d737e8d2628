//! The images table: one partition per customer.
//!
//! | pk               | sk              | holds                                  |
//! |------------------|-----------------|----------------------------------------|
//! | `CUST#<customer>`| `IMG#<image>`   | the image record, in any status        |
//! | `CUST#<customer>`| `SHA#<sha256>`  | which image holds these bytes (M7)     |
//! | `IMGREF#<image>` | `OWNER`         | the owner, to find an image by ID      |
//!
//! Status only leaves `pending` by conditional update, so a redelivered
//! upload event changes nothing.

use anyhow::Context;
use aws_sdk_dynamodb::types::{AttributeValue, Put, TransactWriteItem, Update};
use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine};
use printvault_domain::ids::{CustomerId, ImageId};
use printvault_domain::image::{Attributes, Finalised, Image, ImageStatus, Rejection};
use printvault_domain::Error;
use serde::{Deserialize, Serialize};

use crate::dynamo::{
    is_condition_failure, is_transaction_condition_failure, item_with_key, key, s, write_failed,
};
use crate::search::SearchIndex;

/// DynamoDB's limit on the actions in one TransactWriteItems call.
const MAX_TRANSACTION_ITEMS: usize = 100;

/// What [`ImageStore::save_details`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Saved {
    /// Saved; the record's `rev` is now one more than `before.rev`.
    Done,
    /// Another change was saved since `before` was read, so nothing was
    /// written: read the image again and apply the change to that.
    Stale,
}

/// The condition under which a change made from `image` may land: the image
/// is still ready, not being deleted, and at the revision that was read.
pub(crate) struct Unchanged {
    pub expression: &'static str,
    pub names: [(&'static str, &'static str); 2],
    pub values: [(&'static str, AttributeValue); 2],
}

pub(crate) fn unchanged(image: &Image) -> Unchanged {
    Unchanged {
        // Records written before revisions existed have none: revision 0.
        expression: if image.rev == 0 {
            "#st = :ready AND attribute_not_exists(deleting) AND (attribute_not_exists(#rev) OR #rev = :rev)"
        } else {
            "#st = :ready AND attribute_not_exists(deleting) AND #rev = :rev"
        },
        names: [("#st", "status"), ("#rev", "rev")],
        values: [
            (":ready", s("ready")),
            (":rev", AttributeValue::N(image.rev.to_string())),
        ],
    }
}
use crate::{keys, Page};

#[derive(Clone, Debug)]
pub struct ImageStore {
    db: aws_sdk_dynamodb::Client,
    table: String,
}

/// Who holds a content hash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HashClaim {
    /// This image holds it (now, or since an earlier delivery).
    Mine,
    /// Another image of the same customer already holds it.
    Taken(ImageId),
}

#[derive(Serialize, Deserialize)]
struct RefItem {
    owner: CustomerId,
}

#[derive(Serialize, Deserialize)]
struct ClaimItem {
    image_id: ImageId,
}

/// What an upload turned into.
// One short-lived value per message: boxing would buy nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone)]
pub enum Outcome {
    Ready {
        finalised: Finalised,
        attributes: Attributes,
    },
    Rejected(Rejection),
    Duplicate(ImageId),
}

impl ImageStore {
    pub fn new(db: aws_sdk_dynamodb::Client, table: impl Into<String>) -> Self {
        Self {
            db,
            table: table.into(),
        }
    }

    /// Records a new pending upload, and the pointer from its ID to its owner.
    pub async fn put_pending(&self, image: &Image) -> Result<(), Error> {
        let item = item_with_key(image, keys::customer_pk(&image.owner), keys::image_sk(&image.id))?;
        let reference = item_with_key(
            &RefItem {
                owner: image.owner.clone(),
            },
            keys::image_ref_pk(&image.id),
            keys::IMAGE_REF_SK.into(),
        )?;
        let put = |item| {
            Put::builder()
                .table_name(&self.table)
                .set_item(Some(item))
                .condition_expression("attribute_not_exists(pk)")
                .build()
                .map(|p| TransactWriteItem::builder().put(p).build())
        };
        self.db
            .transact_write_items()
            .transact_items(put(item).context("building an image")?)
            .transact_items(put(reference).context("building an image reference")?)
            .send()
            .await
            .map_err(|e| write_failed(e, "recording a pending upload"))?;
        Ok(())
    }

    /// Who owns image `id`, if it exists.
    pub async fn owner_of(&self, id: &ImageId) -> Result<Option<CustomerId>, Error> {
        let out = self
            .db
            .get_item()
            .table_name(&self.table)
            .set_key(Some(key(keys::image_ref_pk(id), keys::IMAGE_REF_SK)))
            .send()
            .await
            .context("reading an image reference")?;
        let Some(item) = out.item else { return Ok(None) };
        let r: RefItem = serde_dynamo::from_item(item).context("decoding an image reference")?;
        Ok(Some(r.owner))
    }

    /// Any image by ID, whoever owns it. Callers must decide access.
    pub async fn find(&self, id: &ImageId) -> Result<Option<Image>, Error> {
        match self.owner_of(id).await? {
            Some(owner) => self.get(&owner, id).await,
            None => Ok(None),
        }
    }

    /// One image of `owner`; `None` when it is not theirs or does not exist.
    pub async fn get(&self, owner: &CustomerId, id: &ImageId) -> Result<Option<Image>, Error> {
        let out = self
            .db
            .get_item()
            .table_name(&self.table)
            .set_key(Some(key(keys::customer_pk(owner), keys::image_sk(id))))
            .consistent_read(true)
            .send()
            .await
            .context("reading an image")?;
        out.item
            .map(|i| serde_dynamo::from_item(i).context("decoding an image"))
            .transpose()
            .map_err(Error::from)
    }

    /// `owner`'s images, newest first, `limit` at a time. The cursor is opaque
    /// to clients and only ever continues the caller's own partition.
    pub async fn list(
        &self,
        owner: &CustomerId,
        limit: u32,
        cursor: Option<&str>,
    ) -> Result<Page<Image>, Error> {
        let pk = keys::customer_pk(owner);
        let start = cursor.map(decode_cursor).transpose()?;
        let out = self
            .db
            .query()
            .table_name(&self.table)
            .key_condition_expression("pk = :pk AND begins_with(sk, :img)")
            .expression_attribute_values(":pk", s(&pk))
            .expression_attribute_values(":img", s(keys::IMAGE_SK_PREFIX))
            .scan_index_forward(false)
            .limit(limit as i32)
            .set_exclusive_start_key(start.map(|sk| key(pk.clone(), sk)))
            .send()
            .await
            .context("listing images")?;
        let items = out
            .items
            .unwrap_or_default()
            .into_iter()
            .map(|i| serde_dynamo::from_item(i).context("decoding an image"))
            .collect::<anyhow::Result<Vec<Image>>>()?;
        let next_cursor = out
            .last_evaluated_key
            .and_then(|k| k.get(crate::names::SK).and_then(|v| v.as_s().ok()).cloned())
            .map(|sk| URL_SAFE_NO_PAD.encode(sk));
        Ok(Page { items, next_cursor })
    }

    /// Moves a pending upload to its outcome. Returns false when it had
    /// already left `pending` (a redelivery), in which case nothing changes.
    pub async fn settle(&self, owner: &CustomerId, id: &ImageId, outcome: &Outcome) -> Result<bool, Error> {
        let req = self
            .db
            .update_item()
            .table_name(&self.table)
            .set_key(Some(key(keys::customer_pk(owner), keys::image_sk(id))))
            .condition_expression("#st = :pending AND attribute_not_exists(deleting)")
            .expression_attribute_names("#st", "status")
            .expression_attribute_values(":pending", s("pending"));
        let req = match outcome {
            Outcome::Ready {
                finalised,
                attributes,
            } => req
                .update_expression("SET #st = :ready, finalised = :f, attributes = :a")
                .expression_attribute_values(":ready", s("ready"))
                .expression_attribute_values(":f", to_av(finalised)?)
                .expression_attribute_values(":a", to_av(attributes)?),
            Outcome::Rejected(r) => req
                .update_expression("SET #st = :rejected, rejection = :r")
                .expression_attribute_values(":rejected", s("rejected"))
                .expression_attribute_values(":r", to_av(r)?),
            Outcome::Duplicate(of) => req
                .update_expression("SET #st = :dup, duplicate_of = :d")
                .expression_attribute_values(":dup", s("duplicate"))
                .expression_attribute_values(":d", s(of.as_str())),
        };
        match req.send().await {
            Ok(_) => Ok(true),
            Err(e) if is_condition_failure(&e) => Ok(false),
            Err(e) => Err(write_failed(e, "settling an upload")),
        }
    }

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
        // A move of the owner index that a crash interrupted is finished first.
        index.finish_own_move(before).await?;
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
            .expression_attribute_values(":s", AttributeValue::Bool(after.selected));
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
        let mut set = vec!["#cl = :c", "attributes = :a", "selected = :s", "#rev = :next"];
        let mut remove = vec!["own_index_move"];
        if let (false, Some(from)) = (own_in_transaction, SearchIndex::own_index_of(before)) {
            set.push("own_index_move = :mv");
            remove.clear();
            update = update.expression_attribute_values(":mv", to_av(&from)?);
        }
        match &after.prices {
            Some(p) => {
                set.push("prices = :p");
                update = update.expression_attribute_values(":p", to_av(p)?);
            }
            None => remove.push("prices"),
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
        let res = self
            .db
            .transact_write_items()
            .set_transact_items(Some(items))
            .send()
            .await;
        match res {
            Ok(_) => {}
            Err(e) if is_transaction_condition_failure(&e) => {
                return match self.get(&before.owner, &before.id).await? {
                    None => Err(Error::NotFound("image")),
                    Some(now) if now.deleting => Err(Error::NotFound("image")),
                    Some(now) if now.status != ImageStatus::Ready => Err(Error::Conflict(format!(
                        "the image is {}, not ready",
                        now.status.as_str()
                    ))),
                    Some(_) => Ok(Saved::Stale),
                };
            }
            Err(e) => return Err(write_failed(e, "saving an image")),
        }
        if !own_in_transaction {
            index.update_own(Some(before), Some(after)).await?;
            index
                .clear_own_move(&after.owner, &after.id, before.rev + 1)
                .await?;
        }
        Ok(Saved::Done)
    }

    /// Marks the image as being deleted, so no change, filing or index write
    /// lands on it from now on, and returns it as it is at that moment (with
    /// every change saved before). `None` when it is gone.
    pub async fn mark_deleting(&self, owner: &CustomerId, id: &ImageId) -> Result<Option<Image>, Error> {
        let res = self
            .db
            .update_item()
            .table_name(&self.table)
            .set_key(Some(key(keys::customer_pk(owner), keys::image_sk(id))))
            .condition_expression("attribute_exists(pk)")
            .update_expression("SET deleting = :t, #rev = if_not_exists(#rev, :zero) + :one")
            .expression_attribute_names("#rev", "rev")
            .expression_attribute_values(":t", AttributeValue::Bool(true))
            .expression_attribute_values(":zero", AttributeValue::N("0".into()))
            .expression_attribute_values(":one", AttributeValue::N("1".into()))
            .return_values(aws_sdk_dynamodb::types::ReturnValue::AllNew)
            .send()
            .await;
        match res {
            Ok(out) => out
                .attributes
                .map(|i| serde_dynamo::from_item(i).context("decoding an image"))
                .transpose()
                .map_err(Error::from),
            Err(e) if is_condition_failure(&e) => Ok(None),
            Err(e) => Err(write_failed(e, "marking an image deleted")),
        }
    }

    /// Claims the content hash for `id`, or says which image holds it.
    pub async fn claim_hash(
        &self,
        owner: &CustomerId,
        sha256_hex: &str,
        id: &ImageId,
    ) -> Result<HashClaim, Error> {
        let item = item_with_key(
            &ClaimItem { image_id: id.clone() },
            keys::customer_pk(owner),
            keys::hash_claim_sk(sha256_hex),
        )?;
        let res = self
            .db
            .put_item()
            .table_name(&self.table)
            .set_item(Some(item))
            .condition_expression("attribute_not_exists(pk) OR image_id = :me")
            .expression_attribute_values(":me", s(id.as_str()))
            .send()
            .await;
        match res {
            Ok(_) => Ok(HashClaim::Mine),
            Err(e) if is_condition_failure(&e) => {
                let out = self
                    .db
                    .get_item()
                    .table_name(&self.table)
                    .set_key(Some(key(
                        keys::customer_pk(owner),
                        keys::hash_claim_sk(sha256_hex),
                    )))
                    .consistent_read(true)
                    .send()
                    .await
                    .context("reading a hash claim")?;
                let claim: ClaimItem = serde_dynamo::from_item(out.item.context("hash claim vanished")?)
                    .context("decoding a hash claim")?;
                Ok(if &claim.image_id == id {
                    HashClaim::Mine
                } else {
                    HashClaim::Taken(claim.image_id)
                })
            }
            Err(e) => Err(write_failed(e, "claiming a content hash")),
        }
    }

    /// Releases a hash claim if `id` still holds it.
    pub async fn release_hash(
        &self,
        owner: &CustomerId,
        sha256_hex: &str,
        id: &ImageId,
    ) -> Result<(), Error> {
        let res = self
            .db
            .delete_item()
            .table_name(&self.table)
            .set_key(Some(key(
                keys::customer_pk(owner),
                keys::hash_claim_sk(sha256_hex),
            )))
            .condition_expression("image_id = :me")
            .expression_attribute_values(":me", s(id.as_str()))
            .send()
            .await;
        match res {
            Ok(_) => Ok(()),
            Err(e) if is_condition_failure(&e) => Ok(()),
            Err(e) => Err(write_failed(e, "releasing a content hash")),
        }
    }

    /// Deletes the record, then the reference to it.
    pub async fn delete(&self, owner: &CustomerId, id: &ImageId) -> Result<(), Error> {
        for (pk, sk) in [
            (keys::customer_pk(owner), keys::image_sk(id)),
            (keys::image_ref_pk(id), keys::IMAGE_REF_SK.to_owned()),
        ] {
            self.db
                .delete_item()
                .table_name(&self.table)
                .set_key(Some(key(pk, sk)))
                .send()
                .await
                .map_err(|e| write_failed(e, "deleting an image record"))?;
        }
        Ok(())
    }
}

fn to_av<T: Serialize>(v: &T) -> anyhow::Result<AttributeValue> {
    Ok(serde_dynamo::to_attribute_value(v)?)
}

fn decode_cursor(c: &str) -> Result<String, Error> {
    let bad = || Error::invalid("cursor", "the cursor is not one this API issued");
    let sk = URL_SAFE_NO_PAD
        .decode(c)
        .ok()
        .and_then(|b| String::from_utf8(b).ok())
        .ok_or_else(bad)?;
    let id = sk.strip_prefix(keys::IMAGE_SK_PREFIX).ok_or_else(bad)?;
    ImageId::parse(id).map_err(|_| bad())?;
    Ok(sk)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_only_continue_image_listings() {
        let sk = keys::image_sk(&ImageId::generate());
        assert_eq!(decode_cursor(&URL_SAFE_NO_PAD.encode(&sk)).unwrap(), sk);
        assert!(decode_cursor("!!!").is_err());
        assert!(decode_cursor(&URL_SAFE_NO_PAD.encode("SHA#abc")).is_err());
        assert!(decode_cursor(&URL_SAFE_NO_PAD.encode("IMG#nope")).is_err());
    }
}
