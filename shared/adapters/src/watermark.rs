//! A sweep's watermark: the last day whose due buckets it finished, one
//! item `SWEEP#<sweep>` / `WATERMARK` (`done_through`, `YYYY-MM-DD`) in the
//! table the sweep works in (billing: the billing table; retention and
//! anniversary: the images table).
//!
//! A run reads the days after the watermark, in order, and moves it only
//! past days it finished. The watermark only moves forward: the write is
//! conditional on the day stored being earlier, so two runs at once (a
//! retried schedule beside a late one) cannot move it back, and a run that
//! stops part way leaves it where the last finished day put it.

use anyhow::Context;
use printvault_domain::billing::{day_str, parse_day};
use printvault_domain::when::Timestamp;
use printvault_domain::Error;
use time::Date;

use crate::dynamo::{is_condition_failure, key, s, write_failed};

const SK: &str = "WATERMARK";

/// One sweep's watermark.
#[derive(Clone, Debug)]
pub struct Watermark {
    db: aws_sdk_dynamodb::Client,
    table: String,
    pk: String,
}

impl Watermark {
    /// The watermark of sweep `sweep` (`billing`, `retention`,
    /// `anniversary`) in `table`.
    pub fn new(db: aws_sdk_dynamodb::Client, table: impl Into<String>, sweep: &str) -> Self {
        Self {
            db,
            table: table.into(),
            pk: format!("SWEEP#{sweep}"),
        }
    }

    /// The last day finished; `None` before the first run.
    pub async fn done_through(&self) -> Result<Option<Date>, Error> {
        let out = self
            .db
            .get_item()
            .table_name(&self.table)
            .set_key(Some(key(&self.pk, SK)))
            .consistent_read(true)
            .send()
            .await
            .context("reading a sweep's watermark")?;
        let Some(day) = out
            .item
            .and_then(|mut i| i.remove("done_through"))
            .and_then(|v| v.as_s().ok().cloned())
        else {
            return Ok(None);
        };
        Ok(Some(parse_day(&day)?))
    }

    /// Moves the watermark to `day` if it is behind it; `false` when it
    /// already was at or past `day` (another run got there first).
    pub async fn advance(&self, day: Date, at: Timestamp) -> Result<bool, Error> {
        let mut item = key(&self.pk, SK);
        item.insert("done_through".into(), s(day_str(day)));
        item.insert("at".into(), s(at.to_string()));
        let res = self
            .db
            .put_item()
            .table_name(&self.table)
            .set_item(Some(item))
            .condition_expression("attribute_not_exists(done_through) OR done_through < :day")
            .expression_attribute_values(":day", s(day_str(day)))
            .send()
            .await;
        match res {
            Ok(_) => Ok(true),
            Err(e) if is_condition_failure(&e) => Ok(false),
            Err(e) => Err(write_failed(e, "moving a sweep's watermark")),
        }
    }
}
