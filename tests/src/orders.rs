//! Orders as a client makes them: labs, quotes, orders with an
//! `Idempotency-Key`, and points set up through the ledger.

use crate::{Caller, TestEnv, OPERATOR_KEY};
use printvault_domain::ids::CustomerId;
use printvault_domain::ledger::goodwill;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

/// A delivery address every test can use.
pub fn address() -> Value {
    json!({"name": "Ann Example", "postal_code": "150-0002", "region": "Tokyo",
           "locality": "Shibuya-ku", "street": "2-21-1 Shibuya"})
}

/// What `POST /v1/orders` answered.
#[derive(Debug)]
pub struct Answer {
    pub status: StatusCode,
    pub replayed: bool,
    pub body: Value,
}

impl TestEnv {
    /// Registers lab `id` for `locations`; returns its reporting key.
    pub async fn lab(&self, id: &str, locations: &[&str]) -> String {
        let res = self
            .http
            .put(self.url(&format!("/v1/operator/labs/{id}")))
            .header("x-operator-key", OPERATOR_KEY)
            .json(&json!({"name": format!("Lab {id}"), "locations": locations}))
            .send()
            .await
            .expect("api answers");
        let status = res.status();
        let body: Value = res.json().await.expect("JSON");
        assert_eq!(status, StatusCode::CREATED, "{body}");
        body["key"].as_str().expect("a new lab's key").to_owned()
    }

    /// Asks for a quote of `lines` (`(image_id, size, quantity)`) at `location`.
    pub async fn quote(
        &self,
        who: impl Caller,
        lines: &[(&str, &str, u32)],
        location: &str,
    ) -> (StatusCode, Value) {
        let lines: Vec<Value> = lines
            .iter()
            .map(|(id, size, n)| json!({"image_id": id, "size": size, "quantity": n}))
            .collect();
        self.post("/v1/quotes", who, json!({"lines": lines, "location": location}))
            .await
    }

    /// A quote that must succeed; returns its ID.
    pub async fn quote_id(&self, who: impl Caller, lines: &[(&str, &str, u32)], location: &str) -> String {
        let (s, q) = self.quote(who, lines, location).await;
        assert_eq!(s, StatusCode::CREATED, "{q}");
        q["quote_id"].as_str().expect("quote_id").to_owned()
    }

    /// `POST /v1/orders` with `key` (None: no header) and `body`.
    pub async fn order(&self, who: impl Caller, key: Option<&str>, body: &Value) -> Answer {
        let mut req = self.http.request(Method::POST, self.url("/v1/orders")).json(body);
        if let Some(t) = who.token() {
            req = req.bearer_auth(t);
        }
        if let Some(k) = key {
            req = req.header("idempotency-key", k);
        }
        let res = req.send().await.expect("api answers");
        let status = res.status();
        let replayed = res.headers().get("idempotent-replayed").is_some();
        let body = res.json().await.expect("JSON");
        Answer {
            status,
            replayed,
            body,
        }
    }

    /// Gives `customer` `points` through the ledger, as customer service would.
    pub async fn give_points(&self, customer: &CustomerId, points: i64) {
        let id = format!("test:{}", rand::random::<u64>());
        let j = goodwill(&id, customer, points, "test points").expect("a journal");
        let posted = self
            .stack
            .api_state
            .stores
            .ledger
            .post(&j, "2026-11-29T00:00:00Z")
            .await
            .expect("posting points");
        assert!(posted, "points given");
    }

    /// Balance as the api reports it.
    pub async fn balance(&self, who: impl Caller) -> i64 {
        let (s, b) = self.get("/v1/points", who).await;
        assert_eq!(s, StatusCode::OK, "{b}");
        b["balance"].as_i64().expect("balance")
    }

    /// Fails the test if any ledger balance is not the sum of its entries,
    /// any customer is below zero, or any journal does not sum to zero.
    pub async fn audit_ledger(&self) {
        let audit = self.stack.api_state.stores.ledger.audit().await.expect("audit");
        assert!(audit.problems.is_empty(), "ledger problems: {:?}", audit.problems);
    }
}
