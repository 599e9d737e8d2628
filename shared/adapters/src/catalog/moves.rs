//! Owner-index moves too big for one transaction: noted on the record,
//! finished by whoever meets the note next.

use anyhow::Context;
use aws_sdk_dynamodb::types::{AttributeValue, DeleteRequest, WriteRequest};
use printvault_domain::ids::{CustomerId, ImageId};
use printvault_domain::image::Image;
use printvault_domain::Error;
use serde::{Deserialize, Serialize};

use crate::dynamo::{is_condition_failure, key, write_failed};
use crate::keys;
use crate::search::{own_pk, SearchIndex};

/// Where an image's owner-index entries were before a change too big for one
/// transaction moved them. It is kept on the record (`own_index_move`) until
/// the move is done.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IndexMove {
    pub sort_key: String,
    pub terms: Vec<String>,
}

impl SearchIndex {
    /// Where `image`'s owner-index entries are, to record before a move that
    /// does not fit in the transaction (see [`IndexMove`]).
    pub fn own_index_of(image: &Image) -> Option<IndexMove> {
        Self::entry(image).map(|(e, sort_key)| IndexMove {
            sort_key,
            terms: e.terms,
        })
    }

    /// Finishes the owner-index move `from` that the record of `image` (as
    /// just read) still notes: deletes the entries it moved from that
    /// `image` does not have, writes every entry `image` has, then clears the
    /// note if the record is still at `image.rev`. Safe to repeat.
    pub async fn finish_own_move(&self, image: &Image, from: &IndexMove) -> Result<(), Error> {
        let now = Self::own_keys(Some(image));
        let mut writes = Vec::new();
        for t in &from.terms {
            let k = (own_pk(&image.owner, t), from.sort_key.clone());
            if !now.contains_key(&k) {
                let d = DeleteRequest::builder()
                    .set_key(Some(key(k.0, k.1)))
                    .build()
                    .context("index delete")?;
                writes.push(WriteRequest::builder().delete_request(d).build());
            }
        }
        self.batch_write(writes).await?;
        self.update_own(None, Some(image)).await?;
        self.clear_own_move(&image.owner, &image.id, image.rev).await
    }

    /// Clears the record's owner-index move note, if the record is still at
    /// revision `rev` (a later change finishes or records its own move).
    pub async fn clear_own_move(&self, owner: &CustomerId, id: &ImageId, rev: u64) -> Result<(), Error> {
        let res = self
            .db
            .update_item()
            .table_name(&self.table)
            .set_key(Some(key(keys::customer_pk(owner), keys::image_sk(id))))
            .update_expression("REMOVE own_index_move")
            .condition_expression("#rev = :rev")
            .expression_attribute_names("#rev", "rev")
            .expression_attribute_values(":rev", AttributeValue::N(rev.to_string()))
            .send()
            .await;
        match res {
            Ok(_) => Ok(()),
            Err(e) if is_condition_failure(&e) => Ok(()),
            Err(e) => Err(write_failed(e, "clearing an index move")),
        }
    }
}
