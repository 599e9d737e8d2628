//! Settling an upload: its record leaves `pending` for its outcome once,
//! and a ready one goes on its owner's storage meter in the same write.

use anyhow::Context;
use aws_sdk_dynamodb::types::{AttributeValue, Delete, TransactWriteItem, Update};
use printvault_domain::ids::{CustomerId, ImageId};
use printvault_domain::Error;

use super::to_av;
use super::{anniversaries, ImageStore};
use crate::dynamo::{key, s};
use crate::keys;
use printvault_domain::upload::Outcome;

/// What one try at settling an upload did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SettleAttempt {
    /// The record has its outcome (and, when ready, is on its meter).
    Done,
    /// The record had left `pending` (a redelivery, or deleted): nothing changed.
    NotPending,
    /// The meter moved since it was read: nothing changed; read it again.
    MeterMoved,
}

impl ImageStore {
    /// Moves a pending upload to its outcome, which never lapses (nor does
    /// its ID's pointer from now on), and drops its pending marker, in one
    /// transaction. A ready outcome may carry its meter's write (from
    /// `BillingStore::meter_in_item`) and the second it is metered from: the
    /// record is then `ready` and `metered` in the same write, so nobody ever
    /// sees a ready image that billing has not started on. Nothing changes
    /// unless the answer is [`SettleAttempt::Done`].
    pub async fn settle(
        &self,
        owner: &CustomerId,
        id: &ImageId,
        outcome: &Outcome,
        meter: Option<(TransactWriteItem, i64)>,
    ) -> Result<SettleAttempt, Error> {
        let req = Update::builder()
            .table_name(&self.table)
            .set_key(Some(key(keys::customer_pk(owner), keys::image_sk(id))))
            .condition_expression("#st = :pending AND attribute_not_exists(deleting)")
            .expression_attribute_names("#st", "status")
            .expression_attribute_values(":pending", s("pending"));
        let req = match outcome {
            Outcome::Ready {
                finalised,
                attributes,
            } => {
                // A date taken puts the image in the anniversary index (M28).
                let (mut set, mut remove, mut values) = (Vec::new(), Vec::new(), Vec::new());
                anniversaries::set_image_keys(owner, id, attributes, &mut set, &mut remove, &mut values);
                if let Some((_, t)) = &meter {
                    set.push("metered = :metered");
                    values.push((":metered", AttributeValue::N(t.to_string())));
                }
                let mut req = req
                    .update_expression(format!(
                        "SET #st = :ready, finalised = :f, attributes = :a{} REMOVE expires_at",
                        set.iter().map(|c| format!(", {c}")).collect::<String>()
                    ))
                    .expression_attribute_values(":ready", s("ready"))
                    .expression_attribute_values(":f", to_av(finalised)?)
                    .expression_attribute_values(":a", to_av(attributes)?);
                for (k, v) in values {
                    req = req.expression_attribute_values(k, v);
                }
                req
            }
            Outcome::Rejected(r) => req
                .update_expression("SET #st = :rejected, rejection = :r REMOVE expires_at")
                .expression_attribute_values(":rejected", s("rejected"))
                .expression_attribute_values(":r", to_av(r)?),
            Outcome::Duplicate(of) => req
                .update_expression("SET #st = :dup, duplicate_of = :d REMOVE expires_at")
                .expression_attribute_values(":dup", s("duplicate"))
                .expression_attribute_values(":d", s(of.as_str())),
        };
        let drop_marker = Delete::builder()
            .table_name(&self.table)
            .set_key(Some(key(keys::customer_pk(owner), keys::pending_upload_sk(id))))
            .build()
            .context("building the marker's delete")?;
        let keep_reference = Update::builder()
            .table_name(&self.table)
            .set_key(Some(key(keys::image_ref_pk(id), keys::IMAGE_REF_SK)))
            .condition_expression("attribute_exists(pk)")
            .update_expression("REMOVE expires_at")
            .build()
            .context("building the reference's update")?;
        let mut items = vec![
            TransactWriteItem::builder()
                .update(req.build().context("building the settle")?)
                .build(),
            TransactWriteItem::builder().delete(drop_marker).build(),
            TransactWriteItem::builder().update(keep_reference).build(),
        ];
        let metered = matches!(outcome, Outcome::Ready { .. }) && meter.is_some();
        if let (Some((item, _)), true) = (meter, metered) {
            items.push(item);
        }
        Ok(
            match crate::dynamo::transact_checked(&self.db, items, "settling an upload").await? {
                Ok(()) => SettleAttempt::Done,
                Err(failed) if failed.first() == Some(&true) || !metered => SettleAttempt::NotPending,
                Err(_) => SettleAttempt::MeterMoved,
            },
        )
    }
}
