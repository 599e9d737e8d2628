//! An image's move to the archive class (M32), in its record: a mover's
//! claim, then `archived`, each a conditional write
//! (`printvault_domain::archive::Archived` says why). The `archived` mark
//! itself is the billing store's (`BillingStore::archive_image`): it moves
//! the image's bytes to the archive rate in the same transaction.

use anyhow::Context;
use aws_sdk_dynamodb::operation::update_item::builders::UpdateItemFluentBuilder;
use aws_sdk_dynamodb::types::AttributeValue;
use printvault_domain::archive::{ArchiveState, Archived};
use printvault_domain::image::Image;
use printvault_domain::when::Timestamp;
use printvault_domain::Error;

use super::ImageStore;
use crate::dynamo::{is_condition_failure, key, s, write_failed};
use crate::keys;

fn state(st: ArchiveState) -> AttributeValue {
    s(match st {
        ArchiveState::Moving => "moving",
        ArchiveState::Archived => "archived",
    })
}

/// Whether a conditional update was made (`false`: its condition failed).
fn made<T>(
    out: Result<
        T,
        aws_sdk_dynamodb::error::SdkError<aws_sdk_dynamodb::operation::update_item::UpdateItemError>,
    >,
    what: &str,
) -> Result<bool, Error> {
    match out {
        Ok(_) => Ok(true),
        Err(e) if is_condition_failure(&e) => Ok(false),
        Err(e) => Err(write_failed(e, what)),
    }
}

impl ImageStore {
    /// An update of `image`'s record, with `#arc` (`archive`) and `#state`
    /// named.
    fn archive_update(&self, image: &Image) -> UpdateItemFluentBuilder {
        self.db
            .update_item()
            .table_name(&self.table)
            .set_key(Some(key(
                keys::customer_pk(&image.owner),
                keys::image_sk(&image.id),
            )))
            .expression_attribute_names("#arc", "archive")
            .expression_attribute_names("#state", "state")
    }

    /// Writes mover claim `claim` on `image` if it is still ready, not
    /// being deleted, and unclaimed, claimed by the same mover, or claimed
    /// for the same disc by a mover whose lease ran out by `now`. `false`
    /// otherwise.
    pub async fn claim_move(&self, image: &Image, claim: &Archived, now: Timestamp) -> Result<bool, Error> {
        let value = serde_dynamo::to_attribute_value(claim).context("encoding a move's claim")?;
        let out = self
            .archive_update(image)
            .update_expression("SET #arc = :claim")
            .condition_expression(
                "#st = :ready AND (attribute_not_exists(deleting) OR deleting = :no) AND \
                 (attribute_not_exists(#arc) OR (#arc.disc_id = :disc AND #arc.#state = :moving AND \
                 (#arc.mover = :me OR #arc.lease_until <= :now)))",
            )
            .expression_attribute_names("#st", "status")
            .expression_attribute_values(":claim", value)
            .expression_attribute_values(":ready", s("ready"))
            .expression_attribute_values(":no", AttributeValue::Bool(false))
            .expression_attribute_values(":disc", s(claim.disc_id.as_str()))
            .expression_attribute_values(":moving", state(ArchiveState::Moving))
            .expression_attribute_values(":me", s(claim.mover.clone().unwrap_or_default()))
            .expression_attribute_values(":now", AttributeValue::N(now.unix().to_string()))
            .send()
            .await;
        made(out, "claiming an image's move")
    }

    /// Removes mover `me`'s claim on `image`, if it still holds it.
    pub async fn release_move(&self, image: &Image, me: &str) -> Result<(), Error> {
        let out = self
            .archive_update(image)
            .update_expression("REMOVE #arc")
            .condition_expression("#arc.#state = :moving AND #arc.mover = :me")
            .expression_attribute_values(":moving", state(ArchiveState::Moving))
            .expression_attribute_values(":me", s(me))
            .send()
            .await;
        made(out, "releasing an image's move").map(|_| ())
    }
}
