//! An image's move to the archive class on its owner's meter (M32): the
//! record's `archived` mark and the meter's move of its bytes to the
//! archive tier are one transaction, so the archive rate applies from the
//! move, once, whoever retries or races it (a delete, another mover).

use anyhow::Context;
use aws_sdk_dynamodb::types::{AttributeValue, TransactWriteItem, Update};
use printvault_domain::billing::Change;
use printvault_domain::ids::OrderId;
use printvault_domain::image::Image;
use printvault_domain::when::Timestamp;
use printvault_domain::{Clash, Error};

use super::meters::{rand_ms, ATTEMPTS};
use super::BillingStore;
use crate::dynamo::{key, s, transact};
use crate::keys;

impl BillingStore {
    /// Marks `image`, claimed by mover `me` for `disc`, `archived` at `at`,
    /// and moves its bytes to the archive tier of its owner's meter if it
    /// is metered. `false` when the claim is no longer `me`'s (another
    /// mover took it over and finishes it).
    pub async fn archive_image(
        &self,
        image: &Image,
        disc: &OrderId,
        me: &str,
        at: Timestamp,
    ) -> Result<bool, Error> {
        let bytes = image.finalised.as_ref().map_or(0, |f| f.bytes);
        let t = at.unix();
        let mut closed = Vec::new();
        for _ in 0..ATTEMPTS {
            let Some(mark) = self.image_mark(&image.owner, &image.id).await? else {
                return Ok(false);
            };
            let mine = (disc.as_str().to_owned(), "moving".to_owned(), me.to_owned());
            if mark.claim.as_ref() != Some(&mine) {
                return Ok(false);
            }
            let mut items = vec![TransactWriteItem::builder()
                .update(self.archived_mark(image, disc, me, at, mark.metered)?)
                .build()];
            if mark.metered {
                let put = self
                    .changed_meter(&image.owner, t, Change::Archive(bytes), &mut closed)
                    .await?;
                items.push(put);
            }
            if transact(&self.db, items, "marking an image archived").await? {
                return Ok(true);
            }
            // The meter moved, or the image was metered out meanwhile.
            tokio::time::sleep(std::time::Duration::from_millis(5 + rand_ms())).await;
        }
        Err(Error::Conflict(Clash::Raced))
    }

    /// The record's side: `archived` at `at`, over `me`'s claim for `disc`
    /// and the `metered` mark as read.
    fn archived_mark(
        &self,
        image: &Image,
        disc: &OrderId,
        me: &str,
        at: Timestamp,
        metered: bool,
    ) -> Result<Update, Error> {
        let metered = if metered {
            "attribute_exists(metered)"
        } else {
            "attribute_not_exists(metered)"
        };
        let u = Update::builder()
            .table_name(&self.images_table)
            .set_key(Some(key(
                keys::customer_pk(&image.owner),
                keys::image_sk(&image.id),
            )))
            .update_expression(
                "SET #arc.#state = :archived, #arc.#at = :at REMOVE #arc.mover, #arc.lease_until",
            )
            .condition_expression(format!(
                "#arc.disc_id = :disc AND #arc.#state = :moving AND #arc.mover = :me AND {metered}"
            ))
            .expression_attribute_names("#arc", "archive")
            .expression_attribute_names("#state", "state")
            .expression_attribute_names("#at", "at")
            .expression_attribute_values(":archived", s("archived"))
            .expression_attribute_values(":moving", s("moving"))
            .expression_attribute_values(":at", s(at.to_string()))
            .expression_attribute_values(":disc", s(disc.as_str()))
            .expression_attribute_values(":me", AttributeValue::S(me.to_owned()))
            .build()
            .context("building an image's archived mark")?;
        Ok(u)
    }
}
