//! The `export` function's writes to a job: each step claims it for a
//! lease (`lease_token`, `lease_until`), and every later write is
//! conditioned on that token, so a second delivery of the same message,
//! or a message from before a hand-over, cannot write beside it.

use anyhow::Context;
use aws_sdk_dynamodb::types::{AttributeValue, ReturnValue, TransactWriteItem, Update};
use printvault_domain::export::job::{part_slot, ExportJob, ExportPart, ExportState};
use printvault_domain::ids::{CustomerId, ExportId};
use printvault_domain::when::Timestamp;
use printvault_domain::Error;

use super::{job_sk, n, ExportStore, RUNNING_SK};
use crate::dynamo::{self, failed_conditions, is_condition_failure, s, write_failed};
use crate::keys;

/// What a step's claim found.
#[derive(Debug)]
pub enum Claimed {
    /// The job is this step's until its lease ends.
    Mine(Box<ExportJob>),
    /// The step is behind the job, or the job is finished or gone: the
    /// message has nothing left to do.
    Stale,
    /// The step is ahead of the job (its hand-over is not written yet), or
    /// another delivery holds the lease: try again later.
    NotYet,
}

fn value<T: serde::Serialize>(v: &T) -> Result<AttributeValue, Error> {
    Ok(serde_dynamo::to_attribute_value(v).context("encoding an export's field")?)
}

impl ExportStore {
    fn update(
        &self,
        owner: &CustomerId,
        id: &ExportId,
    ) -> aws_sdk_dynamodb::operation::update_item::builders::UpdateItemFluentBuilder {
        self.db
            .update_item()
            .table_name(&self.table)
            .set_key(Some(dynamo::key(keys::customer_pk(owner), job_sk(id))))
    }

    /// Claims `id` for `step` under `token` until `lease_until` (unix
    /// seconds), at `now`.
    pub async fn claim(
        &self,
        owner: &CustomerId,
        id: &ExportId,
        step: u32,
        token: &str,
        (now, lease_until): (i64, i64),
    ) -> Result<Claimed, Error> {
        let out = self
            .update(owner, id)
            .update_expression("SET #state = :running, lease_token = :t, lease_until = :until")
            .condition_expression(
                "attribute_exists(pk) AND #step = :step AND #state IN (:queued, :running) \
                 AND (attribute_not_exists(lease_until) OR lease_until < :now)",
            )
            .expression_attribute_names("#state", "state")
            .expression_attribute_names("#step", "step")
            .expression_attribute_values(":running", s(ExportState::Running.as_str()))
            .expression_attribute_values(":queued", s(ExportState::Queued.as_str()))
            .expression_attribute_values(":t", s(token))
            .expression_attribute_values(":until", n(lease_until))
            .expression_attribute_values(":now", n(now))
            .expression_attribute_values(":step", n(i64::from(step)))
            .return_values(ReturnValue::AllNew)
            .send()
            .await;
        match out {
            Ok(o) => {
                let job = serde_dynamo::from_item(o.attributes.unwrap_or_default())
                    .context("decoding an export")?;
                Ok(Claimed::Mine(Box::new(job)))
            }
            Err(e) if is_condition_failure(&e) => Ok(match self.get(owner, id).await? {
                Some(job) if !job.state.is_final() && job.step <= step => Claimed::NotYet,
                _ => Claimed::Stale,
            }),
            Err(e) => Err(write_failed(e, "claiming an export")),
        }
    }

    /// Applies `set` (with `names` and `values`) while `token` holds the job.
    async fn held(
        &self,
        (owner, id, token): (&CustomerId, &ExportId, &str),
        set: &str,
        names: Vec<(String, String)>,
        values: Vec<(&str, AttributeValue)>,
        what: &str,
    ) -> Result<(), Error> {
        let mut u = self
            .update(owner, id)
            .update_expression(set)
            .condition_expression("lease_token = :t")
            .expression_attribute_values(":t", s(token));
        for (k, v) in values {
            u = u.expression_attribute_values(k, v);
        }
        for (k, v) in names {
            u = u.expression_attribute_names(k, v);
        }
        match u.send().await {
            Ok(_) => Ok(()),
            Err(e) if is_condition_failure(&e) => Err(Error::Conflict(printvault_domain::Clash::Raced)),
            Err(e) => Err(write_failed(e, what)),
        }
    }

    /// Records the plan's totals.
    pub async fn planned(
        &self,
        owner: &CustomerId,
        id: &ExportId,
        token: &str,
        (parts, images, bytes): (u32, u32, u64),
    ) -> Result<(), Error> {
        let set = "SET parts_total = :p, images_total = :i, bytes_total = :b";
        let values = vec![
            (":p", n(i64::from(parts))),
            (":i", n(i64::from(images))),
            (":b", value(&bytes)?),
        ];
        self.held(
            (owner, id, token),
            set,
            vec![],
            values,
            "recording an export's plan",
        )
        .await
    }

