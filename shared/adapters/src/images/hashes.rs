//! Content-hash claims (M7): one image per content per customer.

use anyhow::Context;
use printvault_domain::ids::{CustomerId, ImageId};
use printvault_domain::upload::HashClaim;
use printvault_domain::Error;
use serde::{Deserialize, Serialize};

use super::ImageStore;
use crate::dynamo::{is_condition_failure, item_with_key, key, s, write_failed};
use crate::keys;

#[derive(Serialize, Deserialize)]
struct ClaimItem {
    image_id: ImageId,
}

impl ImageStore {
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
}
