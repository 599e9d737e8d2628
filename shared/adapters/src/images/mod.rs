//! The images table: one partition per customer.
//!
//! | pk               | sk              | holds                                  |
//! |------------------|-----------------|----------------------------------------|
//! | `CUST#<customer>`| `IMG#<image>`   | the image record, in any status        |
//! | `CUST#<customer>`| `SHA#<sha256>`  | which image holds these bytes (M7)     |
//! | `IMGREF#<image>` | `OWNER`         | the owner, to find an image by ID      |
//!
//! Status only leaves `pending` by conditional update, so a redelivered
//! upload event changes nothing. Saving an owner's change together with
//! its search entries is [`crate::catalog`]'s; content-hash claims (M7)
//! are in [`hashes`].

pub mod anniversaries;
mod hashes;
mod moves;
mod prints;
pub mod retention;
mod settle;
mod trash;

pub use trash::TrashEntry;

pub use settle::SettleAttempt;

use anyhow::Context;
use aws_sdk_dynamodb::types::{AttributeValue, Put, TransactWriteItem};
use printvault_domain::ids::{CustomerId, ImageId};
use printvault_domain::image::Image;
use printvault_domain::Error;
use serde::{Deserialize, Serialize};

use crate::{cursor, keys, Page};

use crate::dynamo::{is_condition_failure, item_with_key, key, write_failed};

#[derive(Clone, Debug)]
pub struct ImageStore {
    pub(crate) db: aws_sdk_dynamodb::Client,
    pub(crate) table: String,
}

#[derive(Serialize, Deserialize)]
pub(crate) struct RefItem {
    pub(crate) owner: CustomerId,
}

impl ImageStore {
    pub fn new(db: aws_sdk_dynamodb::Client, table: impl Into<String>) -> Self {
        Self {
            db,
            table: table.into(),
        }
    }

    /// Records a new pending upload, and the pointer from its ID to its
    /// owner. Both lapse with the upload (TTL) unless it settles.
    pub async fn put_pending(&self, image: &Image) -> Result<(), Error> {
        let item = item_with_key(image, keys::customer_pk(&image.owner), keys::image_sk(&image.id))?;
        let mut reference = item_with_key(
            &RefItem {
                owner: image.owner.clone(),
            },
            keys::image_ref_pk(&image.id),
            keys::IMAGE_REF_SK.into(),
        )?;
        let mut marker = key(
            keys::customer_pk(&image.owner),
            keys::pending_upload_sk(&image.id),
        );
        if let Some(t) = image.expires_at {
            marker.insert("expires_at".into(), AttributeValue::N(t.to_string()));
            reference.insert("expires_at".into(), AttributeValue::N(t.to_string()));
        }
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
            .transact_items(put(marker).context("building a pending-upload marker")?)
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

    /// One image of `owner`; `None` when it is not theirs, does not exist,
    /// or is in the trash (hidden from every reader).
    pub async fn get(&self, owner: &CustomerId, id: &ImageId) -> Result<Option<Image>, Error> {
        Ok(self.record(owner, id).await?.filter(|i| i.trashed.is_none()))
    }

    /// One image record of `owner`, in the trash or not.
    pub async fn record(&self, owner: &CustomerId, id: &ImageId) -> Result<Option<Image>, Error> {
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
        let valid = |sk: &str| cursor::is_prefixed_id(sk, keys::IMAGE_SK_PREFIX, ImageId::parse);
        crate::dynamo::page_newest_first(
            &self.db,
            &self.table,
            &keys::customer_pk(owner),
            keys::IMAGE_SK_PREFIX,
            crate::dynamo::PageOf { limit, cursor },
            valid,
            "images",
        )
        .await
    }

    /// Pending uploads of `owner` not lapsed at `now`, counted up to `at_most`.
    pub async fn pending_uploads(&self, owner: &CustomerId, now: i64, at_most: u32) -> Result<u32, Error> {
        let pk = keys::customer_pk(owner);
        Ok(crate::dynamo::count_prefix(
            &self.db,
            &self.table,
            &pk,
            keys::PENDING_UPLOAD_PREFIX,
            Some(now),
            at_most,
        )
        .await
        .context("counting pending uploads")?)
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

    /// Deletes the record's trash entry if any, the record, then the
    /// reference to it.
    pub async fn delete(&self, image: &Image) -> Result<(), Error> {
        self.delete_trash_entry(image).await?;
        let (owner, id) = (&image.owner, &image.id);
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

pub(crate) fn to_av<T: Serialize>(v: &T) -> anyhow::Result<AttributeValue> {
    Ok(serde_dynamo::to_attribute_value(v)?)
}
