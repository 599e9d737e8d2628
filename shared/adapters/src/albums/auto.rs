//! Automatic albums (M12): one per key per customer, made by classify.

use anyhow::Context;
use aws_sdk_dynamodb::types::{Put, TransactWriteItem};
use printvault_domain::album::Album;
use printvault_domain::Error;
use printvault_domain::Thing;

use super::{album_sk, auto_sk, AlbumStore, AutoKey};
use crate::dynamo::{is_transaction_condition_failure, item_with_key, key, write_failed};
use crate::keys;

impl AlbumStore {
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
                    .ok_or(Error::NotFound(Thing::Album))
            }
            Err(e) => Err(write_failed(e, "creating an automatic album")),
        }
    }
}
