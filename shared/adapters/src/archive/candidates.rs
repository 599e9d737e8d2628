//! A customer's images in upload order, as the archive sweep reads them:
//! a page at a time, only what it decides on projected.

use anyhow::Context;
use aws_sdk_dynamodb::types::AttributeValue;
use printvault_domain::archive::Candidate;
use printvault_domain::ids::{CustomerId, ImageId};
use printvault_domain::when::Timestamp;
use printvault_domain::Error;
use serde::Deserialize;

use super::ArchiveStore;
use crate::dynamo::{key, s};
use crate::keys;

/// What the read projects of an image record.
#[derive(Deserialize)]
struct Projected {
    sk: String,
    status: String,
    #[serde(default)]
    deleting: bool,
    #[serde(default)]
    selected: bool,
    #[serde(default)]
    finalised: Option<Bytes>,
    created_at: Timestamp,
    /// The disc that holds the original, once it moved (M32).
    #[serde(default)]
    archive: Option<serde_json::Value>,
    /// In the trash: not offered.
    #[serde(default)]
    trashed: Option<serde_json::Value>,
}

#[derive(Deserialize)]
struct Bytes {
    bytes: u64,
}

/// One page of a customer's images.
pub struct CandidatePage {
    /// The images on it that may be proposed: ready, not being deleted
    /// nor in the trash, not archived. Selected ones are among them, marked.
    pub candidates: Vec<Candidate>,
    /// The last image read, to read on from; `None` at the end.
    pub next: Option<ImageId>,
}

impl ArchiveStore {
    /// Up to `limit` of `c`'s image records after `after`, oldest first.
    pub async fn candidates(
        &self,
        c: &CustomerId,
        after: Option<&ImageId>,
        limit: i32,
    ) -> Result<CandidatePage, Error> {
        let q = self
            .db
            .query()
            .table_name(&self.table)
            .key_condition_expression("pk = :pk AND begins_with(sk, :img)")
            .expression_attribute_values(":pk", s(keys::customer_pk(c)))
            .expression_attribute_values(":img", s(keys::IMAGE_SK_PREFIX))
            .projection_expression("sk, #st, deleting, selected, finalised.#b, created_at, #arc, trashed")
            .expression_attribute_names("#st", "status")
            .expression_attribute_names("#arc", "archive")
            .expression_attribute_names("#b", "bytes")
            .scan_index_forward(true)
            .limit(limit.max(1))
            .set_exclusive_start_key(after.map(|a| key(keys::customer_pk(c), keys::image_sk(a))));
        let page = q.send().await.context("reading a customer's oldest images")?;
        let mut candidates = Vec::new();
        for item in page.items.unwrap_or_default() {
            let p: Projected = serde_dynamo::from_item(item).context("decoding an image for the archive")?;
            let Some(id) = p.sk.strip_prefix(keys::IMAGE_SK_PREFIX) else {
                continue;
            };
            let (Some(f), "ready", false, None, None) = (
                &p.finalised,
                p.status.as_str(),
                p.deleting,
                &p.archive,
                &p.trashed,
            ) else {
                continue;
            };
            candidates.push(Candidate {
                image: ImageId::parse(id)?,
                bytes: f.bytes,
                stored: p.created_at,
                selected: p.selected,
            });
        }
        let next = match page.last_evaluated_key {
            Some(k) => match k.get("sk") {
                Some(AttributeValue::S(sk)) => sk
                    .strip_prefix(keys::IMAGE_SK_PREFIX)
                    .map(ImageId::parse)
                    .transpose()?,
                _ => None,
            },
            None => None,
        };
        Ok(CandidatePage { candidates, next })
    }
}
