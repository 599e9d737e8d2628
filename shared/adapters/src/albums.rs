//! Albums (M12), in the images table beside the images they hold.
//!
//! | pk               | sk                   | holds                                   |
//! |------------------|----------------------|-----------------------------------------|
//! | `CUST#<owner>`   | `ALBUM#<album>`      | the album                               |
//! | `CUST#<owner>`   | `AUTOALBUM#<key>`    | which album an automatic key made (M12), or that its owner deleted it |
//! | `ALBUM#<album>`  | `IMG#<image>`        | membership, newest image last           |
//!
//! A membership that classify made carries the automatic key it was filed
//! under (`auto_key`), so a later attribute edit can take the image out of
//! an automatic album it no longer belongs in without undoing a customer's
//! own choice: an image the customer put in an album by hand stays there.
//!
//! The image record keeps the set of its albums (`albums`, a string set), so
//! deciding whether an album grant opens an image costs one read per album
//! of that image, never a scan of the grantee's grants.

use anyhow::Context;
use aws_sdk_dynamodb::types::{AttributeValue, Delete, Put, TransactWriteItem, Update};
use printvault_domain::album::Album;
use printvault_domain::ids::{AlbumId, CustomerId, ImageId};
use printvault_domain::Error;
use serde::{Deserialize, Serialize};

use crate::dynamo::{
    is_condition_failure, is_transaction_condition_failure, item_with_key, key, query_prefix, s, write_failed,
};
use crate::{keys, Page};

#[derive(Clone, Debug)]
pub struct AlbumStore {
    db: aws_sdk_dynamodb::Client,
    table: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Membership {
    pub image_id: ImageId,
    pub added_at: String,
    /// Set when classify filed the image under this automatic key; absent
    /// when the customer added it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auto_key: Option<String>,
}

#[derive(Serialize, Deserialize)]
struct AutoKey {
    album_id: AlbumId,
    /// Its owner deleted the album: nothing is filed under this key again.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    dismissed: bool,
}

fn album_sk(a: &AlbumId) -> String {
    format!("ALBUM#{a}")
}
fn album_pk(a: &AlbumId) -> String {
    format!("ALBUM#{a}")
}
fn auto_sk(k: &str) -> String {
    format!("AUTOALBUM#{k}")
}

impl AlbumStore {
    pub fn new(db: aws_sdk_dynamodb::Client, table: impl Into<String>) -> Self {
        Self {
            db,
            table: table.into(),
        }
    }

    pub async fn create(&self, album: &Album) -> Result<(), Error> {
        let item = item_with_key(album, keys::customer_pk(&album.owner), album_sk(&album.album_id))?;
        self.db
            .put_item()
            .table_name(&self.table)
            .set_item(Some(item))
            .condition_expression("attribute_not_exists(pk)")
            .send()
            .await
            .map_err(|e| write_failed(e, "creating an album"))?;
        Ok(())
    }

    /// The automatic album for `key`, creating `candidate` if there is none
    /// yet; `None` when its owner deleted the album made for that key (a
    /// deleted automatic album stays deleted, even when an old event for one
    /// of its images is delivered again). Safe under concurrent and repeated
    /// calls: one album per key.
    pub async fn auto_album(&self, candidate: &Album, key_: &str) -> Result<Option<Album>, Error> {
        let owner_pk = keys::customer_pk(&candidate.owner);
        let claim = item_with_key(
            &AutoKey {
                album_id: candidate.album_id.clone(),
                dismissed: false,
            },
            owner_pk.clone(),
            auto_sk(key_),
        )?;
        let album = item_with_key(candidate, owner_pk.clone(), album_sk(&candidate.album_id))?;
        let put = |item, cond: &str| -> anyhow::Result<TransactWriteItem> {
            Ok(TransactWriteItem::builder()
                .put(
                    Put::builder()
                        .table_name(&self.table)
                        .set_item(Some(item))
                        .condition_expression(cond)
                        .build()?,
                )
                .build())
        };
        let res = self
            .db
            .transact_write_items()
            .transact_items(put(claim, "attribute_not_exists(pk)")?)
            .transact_items(put(album, "attribute_not_exists(pk)")?)
            .send()
            .await;
        match res {
            Ok(_) => Ok(Some(candidate.clone())),
            Err(e) if is_transaction_condition_failure(&e) => {
                let out = self
                    .db
                    .get_item()
                    .table_name(&self.table)
                    .set_key(Some(key(owner_pk, auto_sk(key_))))
                    .consistent_read(true)
                    .send()
                    .await
                    .context("reading an automatic album key")?;
                let k: AutoKey = serde_dynamo::from_item(out.item.context("auto album key vanished")?)
                    .context("decoding an automatic album key")?;
                if k.dismissed {
                    return Ok(None);
                }
                self.get(&candidate.owner, &k.album_id)
                    .await?
                    .map(Some)
                    .ok_or(Error::NotFound("album"))
            }
            Err(e) => Err(write_failed(e, "creating an automatic album")),
        }
    }

    pub async fn get(&self, owner: &CustomerId, id: &AlbumId) -> Result<Option<Album>, Error> {
        let out = self
            .db
            .get_item()
            .table_name(&self.table)
            .set_key(Some(key(keys::customer_pk(owner), album_sk(id))))
            .consistent_read(true)
            .send()
            .await
            .context("reading an album")?;
        out.item
            .map(|i| serde_dynamo::from_item(i).context("decoding an album"))
            .transpose()
            .map_err(Error::from)
    }

