//! Memberships: which images an album holds, and the image's own set of albums.

use anyhow::Context;
use aws_sdk_dynamodb::types::{AttributeValue, Delete, Put, TransactWriteItem, Update};
use printvault_domain::ids::{AlbumId, CustomerId, ImageId};
use printvault_domain::when::Timestamp;
use printvault_domain::Error;
use printvault_domain::Thing;
use serde::{Deserialize, Serialize};

use super::{album_pk, AlbumStore};
use crate::dynamo::{is_transaction_condition_failure, item_with_key, key, s, write_failed};
use crate::{cursor, keys, Page};

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Membership {
    pub image_id: ImageId,
    pub added_at: Timestamp,
    /// Set when classify filed the image under this automatic key; absent
    /// when the customer added it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auto_key: Option<String>,
}

impl AlbumStore {
    /// Puts an image in an album: the membership item and the album in the
    /// image's set, together. Adding twice changes nothing. `auto_key` says
    /// classify filed it (see the module docs); `None` is the customer's add.
    pub async fn add(
        &self,
        owner: &CustomerId,
        album: &AlbumId,
        image: &ImageId,
        now: Timestamp,
        auto_key: Option<&str>,
    ) -> Result<(), Error> {
        let m = item_with_key(
            &Membership {
                image_id: image.clone(),
                added_at: now,
                auto_key: auto_key.map(str::to_owned),
            },
            album_pk(album),
            keys::image_sk(image),
        )?;
        let update = Update::builder()
            .table_name(&self.table)
            .set_key(Some(key(keys::customer_pk(owner), keys::image_sk(image))))
            .update_expression("ADD albums :a")
            // Never into an image that is gone, in the trash or being deleted.
            .condition_expression(
                "attribute_exists(pk) AND attribute_not_exists(deleting) AND attribute_not_exists(trashed)",
            )
            .expression_attribute_values(":a", AttributeValue::Ss(vec![album.to_string()]))
            .build()
            .context("building an album add")?;
        let res = self
            .db
            .transact_write_items()
            .transact_items(
                TransactWriteItem::builder()
                    .put(
                        Put::builder()
                            .table_name(&self.table)
                            .set_item(Some(m))
                            .build()
                            .context("building a membership")?,
                    )
                    .build(),
            )
            .transact_items(TransactWriteItem::builder().update(update).build())
            .send()
            .await;
        match res {
            Ok(_) => Ok(()),
            Err(e) if is_transaction_condition_failure(&e) => Err(Error::NotFound(Thing::Image)),
            Err(e) => Err(write_failed(e, "adding to an album")),
        }
    }

    /// How the image is in the album, if it is.
    pub async fn membership(&self, album: &AlbumId, image: &ImageId) -> Result<Option<Membership>, Error> {
        let out = self
            .db
            .get_item()
            .table_name(&self.table)
            .set_key(Some(key(album_pk(album), keys::image_sk(image))))
            .consistent_read(true)
            .send()
            .await
            .context("reading an album membership")?;
        out.item
            .map(|i| serde_dynamo::from_item(i).context("decoding a membership"))
            .transpose()
            .map_err(Error::from)
    }

    /// Takes an image out of an album. Removing twice changes nothing.
    pub async fn remove(&self, owner: &CustomerId, album: &AlbumId, image: &ImageId) -> Result<(), Error> {
        let del = Delete::builder()
            .table_name(&self.table)
            .set_key(Some(key(album_pk(album), keys::image_sk(image))))
            .build()
            .context("building a membership delete")?;
        let update = Update::builder()
            .table_name(&self.table)
            .set_key(Some(key(keys::customer_pk(owner), keys::image_sk(image))))
            .update_expression("DELETE albums :a")
            .condition_expression("attribute_exists(pk)")
            .expression_attribute_values(":a", AttributeValue::Ss(vec![album.to_string()]))
            .build()
            .context("building an album remove")?;
        let res = self
            .db
            .transact_write_items()
            .transact_items(TransactWriteItem::builder().delete(del).build())
            .transact_items(TransactWriteItem::builder().update(update).build())
            .send()
            .await;
        match res {
            Ok(_) => Ok(()),
            // The image is gone: its membership item is all that was left.
            Err(e) if is_transaction_condition_failure(&e) => {
                self.db
                    .delete_item()
                    .table_name(&self.table)
                    .set_key(Some(key(album_pk(album), keys::image_sk(image))))
                    .send()
                    .await
                    .map_err(|e| write_failed(e, "deleting a membership"))?;
                Ok(())
            }
            Err(e) => Err(write_failed(e, "removing from an album")),
        }
    }

    /// The album's images, oldest first, `limit` at a time.
    pub async fn images(
        &self,
        album: &AlbumId,
        limit: u32,
        cursor: Option<&str>,
    ) -> Result<Page<ImageId>, Error> {
        let start = cursor
            .map(|c| {
                cursor::decode(c, |sk| {
                    cursor::is_prefixed_id(sk, keys::IMAGE_SK_PREFIX, ImageId::parse)
                })
            })
            .transpose()?
            .map(|sk| key(album_pk(album), sk));
        let out = self
            .db
            .query()
            .table_name(&self.table)
            .key_condition_expression("pk = :pk AND begins_with(sk, :i)")
            .expression_attribute_values(":pk", s(album_pk(album)))
            .expression_attribute_values(":i", s(keys::IMAGE_SK_PREFIX))
            .limit(limit as i32)
            .set_exclusive_start_key(start)
            .send()
            .await
            .context("listing an album")?;
        let items = out
            .items
            .unwrap_or_default()
            .into_iter()
            .map(|i| {
                serde_dynamo::from_item::<_, Membership>(i)
                    .map(|m| m.image_id)
                    .context("decoding a membership")
            })
            .collect::<anyhow::Result<Vec<_>>>()?;
        let next_cursor = if out.last_evaluated_key.is_some() {
            items.last().map(|id| cursor::encode(&keys::image_sk(id)))
        } else {
            None
        };
        Ok(Page { items, next_cursor })
    }
}
