//! Per-address mail counts (`printvault_domain::settings::MailSettings`):
//! one item per address and window, `MAILCOUNT#<sha256 of the address>` /
//! `HOUR#<unix hour>` or `DAY#<unix day>`, counted by a conditional `ADD`
//! (atomic, so two requests at once can never both take the last mail) and
//! removed by TTL an hour after its window ends. The window is in the key,
//! so a count never needs resetting.

use aws_sdk_dynamodb::types::AttributeValue;
use printvault_domain::Error;

use super::AccountStore;
use crate::dynamo::{is_condition_failure, key, write_failed};
use crate::keys;

fn n(v: i64) -> AttributeValue {
    AttributeValue::N(v.to_string())
}

/// The counts' windows, in seconds.
const HOUR: i64 = 3600;
const DAY: i64 = 24 * HOUR;

impl AccountStore {
    /// Counts one more mail to the address with SHA-256 `digest` at `now`
    /// (unix seconds), if that keeps it within `per_hour` in this clock hour
    /// and `per_day` in this UTC day; returns whether it did (false: the
    /// mail must not be sent). A mail refused by the day's count has still
    /// used one of the hour's, which only ever errs towards sending less.
    pub async fn count_mail(
        &self,
        digest: &str,
        now: i64,
        per_hour: u32,
        per_day: u32,
    ) -> Result<bool, Error> {
        for (prefix, len, limit) in [("HOUR", HOUR, per_hour), ("DAY", DAY, per_day)] {
            let window = now.div_euclid(len);
            let res = self
                .db
                .update_item()
                .table_name(&self.table)
                .set_key(Some(key(
                    keys::mail_count_pk(digest),
                    format!("{prefix}#{window}"),
                )))
                .update_expression("ADD #c :one SET expires_at = :exp")
                .condition_expression("attribute_not_exists(#c) OR #c < :limit")
                .expression_attribute_names("#c", "count")
                .expression_attribute_values(":one", n(1))
                .expression_attribute_values(":limit", n(i64::from(limit)))
                .expression_attribute_values(":exp", n((window + 1) * len + HOUR))
                .send()
                .await;
            match res {
                Ok(_) => {}
                Err(e) if is_condition_failure(&e) => return Ok(false),
                Err(e) => return Err(write_failed(e, "counting a mail to an address")),
            }
        }
        Ok(true)
    }
}
