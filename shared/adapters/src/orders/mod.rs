//! The orders table: quotes, orders, idempotency keys, guests' order
//! tokens, and labs ([`crate::labs`]).
//!
//! | pk                      | sk               | holds                                |
//! |-------------------------|------------------|--------------------------------------|
//! | `QUOTE#<quote>`         | `QUOTE`          | a quote, until its TTL               |
//! | `ORDER#<order>`         | `ORDER`          | an order, its lines and status       |
//! | `BUYER#<customer>`      | `ORDER#<order>`  | the customer's list of orders        |
//! | `IDEM#<scope>#<key>`    | `IDEM`           | an `Idempotency-Key`: fingerprint, state, order |
//! | `GUEST#<digest>`        | `GUEST`          | a guest's order token (SHA-256) → order |
//! | `WEBHOOK#<id>`          | `WEBHOOK`        | a payment webhook seen (M20), for 30 days |
//! | `ORDER#<order>`         | `LINE#<nn>`      | a line's stage as its lab reported it (M21) |
//!
//! An order's status moves only by conditional update, so a message or a
//! request that arrives twice changes nothing the second time.

mod disc;
mod idempotency;
mod lines;
mod payment;
mod place;

pub use idempotency::{Claim, KeyRef};
pub use lines::LineRecord;
pub use payment::Recorded;
pub use place::{PlaceRefusal, Placement};

use anyhow::Context;
use aws_sdk_dynamodb::types::AttributeValue;
use printvault_domain::ids::{CustomerId, OrderId, QuoteId};
use printvault_domain::order::{Order, Quote};
use printvault_domain::Error;
use std::collections::HashMap;

use crate::dynamo::{item_with_key, key, s};
use crate::{cursor, Page};

const ORDER_SK: &str = "ORDER";
const LISTING_PREFIX: &str = "ORDER#";

fn quote_pk(q: &QuoteId) -> String {
    format!("QUOTE#{q}")
}
fn order_pk(o: &OrderId) -> String {
    format!("ORDER#{o}")
}
fn buyer_pk(c: &CustomerId) -> String {
    format!("BUYER#{c}")
}
fn guest_pk(digest: &str) -> String {
    format!("GUEST#{digest}")
}

#[derive(Clone, Debug)]
pub struct OrderStore {
    db: aws_sdk_dynamodb::Client,
    table: String,
}

impl OrderStore {
    pub fn new(db: aws_sdk_dynamodb::Client, table: impl Into<String>) -> Self {
        Self {
            db,
            table: table.into(),
        }
    }

    pub async fn put_quote(&self, q: &Quote) -> Result<(), Error> {
        self.db
            .put_item()
            .table_name(&self.table)
            .set_item(Some(item_with_key(q, quote_pk(&q.quote_id), "QUOTE".into())?))
            .send()
            .await
            .context("saving a quote")?;
        Ok(())
    }

    pub async fn quote(&self, id: &QuoteId) -> Result<Option<Quote>, Error> {
        self.read(quote_pk(id), "QUOTE", "a quote").await
    }

    pub async fn get(&self, id: &OrderId) -> Result<Option<Order>, Error> {
        self.read(order_pk(id), ORDER_SK, "an order").await
    }

    async fn read<T: serde::de::DeserializeOwned>(
        &self,
        pk: String,
        sk: &str,
        what: &str,
    ) -> Result<Option<T>, Error> {
        crate::dynamo::get_one(&self.db, &self.table, pk, sk, what).await
    }

    /// The order a guest's token opens.
    pub async fn order_of_guest(&self, token_digest: &str) -> Result<Option<OrderId>, Error> {
        #[derive(serde::Deserialize)]
        struct Ref {
            order_id: OrderId,
        }
        Ok(self
            .read::<Ref>(guest_pk(token_digest), "GUEST", "a guest's order token")
            .await?
            .map(|r| r.order_id))
    }

    /// `customer`'s orders, newest first: one query for the page of IDs,
    /// one batch read for the orders.
    pub async fn list_for(
        &self,
        customer: &CustomerId,
        limit: u32,
        cursor: Option<&str>,
    ) -> Result<Page<Order>, Error> {
        let pk = buyer_pk(customer);
        let start = cursor
            .map(|c| cursor::decode(c, |sk| cursor::is_prefixed_id(sk, LISTING_PREFIX, OrderId::parse)))
            .transpose()?;
        let out = self
            .db
            .query()
            .table_name(&self.table)
            .key_condition_expression("pk = :pk AND begins_with(sk, :o)")
            .expression_attribute_values(":pk", s(&pk))
            .expression_attribute_values(":o", s(LISTING_PREFIX))
            .scan_index_forward(false)
            .limit(limit as i32)
            .set_exclusive_start_key(start.map(|sk| key(pk.clone(), sk)))
            .send()
            .await
            .context("listing orders")?;
        let ids: Vec<String> = out
            .items
            .unwrap_or_default()
            .iter()
            .filter_map(|i| i.get("sk").and_then(|v| v.as_s().ok()))
            .filter_map(|sk| sk.strip_prefix(LISTING_PREFIX).map(str::to_owned))
            .collect();
        let mut found: HashMap<String, Order> = HashMap::new();
        let keys = ids
            .iter()
            .map(|id| key(format!("ORDER#{id}"), ORDER_SK))
            .collect();
        for item in crate::dynamo::batch_get(&self.db, &self.table, keys).await? {
            let o: Order = serde_dynamo::from_item(item).context("decoding an order")?;
            found.insert(o.order_id.to_string(), o);
        }
        let next_cursor = out
            .last_evaluated_key
            .and_then(|k| k.get(crate::names::SK).and_then(|v| v.as_s().ok()).cloned())
            .map(|sk| cursor::encode(&sk));
        Ok(Page {
            items: ids.iter().filter_map(|id| found.remove(id)).collect(),
            next_cursor,
        })
    }
}

fn n(v: i64) -> AttributeValue {
    AttributeValue::N(v.to_string())
}