    /// All of an owner's albums (bounded by what one customer makes).
    /// An owner's albums in ID order (oldest first), `limit` at a time. The
    /// cursor is the last album ID of the previous page.
    pub async fn page(
        &self,
        owner: &CustomerId,
        limit: u32,
        cursor: Option<&str>,
    ) -> Result<Page<Album>, Error> {
        let start = match cursor {
            Some(c) => {
                let id = AlbumId::parse(c)
                    .map_err(|_| Error::invalid("cursor", "the cursor is not one this API issued"))?;
                Some(key(keys::customer_pk(owner), album_sk(&id)))
            }
            None => None,
        };
        let out = self
            .db
            .query()
            .table_name(&self.table)
            .key_condition_expression("pk = :pk AND begins_with(sk, :a)")
            .expression_attribute_values(":pk", s(keys::customer_pk(owner)))
            .expression_attribute_values(":a", s("ALBUM#"))
            .limit(limit as i32)
            .set_exclusive_start_key(start)
            .send()
            .await
            .context("listing albums")?;
        let items = out
            .items
            .unwrap_or_default()
            .into_iter()
            .map(|i| serde_dynamo::from_item::<_, Album>(i).context("decoding an album"))
            .collect::<anyhow::Result<Vec<_>>>()?;
        let next_cursor = if out.last_evaluated_key.is_some() {
            items.last().map(|a| a.album_id.to_string())
        } else {
            None
        };
        Ok(Page { items, next_cursor })
    }

    pub async fn list(&self, owner: &CustomerId) -> Result<Vec<Album>, Error> {
        Ok(
            query_prefix(&self.db, &self.table, &keys::customer_pk(owner), "ALBUM#")
                .await
                .context("listing albums")?,
        )
    }

    pub async fn rename(&self, owner: &CustomerId, id: &AlbumId, name: &str) -> Result<(), Error> {
        let res = self
            .db
            .update_item()
            .table_name(&self.table)
            .set_key(Some(key(keys::customer_pk(owner), album_sk(id))))
            .condition_expression("attribute_exists(pk)")
            .update_expression("SET #n = :n")
            .expression_attribute_names("#n", "name")
            .expression_attribute_values(":n", s(name))
            .send()
            .await;
        match res {
            Ok(_) => Ok(()),
            Err(e) if is_condition_failure(&e) => Err(Error::NotFound("album")),
            Err(e) => Err(write_failed(e, "renaming an album")),
        }
    }

    /// Puts an image in an album: the membership item and the album in the
    /// image's set, together. Adding twice changes nothing. `auto_key` says
    /// classify filed it (see the module docs); `None` is the customer's add.
    pub async fn add(
        &self,
        owner: &CustomerId,
        album: &AlbumId,
        image: &ImageId,
        now: &str,
        auto_key: Option<&str>,
    ) -> Result<(), Error> {
        let m = item_with_key(
            &Membership {
                image_id: image.clone(),
                added_at: now.to_owned(),
                auto_key: auto_key.map(str::to_owned),
            },
            album_pk(album),
            keys::image_sk(image),
        )?;
        let update = Update::builder()
            .table_name(&self.table)
            .set_key(Some(key(keys::customer_pk(owner), keys::image_sk(image))))
            .update_expression("ADD albums :a")
            // Never into an image that is gone or being deleted.
            .condition_expression("attribute_exists(pk) AND attribute_not_exists(deleting)")
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
            Err(e) if is_transaction_condition_failure(&e) => Err(Error::NotFound("image")),
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
        let start = match cursor {
            Some(c) => Some(key(
                album_pk(album),
                keys::image_sk(
                    &ImageId::parse(c)
                        .map_err(|_| Error::invalid("cursor", "the cursor is not one this API issued"))?,
                ),
            )),
            None => None,
        };
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
            items.last().map(ToString::to_string)
        } else {
            None
        };
        Ok(Page { items, next_cursor })
    }

    /// Deletes the album: an automatic one's key is marked dismissed first,
    /// so nothing is filed into it any more; then every membership (and the
    /// album from each image's set), then the album itself.
    pub async fn delete(&self, album: &Album) -> Result<(), Error> {
        let owner_pk = keys::customer_pk(&album.owner);
        if let Some(k) = &album.auto_key {
            let dismissed = item_with_key(
                &AutoKey {
                    album_id: album.album_id.clone(),
                    dismissed: true,
                },
                owner_pk.clone(),
                auto_sk(k),
            )?;
            self.db
                .put_item()
                .table_name(&self.table)
                .set_item(Some(dismissed))
                .send()
                .await
                .map_err(|e| write_failed(e, "dismissing an automatic album key"))?;
        }
        loop {
            let page = self.images(&album.album_id, 100, None).await?;
            if page.items.is_empty() {
                break;
            }
            for image in &page.items {
                self.remove(&album.owner, &album.album_id, image).await?;
            }
        }
        self.db
            .delete_item()
            .table_name(&self.table)
            .set_key(Some(key(owner_pk, album_sk(&album.album_id))))
            .send()
            .await
            .map_err(|e| write_failed(e, "deleting an album"))?;
        Ok(())
    }
}
