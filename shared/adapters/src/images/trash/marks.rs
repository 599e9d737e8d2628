//! The trash marks on an image record: putting it in (the retention
//! sweep's, conditioned on what it read; the owner's, whatever is in
//! flight), taking a mistaken one back, tidied, restored, and purging.

use anyhow::Context;
use aws_sdk_dynamodb::types::{AttributeValue, TransactWriteItem, Update};
use printvault_domain::billing::{day_str, due_shard};
use printvault_domain::ids::{CustomerId, ImageId};
use printvault_domain::image::Image;
use printvault_domain::retention::{DeletionAudit, Schedule};
use printvault_domain::trash::{self, Trashed, TrashedBy};
use printvault_domain::when::Timestamp;
use printvault_domain::Error;
use time::Date;

use super::super::retention::{audit_item, audit_sk, retention_bucket};
use super::super::{to_av, ImageStore};
use super::{entry_sk, record_key, STILL_TRASHED};
use crate::dynamo::{is_condition_failure, key, s, write_failed};
use crate::keys;

impl ImageStore {
    /// The retention sweep's trashing: moves `read` to the trash as `t`,
    /// only while its record is still the one read (revision, retention
    /// schedule; ready, not trashed, not being deleted), with `audit`, in
    /// one transaction. The mark takes it out of retention and the
    /// anniversary index, and puts it in the trash's `due` index, untidy.
    /// `false` (nothing written) when it changed or is gone.
    pub async fn mark_trashed(
        &self,
        read: &Image,
        t: &Trashed,
        audit: &DeletionAudit,
    ) -> Result<bool, Error> {
        let mut cond = vec![
            "attribute_exists(pk)",
            "attribute_not_exists(deleting)",
            "attribute_not_exists(#tr)",
            "#st = :ready",
        ];
        cond.push(if read.rev == 0 {
            "(attribute_not_exists(#rev) OR #rev = :rev)"
        } else {
            "#rev = :rev"
        });
        let mut mark = Update::builder()
            .table_name(&self.table)
            .set_key(Some(record_key(read)))
            .update_expression(
                "SET #tr = :t, #rev = :next, due_pk = :dp, due_sk = :ds REMOVE #r, anniv_pk, anniv_sk",
            )
            .expression_attribute_names("#st", "status")
            .expression_attribute_names("#tr", "trashed")
            .expression_attribute_names("#r", "retention")
            .expression_attribute_names("#rev", "rev")
            .expression_attribute_values(":t", to_av(t)?)
            .expression_attribute_values(":ready", s("ready"))
            .expression_attribute_values(":rev", AttributeValue::N(read.rev.to_string()))
            .expression_attribute_values(":next", AttributeValue::N((read.rev + 1).to_string()))
            .expression_attribute_values(":dp", s(trash::due_pk(due_shard(read.id.as_str()))))
            .expression_attribute_values(":ds", s(trash::due_sk(t, &read.id)));
        match &read.retention {
            Some(at) => {
                cond.push("#r.#step = :step AND #r.#on = :on");
                mark = mark
                    .expression_attribute_names("#step", "step")
                    .expression_attribute_names("#on", "on")
                    .expression_attribute_values(":step", s(at.step.as_str()))
                    .expression_attribute_values(":on", s(day_str(at.on)));
                match &at.notice_id {
                    Some(n) => {
                        cond.push("#r.#notice = :notice");
                        mark = mark
                            .expression_attribute_names("#notice", "notice_id")
                            .expression_attribute_values(":notice", s(n));
                    }
                    None => {
                        cond.push("attribute_not_exists(#r.#notice)");
                        mark = mark.expression_attribute_names("#notice", "notice_id");
                    }
                }
            }
            None => cond.push("attribute_not_exists(#r)"),
        }
        let mark = mark
            .condition_expression(cond.join(" AND "))
            .build()
            .context("building a trash mark")?;
        // One audit entry per image: a later trashing of an image its owner
        // restored writes it again.
        let audit = aws_sdk_dynamodb::types::Put::builder()
            .table_name(&self.table)
            .set_item(Some(audit_item(read, audit)))
            .condition_expression("attribute_not_exists(pk) OR #action = :restored")
            .expression_attribute_names("#action", "action")
            .expression_attribute_values(":restored", s("restored"))
            .build()
            .context("building an audit entry")?;
        let items = vec![
            TransactWriteItem::builder().update(mark).build(),
            TransactWriteItem::builder().put(audit).build(),
        ];
        crate::dynamo::transact(&self.db, items, "moving an image to the trash").await
    }

