//! An image's move to the archive class (M32), in its record: a mover's
//! claim, then `archived`, each a conditional write; and the owner's ask
//! for the original back (`restore`), then S3's word that it is ready
//! (`printvault_domain::archive::Archived` says why). The `archived` mark
//! itself is the billing store's (`BillingStore::archive_image`): it moves
//! the image's bytes to the archive rate in the same transaction.

use anyhow::Context;
use aws_sdk_dynamodb::operation::update_item::builders::UpdateItemFluentBuilder;
use aws_sdk_dynamodb::types::AttributeValue;
use printvault_domain::archive::{ArchiveState, Archived, Restore};
use printvault_domain::ids::{CustomerId, ImageId};
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
        self.archive_update_of(&image.owner, &image.id)
    }

    fn archive_update_of(&self, owner: &CustomerId, id: &ImageId) -> UpdateItemFluentBuilder {
        self.db
            .update_item()
            .table_name(&self.table)
            .set_key(Some(key(keys::customer_pk(owner), keys::image_sk(id))))
            .expression_attribute_names("#arc", "archive")
            .expression_attribute_names("#state", "state")
    }

    /// Records `restore` as the archived `image`'s ask for its original
    /// back, over `prev`, its ask as read (none, or an expired one). `false`
    /// when the image is no longer archived or another ask came first.
    pub async fn ask_restore(
        &self,
        image: &Image,
        restore: &Restore,
        prev: Option<&Restore>,
    ) -> Result<bool, Error> {
        let value = serde_dynamo::to_attribute_value(restore).context("encoding a restore")?;
        let u = self
            .archive_update(image)
            .update_expression("SET #arc.#restore = :r")
            .expression_attribute_names("#restore", "restore")
            .expression_attribute_values(":r", value)
            .expression_attribute_values(":archived", state(ArchiveState::Archived));
        let u = match prev {
            None => u.condition_expression("#arc.#state = :archived AND attribute_not_exists(#arc.#restore)"),
            Some(p) => u
                .condition_expression("#arc.#state = :archived AND #arc.#restore.requested_at = :prev")
                .expression_attribute_values(":prev", s(p.requested_at.to_string())),
        };
        made(u.send().await, "recording a restore")
    }

    /// Marks the restore of `owner`'s image `id` ready at `at` (unless it
    /// was before), readable until `until`. Returns the restore as it now stands; `None` when the
    /// image is gone, not archived, or has no restore asked.
    pub async fn restore_ready(
        &self,
        owner: &CustomerId,
        id: &ImageId,
        at: Timestamp,
        until: Timestamp,
    ) -> Result<Option<Restore>, Error> {
        let out = self
            .archive_update_of(owner, id)
            .update_expression("SET #arc.#restore.ready_at = if_not_exists(#arc.#restore.ready_at, :at), #arc.#restore.#until = :until")
            .condition_expression("#arc.#state = :archived AND attribute_exists(#arc.#restore)")
            .expression_attribute_names("#restore", "restore")
            .expression_attribute_names("#until", "until")
            .expression_attribute_values(":archived", state(ArchiveState::Archived))
            .expression_attribute_values(":at", s(at.to_string()))
            .expression_attribute_values(":until", s(until.to_string()))
            .return_values(aws_sdk_dynamodb::types::ReturnValue::AllNew)
            .send()
            .await;
        match out {
            Ok(o) => {
                let image: Image =
                    serde_dynamo::from_item(o.attributes.unwrap_or_default()).context("decoding an image")?;
                Ok(image.archive.and_then(|a| a.restore))
            }
            Err(e) if is_condition_failure(&e) => Ok(None),
            Err(e) => Err(write_failed(e, "marking a restore ready")),
        }
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
