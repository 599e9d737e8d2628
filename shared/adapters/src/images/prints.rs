//! What orders ask of images: several by ID at once (a quote), and a
//! transaction's check that one may still be printed (placing an order).

use anyhow::Context;
use aws_sdk_dynamodb::types::{AttributeValue, TransactWriteItem};
use printvault_domain::ids::{CustomerId, ImageId};
use printvault_domain::image::Image;
use printvault_domain::when::Timestamp;
use printvault_domain::Error;

use super::{ImageStore, RefItem};
use crate::dynamo::{key, s};
use crate::keys;

impl ImageStore {
    /// The transaction item that checks `owner`'s image `id` may still be
    /// printed: ready, not being deleted nor in the trash, its original not on an archive
    /// disc (M32) and, for a stranger's print (`market`), still printable.
    pub fn print_check(
        &self,
        owner: &CustomerId,
        id: &ImageId,
        market: bool,
    ) -> Result<TransactWriteItem, Error> {
        let mut condition =
            "#s = :ready AND (attribute_not_exists(deleting) OR deleting = :no) AND attribute_not_exists(#arc) \
             AND attribute_not_exists(trashed)"
                .to_owned();
        let mut c = aws_sdk_dynamodb::types::ConditionCheck::builder()
            .table_name(&self.table)
            .set_key(Some(key(keys::customer_pk(owner), keys::image_sk(id))))
            .expression_attribute_names("#s", "status")
            .expression_attribute_names("#arc", "archive")
            .expression_attribute_values(":ready", s("ready"))
            .expression_attribute_values(":no", AttributeValue::Bool(false));
        if market {
            condition.push_str(" AND #c = :printable");
            c = c
                .expression_attribute_names("#c", "class")
                .expression_attribute_values(":printable", s("printable"));
        }
        let c = c
            .condition_expression(condition)
            .build()
            .context("building a print check")?;
        Ok(TransactWriteItem::builder().condition_check(c).build())
    }

    /// Images by ID with their owners, in batches of 100: one BatchGetItem
    /// of the ID references, one of the images (M15's quote). Missing IDs
    /// are left out.
    pub async fn find_many(&self, ids: &[ImageId]) -> Result<Vec<Image>, Error> {
        let refs = crate::dynamo::batch_get(
            &self.db,
            &self.table,
            ids.iter()
                .map(|i| key(keys::image_ref_pk(i), keys::IMAGE_REF_SK))
                .collect(),
        )
        .await?;
        let mut owners = std::collections::HashMap::new();
        for item in refs {
            let pk = item
                .get("pk")
                .and_then(|v| v.as_s().ok())
                .cloned()
                .unwrap_or_default();
            let r: RefItem = serde_dynamo::from_item(item).context("decoding an image reference")?;
            if let Some(id) = pk.strip_prefix("IMGREF#").and_then(|i| ImageId::parse(i).ok()) {
                owners.insert(id, r.owner);
            }
        }
        let keys = ids
            .iter()
            .filter_map(|i| {
                owners
                    .get(i)
                    .map(|o| key(keys::customer_pk(o), keys::image_sk(i)))
            })
            .collect();
        crate::dynamo::batch_get(&self.db, &self.table, keys)
            .await?
            .into_iter()
            .map(|i| {
                serde_dynamo::from_item(i)
                    .context("decoding an image")
                    .map_err(Error::from)
            })
            .collect()
    }

    /// The transaction item that takes back a print record (a printed line
    /// that failed afterwards was never delivered: it is no print).
    pub fn print_record_delete(
        &self,
        owner: &CustomerId,
        image: &ImageId,
        job_id: &str,
        printed_at: Timestamp,
    ) -> Result<TransactWriteItem, Error> {
        let d = aws_sdk_dynamodb::types::Delete::builder()
            .table_name(&self.table)
            .set_key(Some(key(
                keys::customer_pk(owner),
                print_sk(image, printed_at, job_id),
            )))
            .build()
            .context("building a print record's delete")?;
        Ok(TransactWriteItem::builder().delete(d).build())
    }

    /// The transaction item that counts a printed line against its image
    /// (M21, read by M27's print-driven retention): one record per line, in
    /// the owner's partition, sorted by image and date:
    /// `PRINT#<image>#<printed_at>#<order>:<line>` with the copies. Put
    /// once. The image may be gone by now; the count stays.
    pub fn print_record(
        &self,
        owner: &CustomerId,
        image: &ImageId,
        job_id: &str,
        copies: u32,
        printed_at: Timestamp,
    ) -> Result<TransactWriteItem, Error> {
        let mut item = key(keys::customer_pk(owner), print_sk(image, printed_at, job_id));
        item.insert("image_id".into(), s(image.as_str()));
        item.insert("job_id".into(), s(job_id));
        item.insert("copies".into(), AttributeValue::N(copies.to_string()));
        item.insert("printed_at".into(), s(printed_at.to_string()));
        Ok(crate::dynamo::put(
            &self.table,
            item,
            Some("attribute_not_exists(pk)"),
        )?)
    }
}

fn print_sk(image: &ImageId, printed_at: Timestamp, job_id: &str) -> String {
    format!("PRINT#{image}#{printed_at}#{job_id}")
}