    /// The owner's trashing: moves their image `id` to the trash as `t`
    /// whatever changed since they last read it (an edit in flight loses,
    /// as it would to a delete), if it is ready and neither trashed nor
    /// being deleted. Returns the record as marked; `None` when it is not.
    pub async fn trash_now(
        &self,
        owner: &CustomerId,
        id: &ImageId,
        t: &Trashed,
    ) -> Result<Option<Image>, Error> {
        let res = self
            .db
            .update_item()
            .table_name(&self.table)
            .set_key(Some(key(keys::customer_pk(owner), keys::image_sk(id))))
            .condition_expression(
                "attribute_exists(pk) AND #st = :ready AND attribute_not_exists(deleting) AND attribute_not_exists(#tr)",
            )
            .update_expression(
                "SET #tr = :t, #rev = if_not_exists(#rev, :zero) + :one, due_pk = :dp, due_sk = :ds \
                 REMOVE #r, anniv_pk, anniv_sk",
            )
            .expression_attribute_names("#st", "status")
            .expression_attribute_names("#tr", "trashed")
            .expression_attribute_names("#r", "retention")
            .expression_attribute_names("#rev", "rev")
            .expression_attribute_values(":t", to_av(t)?)
            .expression_attribute_values(":ready", s("ready"))
            .expression_attribute_values(":zero", AttributeValue::N("0".into()))
            .expression_attribute_values(":one", AttributeValue::N("1".into()))
            .expression_attribute_values(":dp", s(trash::due_pk(due_shard(id.as_str()))))
            .expression_attribute_values(":ds", s(trash::due_sk(t, id)))
            .return_values(aws_sdk_dynamodb::types::ReturnValue::AllNew)
            .send()
            .await;
        match res {
            Ok(out) => out
                .attributes
                .map(|i| serde_dynamo::from_item(i).context("decoding an image"))
                .transpose()
                .map_err(Error::from),
            Err(e) if is_condition_failure(&e) => Ok(None),
            Err(e) => Err(write_failed(e, "moving an image to the trash")),
        }
    }

    /// Takes back [`Self::mark_trashed`] of `read` as `t` with its audit
    /// entry (the retention sweep's deletion was not due after all): the
    /// record is as read again, one revision on. Nothing changes if
    /// anything else moved it since.
    pub async fn unmark_trashed(&self, read: &Image, t: &Trashed) -> Result<(), Error> {
        let mut u = Update::builder()
            .table_name(&self.table)
            .set_key(Some(record_key(read)))
            .condition_expression(format!("{STILL_TRASHED} AND #tr.#tidy = :no AND #rev = :marked"))
            .expression_attribute_names("#tr", "trashed")
            .expression_attribute_names("#at", "at")
            .expression_attribute_names("#tidy", "tidy")
            .expression_attribute_names("#rev", "rev")
            .expression_attribute_values(":at", s(t.at.to_string()))
            .expression_attribute_values(":no", AttributeValue::Bool(false))
            .expression_attribute_values(":marked", AttributeValue::N((read.rev + 1).to_string()))
            .expression_attribute_values(":next", AttributeValue::N((read.rev + 2).to_string()));
        u = match &read.retention {
            Some(r) => u
                .update_expression("REMOVE #tr SET #rev = :next, #r = :r, due_pk = :dp, due_sk = :ds")
                .expression_attribute_names("#r", "retention")
                .expression_attribute_values(":r", to_av(r)?)
                .expression_attribute_values(":dp", s(retention_bucket(r.on, due_shard(read.id.as_str()))))
                .expression_attribute_values(":ds", s(read.id.as_str())),
            None => u.update_expression("REMOVE #tr, due_pk, due_sk SET #rev = :next"),
        };
        let items = vec![
            TransactWriteItem::builder()
                .update(u.build().context("building a trash unmark")?)
                .build(),
            crate::dynamo::delete(
                &self.table,
                keys::customer_pk(&read.owner),
                entry_sk(&read.id, t),
                None,
            )?,
            crate::dynamo::delete(
                &self.table,
                keys::customer_pk(&read.owner),
                audit_sk(&read.id),
                None,
            )?,
        ];
        crate::dynamo::transact(&self.db, items, "taking an image back out of the trash")
            .await
            .map(|_| ())
    }