    /// Records part `part` written, and the images written so far.
    pub async fn part_done(
        &self,
        owner: &CustomerId,
        id: &ExportId,
        token: &str,
        part: &ExportPart,
        (images_done, bytes_done): (u32, u64),
    ) -> Result<(), Error> {
        let set = "SET #parts.#slot = :part, images_done = :i, bytes_done = :b";
        let names = vec![
            ("#parts".to_owned(), "parts".to_owned()),
            ("#slot".to_owned(), part_slot(part.part)),
        ];
        let values = vec![
            (":part", value(part)?),
            (":i", n(i64::from(images_done))),
            (":b", value(&bytes_done)?),
        ];
        self.held(
            (owner, id, token),
            set,
            names,
            values,
            "recording an export's part",
        )
        .await
    }

    /// Moves the job on to `next` step and lets its lease go, with the
    /// images written so far. The message for `next` is already queued.
    pub async fn hand_over(
        &self,
        owner: &CustomerId,
        id: &ExportId,
        token: &str,
        next: u32,
        (images_done, bytes_done): (u32, u64),
    ) -> Result<(), Error> {
        let set = "SET #step = :next, images_done = :i, bytes_done = :b REMOVE lease_token, lease_until";
        let values = vec![
            (":next", n(i64::from(next))),
            (":i", n(i64::from(images_done))),
            (":b", value(&bytes_done)?),
        ];
        let names = vec![("#step".to_owned(), "step".to_owned())];
        self.held((owner, id, token), set, names, values, "handing an export over")
            .await
    }

    /// Ends the job as `state` at `at` (done: its parts downloadable until
    /// `parts_expire_at`; failed: `reason`), and lets its running marker
    /// go, if it is still this job's.
    pub async fn finish(
        &self,
        job: &ExportJob,
        token: &str,
        parts_expire_at: Option<Timestamp>,
        reason: Option<&str>,
        at: Timestamp,
    ) -> Result<(), Error> {
        let pk = keys::customer_pk(&job.customer_id);
        let state = if reason.is_some() {
            ExportState::Failed
        } else {
            ExportState::Done
        };
        let u = Update::builder()
            .table_name(&self.table)
            .set_key(Some(dynamo::key(pk.clone(), job_sk(&job.export_id))))
            .update_expression(
                "SET #state = :state, finished_at = :at, parts_expire_at = :exp, #reason = :why \
                 REMOVE lease_token, lease_until",
            )
            .condition_expression("lease_token = :t")
            .expression_attribute_names("#state", "state")
            .expression_attribute_names("#reason", "reason")
            .expression_attribute_values(":state", s(state.as_str()))
            .expression_attribute_values(":at", value(&at)?)
            .expression_attribute_values(":exp", value(&parts_expire_at)?)
            .expression_attribute_values(":why", value(&reason)?)
            .expression_attribute_values(":t", s(token))
            .build()
            .context("building an export's end")?;
        let d = aws_sdk_dynamodb::types::Delete::builder()
            .table_name(&self.table)
            .set_key(Some(dynamo::key(pk, RUNNING_SK)))
            .condition_expression("export_id = :id")
            .expression_attribute_values(":id", s(job.export_id.as_str()))
            .build()
            .context("building an export's end")?;
        let both = vec![
            TransactWriteItem::builder().update(u.clone()).build(),
            TransactWriteItem::builder().delete(d).build(),
        ];
        let out = self
            .db
            .transact_write_items()
            .set_transact_items(Some(both))
            .send()
            .await;
        let failed = match out {
            Ok(_) => return Ok(()),
            Err(e) => match failed_conditions(&e) {
                Some(failed) => failed,
                None => return Err(write_failed(e, "ending an export")),
            },
        };
        if failed.first() == Some(&true) {
            return Err(Error::Conflict(printvault_domain::Clash::Raced));
        }
        // The marker is another export's (this one was taken for
        // abandoned): end this job alone.
        let alone = vec![TransactWriteItem::builder().update(u).build()];
        match self
            .db
            .transact_write_items()
            .set_transact_items(Some(alone))
            .send()
            .await
        {
            Ok(_) => Ok(()),
            Err(e) if failed_conditions(&e).is_some() => {
                Err(Error::Conflict(printvault_domain::Clash::Raced))
            }
            Err(e) => Err(write_failed(e, "ending an export")),
        }
    }
}
