//! Failed-login counts (`printvault_domain::guessing`), one item per key,
//! kept until `expires_at` (TTL; also checked on read, as TTL deletion lags).

use anyhow::Context;
use aws_sdk_dynamodb::types::{AttributeValue, ReturnValue};
use printvault_domain::guessing::{Counted, Failures};
use printvault_domain::settings::GuessingSettings;
use printvault_domain::Error;

use super::AccountStore;
use crate::dynamo::{is_condition_failure, key, write_failed};
use crate::keys;

fn pk(what: Counted, key: &str) -> String {
    match what {
        Counted::Account => keys::guess_account_pk(key),
        Counted::Source => keys::guess_source_pk(key),
    }
}

fn n(v: i64) -> AttributeValue {
    AttributeValue::N(v.to_string())
}

fn number(item: &crate::dynamo::Item, name: &str) -> i64 {
    item.get(name)
        .and_then(|v| v.as_n().ok())
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}

impl AccountStore {
    /// The failures counted against `key` and still remembered at `now`.
    pub async fn failures(&self, what: Counted, key_: &str, now: i64) -> Result<Failures, Error> {
        let out = self
            .db
            .get_item()
            .table_name(&self.table)
            .set_key(Some(key(pk(what, key_), keys::GUESS_SK)))
            .consistent_read(true)
            .send()
            .await
            .context("reading a failed-login count")?;
        Ok(match out.item {
            Some(i) if number(&i, "expires_at") > now => Failures {
                count: number(&i, "count") as u32,
                locked_until: number(&i, "locked_until"),
            },
            _ => Failures::default(),
        })
    }

    /// Counts one more failure against `key` at `now` and sets the lock it
    /// earns; returns the count and lock now in force.
    pub async fn record_failure(
        &self,
        what: Counted,
        key_: &str,
        now: i64,
        cfg: &GuessingSettings,
    ) -> Result<Failures, Error> {
        let k = key(pk(what, key_), keys::GUESS_SK);
        let expires = n(now + cfg.memory_secs());
        // A count past its expiry (TTL not yet run) starts again at one.
        let res = self
            .db
            .update_item()
            .table_name(&self.table)
            .set_key(Some(k.clone()))
            .update_expression("ADD #c :one SET expires_at = :exp")
            .condition_expression("attribute_not_exists(pk) OR expires_at > :now")
            .expression_attribute_names("#c", "count")
            .expression_attribute_values(":one", n(1))
            .expression_attribute_values(":exp", expires.clone())
            .expression_attribute_values(":now", n(now))
            .return_values(ReturnValue::AllNew)
            .send()
            .await;
        let count = match res {
            Ok(out) => number(&out.attributes.unwrap_or_default(), "count") as u32,
            Err(e) if is_condition_failure(&e) => {
                self.db
                    .update_item()
                    .table_name(&self.table)
                    .set_key(Some(k.clone()))
                    .update_expression("SET #c = :one, expires_at = :exp REMOVE locked_until")
                    .expression_attribute_names("#c", "count")
                    .expression_attribute_values(":one", n(1))
                    .expression_attribute_values(":exp", expires)
                    .send()
                    .await
                    .map_err(|e| write_failed(e, "restarting a failed-login count"))?;
                1
            }
            Err(e) => return Err(write_failed(e, "counting a failed login")),
        };
        let Some(until) = cfg.locked_until(what, count, now) else {
            return Ok(Failures {
                count,
                locked_until: 0,
            });
        };
        // Never shortens a lock a concurrent failure set.
        let res = self
            .db
            .update_item()
            .table_name(&self.table)
            .set_key(Some(k))
            .update_expression("SET locked_until = :l")
            .condition_expression("attribute_not_exists(locked_until) OR locked_until < :l")
            .expression_attribute_values(":l", n(until))
            .send()
            .await;
        match res {
            Ok(_) => {}
            Err(e) if is_condition_failure(&e) => {}
            Err(e) => return Err(write_failed(e, "locking logins")),
        }
        Ok(Failures {
            count,
            locked_until: until,
        })
    }

    /// Forgets the failures counted against `key` (after a success).
    pub async fn forget_failures(&self, what: Counted, key_: &str) -> Result<(), Error> {
        self.db
            .delete_item()
            .table_name(&self.table)
            .set_key(Some(key(pk(what, key_), keys::GUESS_SK)))
            .send()
            .await
            .map_err(|e| write_failed(e, "forgetting failed logins"))?;
        Ok(())
    }
}
