//! `Idempotency-Key` records (IETF httpapi draft): the first request with a
//! key claims it for a lease; its order is written in the same transaction
//! that marks the key done. A twin request finds the key and is answered by
//! its state: done with the same body → the same order; another body → 422;
//! still running → 409. A lease that runs out (a crashed request) may be
//! claimed again by the same request only: another body is a 422 whatever
//! the lease. Keys are kept `idempotency_ttl_hours`; past that a key is
//! absent, for any body.

use anyhow::Context;
use aws_sdk_dynamodb::types::{TransactWriteItem, Update};
use printvault_domain::ids::OrderId;
use printvault_domain::order::IdempotencyKey;
use printvault_domain::Error;

use super::{n, OrderStore};
use crate::dynamo::{is_condition_failure, key, s, write_failed};

const SK: &str = "IDEM";

/// What a key's record says about this request.
#[derive(Debug, PartialEq, Eq)]
pub enum Claim {
    /// The key is this request's now, under `token`, until its lease ends.
    Fresh { token: String },
    /// The same request was done before: answer with its order.
    Replay(OrderId),
    /// The same key with another body (422).
    Mismatch,
    /// The first request with this key is still running (409).
    InFlight,
}

/// A key's record, within one scope (`printvault_domain::order::KeyScope`:
/// a customer, or one guest's address).
pub struct KeyRef<'a> {
    pub scope: &'a str,
    pub key: &'a IdempotencyKey,
}

impl KeyRef<'_> {
    fn pk(&self) -> String {
        format!("IDEM#{}#{}", self.scope, self.key.as_str())
    }
}

impl OrderStore {
    pub async fn claim_key(
        &self,
        k: &KeyRef<'_>,
        fingerprint: &str,
        now: i64,
        lease_secs: i64,
        ttl_secs: i64,
    ) -> Result<Claim, Error> {
        let token = printvault_domain::account::SessionToken::generate()
            .as_str()
            .to_owned();
        let put = self
            .db
            .put_item()
            .table_name(&self.table)
            .set_item(Some(
                [
                    ("pk".to_owned(), s(k.pk())),
                    ("sk".to_owned(), s(SK)),
                    ("fingerprint".to_owned(), s(fingerprint)),
                    ("state".to_owned(), s("started")),
                    ("token".to_owned(), s(&token)),
                    ("lease_until".to_owned(), n(now + lease_secs)),
                    ("ttl".to_owned(), n(now + ttl_secs)),
                ]
                .into(),
            ))
            .condition_expression(
                "attribute_not_exists(pk) OR #ttl < :now \
                 OR (#state = :started AND lease_until < :now AND fingerprint = :fp)",
            )
            .expression_attribute_names("#ttl", "ttl")
            .expression_attribute_names("#state", "state")
            .expression_attribute_values(":now", n(now))
            .expression_attribute_values(":started", s("started"))
            .expression_attribute_values(":fp", s(fingerprint))
            .send()
            .await;
        match put {
            Ok(_) => return Ok(Claim::Fresh { token }),
            Err(e) if is_condition_failure(&e) => {}
            Err(e) => return Err(write_failed(e, "claiming an idempotency key")),
        }
        let held = self
            .db
            .get_item()
            .table_name(&self.table)
            .set_key(Some(key(k.pk(), SK)))
            .consistent_read(true)
            .send()
            .await
            .context("reading an idempotency key")?
            .item
            .unwrap_or_default();
        let text = |a: &str| held.get(a).and_then(|v| v.as_s().ok()).map(String::as_str);
        if text("fingerprint").is_some_and(|f| f != fingerprint) {
            return Ok(Claim::Mismatch);
        }
        match (text("state"), text("order_id").map(OrderId::parse)) {
            (Some("done"), Some(Ok(order))) => Ok(Claim::Replay(order)),
            _ => Ok(Claim::InFlight),
        }
    }

    /// The transaction item that marks the key done with `order`, on the
    /// condition that this request still holds it.
    pub(crate) fn key_done(
        &self,
        k: &KeyRef<'_>,
        token: &str,
        order: &OrderId,
    ) -> Result<TransactWriteItem, Error> {
        let u = Update::builder()
            .table_name(&self.table)
            .set_key(Some(key(k.pk(), SK)))
            .update_expression("SET #state = :done, order_id = :o REMOVE lease_until")
            .condition_expression("#token = :t")
            .expression_attribute_names("#state", "state")
            .expression_attribute_names("#token", "token")
            .expression_attribute_values(":done", s("done"))
            .expression_attribute_values(":o", s(order.as_str()))
            .expression_attribute_values(":t", s(token))
            .build()
            .context("building an idempotency update")?;
        Ok(TransactWriteItem::builder().update(u).build())
    }

    /// Gives the key up after a refused request, so that it can be retried
    /// (with more points, say) under the same key.
    pub async fn release_key(&self, k: &KeyRef<'_>, token: &str) -> Result<(), Error> {
        let out = self
            .db
            .delete_item()
            .table_name(&self.table)
            .set_key(Some(key(k.pk(), SK)))
            .condition_expression("#token = :t AND #state = :started")
            .expression_attribute_names("#token", "token")
            .expression_attribute_names("#state", "state")
            .expression_attribute_values(":t", s(token))
            .expression_attribute_values(":started", s("started"))
            .send()
            .await;
        match out {
            Ok(_) => Ok(()),
            Err(e) if is_condition_failure(&e) => Ok(()),
            Err(e) => Err(write_failed(e, "releasing an idempotency key")),
        }
    }
}
