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
//!
//! Automatic albums are made in [`auto`]; memberships change in [`members`].

mod auto;
mod members;

pub use members::Membership;

use anyhow::Context;
use printvault_domain::album::Album;
use printvault_domain::ids::{AlbumId, CustomerId};
use printvault_domain::Error;
use printvault_domain::Thing;
use serde::{Deserialize, Serialize};

use crate::dynamo::{is_condition_failure, item_with_key, key, query_prefix, s, write_failed};
use crate::{cursor, keys, Page};

#[derive(Clone, Debug)]
pub struct AlbumStore {
    pub(crate) db: aws_sdk_dynamodb::Client,
    pub(crate) table: String,
}

#[derive(Serialize, Deserialize)]
pub(crate) struct AutoKey {
    pub(crate) album_id: AlbumId,
    /// Its owner deleted the album: nothing is filed under this key again.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub(crate) dismissed: bool,
}

pub(crate) fn album_sk(a: &AlbumId) -> String {
    format!("ALBUM#{a}")
}
pub(crate) fn album_pk(a: &AlbumId) -> String {
    format!("ALBUM#{a}")
}
pub(crate) fn auto_sk(k: &str) -> String {
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

    /// `owner`'s albums, counted up to `at_most`.
    pub async fn count(&self, owner: &CustomerId, at_most: u32) -> Result<u32, Error> {
        let pk = keys::customer_pk(owner);
        Ok(
            crate::dynamo::count_prefix(&self.db, &self.table, &pk, "ALBUM#", None, at_most)
                .await
                .context("counting albums")?,
        )
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
        let start = cursor
            .map(|c| cursor::decode(c, |sk| cursor::is_prefixed_id(sk, "ALBUM#", AlbumId::parse)))
            .transpose()?
            .map(|sk| key(keys::customer_pk(owner), sk));
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
            items.last().map(|a| cursor::encode(&album_sk(&a.album_id)))
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
            Err(e) if is_condition_failure(&e) => Err(Error::NotFound(Thing::Album)),
            Err(e) => Err(write_failed(e, "renaming an album")),
        }
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
