//! Archive schedules and proposals (M29), in the images table.
//!
//! | pk | sk | holds | `due_pk` / `due_sk` |
//! |---|---|---|---|
//! | `CUST#<customer>` | `ARCHIVE` | `customer`; `open`: the open proposal's ID | `ARCH#<shard>` / `<YYYY-MM-DD>#<customer>`: the day the archive sweep looks at them next |
//! | `CUST#<customer>` | `ARCHPROP#<proposal>` | the proposal | — |
//!
//! The sweep Queries each shard's bucket for every sort key before the day
//! after today: all that is due, however late, and nothing more. Each
//! schedule it looks at moves to a later day in the same bucket, so a day
//! run again finds nothing left. A schedule is made by a customer's first
//! upload (`enter`) and moved forward by a change of their thresholds.
//!
//! At most one proposal is open per customer: the proposal is put in one
//! transaction with the schedule's `open`, on the condition that there is
//! none.

mod candidates;
mod proposals;

use anyhow::Context;
use aws_sdk_dynamodb::types::AttributeValue;
use printvault_domain::archive::ProposalStatus;
use printvault_domain::billing::{day_str, due_shard, DUE_SHARDS};
use printvault_domain::ids::{CustomerId, ProposalId};
use printvault_domain::Error;
use serde::{Deserialize, Serialize};
use time::{Date, Duration};

use crate::dynamo::{is_condition_failure, key, s, write_failed};
use crate::keys;
use crate::names::{DUE_INDEX, DUE_PK, DUE_SK};

/// The archive's records in the images table.
#[derive(Clone, Debug)]
pub struct ArchiveStore {
    pub(crate) db: aws_sdk_dynamodb::Client,
    pub(crate) table: String,
}

/// A customer's archive schedule as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Schedule {
    pub customer: CustomerId,
    /// The sort key in the `due` index (`<YYYY-MM-DD>#<customer>`); none
    /// when out of it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub due_sk: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub open: Option<ProposalId>,
}

impl Schedule {
    /// The day it is due, if it is.
    pub fn due(&self) -> Option<Date> {
        let day = self.due_sk.as_deref()?.split('#').next()?;
        Date::parse(day, &time::macros::format_description!("[year]-[month]-[day]")).ok()
    }
}

impl ArchiveStore {
    pub fn new(db: aws_sdk_dynamodb::Client, images_table: String) -> Self {
        Self {
            db,
            table: images_table,
        }
    }

    /// The customers whose look is due on `day` or before, every shard.
    pub async fn due_by(&self, day: Date) -> Result<Vec<CustomerId>, Error> {
        let before = day_str(day + Duration::days(1));
        let mut out = Vec::new();
        for shard in 0..DUE_SHARDS {
            let q = self
                .db
                .query()
                .table_name(&self.table)
                .index_name(DUE_INDEX)
                .key_condition_expression("#p = :p AND #s < :before")
                .expression_attribute_names("#p", DUE_PK)
                .expression_attribute_names("#s", DUE_SK)
                .expression_attribute_values(":p", s(keys::archive_due_pk(shard)))
                .expression_attribute_values(":before", s(&before))
                .projection_expression("customer");
            let mut start = None;
            loop {
                let page = q
                    .clone()
                    .set_exclusive_start_key(start)
                    .send()
                    .await
                    .context("querying the archive schedules due")?;
                for item in page.items.unwrap_or_default() {
                    #[derive(Deserialize)]
                    struct Due {
                        customer: CustomerId,
                    }
                    let d: Due = serde_dynamo::from_item(item).context("decoding an archive schedule")?;
                    out.push(d.customer);
                }
                start = page.last_evaluated_key;
                if start.is_none() {
                    break;
                }
            }
        }
        Ok(out)
    }

    /// `c`'s schedule, read consistently.
    pub async fn schedule(&self, c: &CustomerId) -> Result<Option<Schedule>, Error> {
        crate::dynamo::get_one(
            &self.db,
            &self.table,
            keys::customer_pk(c),
            keys::ARCHIVE_SCHEDULE_SK,
            "an archive schedule",
        )
        .await
    }

    /// Puts `c` in the index on `day`, unless they are in it already (a
    /// first upload; any upload again, which changes nothing).
    pub async fn enter(&self, c: &CustomerId, day: Date) -> Result<(), Error> {
        self.set_due(
            c,
            day,
            "SET customer = :c, #dp = if_not_exists(#dp, :dp), #ds = if_not_exists(#ds, :ds)",
        )
        .await
    }

    /// Looks at `c` on `day` (their thresholds changed): in the index then,
    /// wherever they were.
    pub async fn look_on(&self, c: &CustomerId, day: Date) -> Result<(), Error> {
        self.set_due(c, day, "SET customer = :c, #dp = :dp, #ds = :ds")
            .await
    }

    async fn set_due(&self, c: &CustomerId, day: Date, expression: &str) -> Result<(), Error> {
        self.db
            .update_item()
            .table_name(&self.table)
            .set_key(Some(key(keys::customer_pk(c), keys::ARCHIVE_SCHEDULE_SK)))
            .update_expression(expression)
            .expression_attribute_names("#dp", DUE_PK)
            .expression_attribute_names("#ds", DUE_SK)
            .expression_attribute_values(":c", s(c.as_str()))
            .expression_attribute_values(":dp", s(keys::archive_due_pk(due_shard(c.as_str()))))
            .expression_attribute_values(":ds", s(keys::archive_due_sk(&day_str(day), c)))
            .send()
            .await
            .map_err(|e| write_failed(e, "scheduling an archive look"))?;
        Ok(())
    }

    /// Moves `c`'s schedule from the day `was` (`YYYY-MM-DD`, as read) to
    /// `next`, out of the index when `None`. `false` when it moved
    /// meanwhile (their thresholds changed): it stays where that put it.
    pub async fn reschedule(&self, c: &CustomerId, was: &str, next: Option<Date>) -> Result<bool, Error> {
        let u = self
            .db
            .update_item()
            .table_name(&self.table)
            .set_key(Some(key(keys::customer_pk(c), keys::ARCHIVE_SCHEDULE_SK)))
            .expression_attribute_names("#dp", DUE_PK)
            .expression_attribute_names("#ds", DUE_SK)
            .condition_expression("#ds = :was")
            .expression_attribute_values(":was", s(keys::archive_due_sk(was, c)));
        let u = match next {
            Some(day) => u
                .update_expression("SET #dp = :dp, #ds = :ds")
                .expression_attribute_values(":dp", s(keys::archive_due_pk(due_shard(c.as_str()))))
                .expression_attribute_values(":ds", s(keys::archive_due_sk(&day_str(day), c))),
            None => u.update_expression("REMOVE #dp, #ds"),
        };
        match u.send().await {
            Ok(_) => Ok(true),
            Err(e) if is_condition_failure(&e) => Ok(false),
            Err(e) => Err(write_failed(e, "moving an archive schedule")),
        }
    }
}

pub(crate) fn status_av(st: ProposalStatus) -> Result<AttributeValue, Error> {
    Ok(serde_dynamo::to_attribute_value(st).context("encoding a proposal's status")?)
}