    /// Takes `image` out of the trash (trashed as `t`, tidied, not being
    /// purged): the mark and listing entry go, its revision moves on, and
    /// its retention starts again from `today` (the owner wants it). A
    /// retention deletion's audit entry says it was restored. `false` when
    /// it is not trashed as `t` any more (purged, restored, or being purged).
    pub async fn untrash(
        &self,
        image: &Image,
        t: &Trashed,
        today: Date,
        now: Timestamp,
    ) -> Result<bool, Error> {
        let schedule = Schedule::review_from(today);
        // Back in the anniversary index (M28) if it has a date taken.
        let anniv = super::super::anniversaries::image_keys(&image.owner, &image.id, &image.attributes);
        let set = if anniv.is_some() {
            ", anniv_pk = :anp, anniv_sk = :ans"
        } else {
            ""
        };
        let mut u = Update::builder()
            .table_name(&self.table)
            .set_key(Some(record_key(image)))
            .condition_expression(format!("{STILL_TRASHED} AND #tr.#tidy = :yes"))
            .update_expression(format!(
                "REMOVE #tr SET #rev = #rev + :one, #r = :r, due_pk = :dp, due_sk = :ds{set}"
            ))
            .expression_attribute_names("#tr", "trashed")
            .expression_attribute_names("#at", "at")
            .expression_attribute_names("#tidy", "tidy")
            .expression_attribute_names("#rev", "rev")
            .expression_attribute_names("#r", "retention")
            .expression_attribute_values(":at", s(t.at.to_string()))
            .expression_attribute_values(":yes", AttributeValue::Bool(true))
            .expression_attribute_values(":one", AttributeValue::N("1".into()))
            .expression_attribute_values(":r", to_av(&schedule)?)
            .expression_attribute_values(":dp", s(retention_bucket(today, due_shard(image.id.as_str()))))
            .expression_attribute_values(":ds", s(image.id.as_str()));
        if let Some((pk, sk)) = anniv {
            u = u
                .expression_attribute_values(":anp", s(pk))
                .expression_attribute_values(":ans", s(sk));
        }
        let u = u.build().context("building a restore from the trash")?;
        let mut items = vec![
            TransactWriteItem::builder().update(u).build(),
            crate::dynamo::delete(
                &self.table,
                keys::customer_pk(&image.owner),
                entry_sk(&image.id, t),
                None,
            )?,
        ];
        if t.by == TrashedBy::Retention {
            let a = Update::builder()
                .table_name(&self.table)
                .set_key(Some(key(keys::customer_pk(&image.owner), audit_sk(&image.id))))
                .condition_expression("attribute_exists(pk)")
                .update_expression("SET #action = :restored, restored_at = :now")
                .expression_attribute_names("#action", "action")
                .expression_attribute_values(":restored", s("restored"))
                .expression_attribute_values(":now", s(now.to_string()))
                .build()
                .context("building an audit entry's restore")?;
            items.push(TransactWriteItem::builder().update(a).build());
        }
        crate::dynamo::transact(&self.db, items, "restoring an image from the trash").await
    }
}
