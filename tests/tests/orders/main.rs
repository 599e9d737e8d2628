//! M15-M19 quotes, orders and points, end to end against moto: prices from
//! the permission model, an `Idempotency-Key` per order, points spent in the
//! same transaction as the order (two spends at once: one wins), cancelling
//! by reversal entries, and guests confirming by an emailed link.
//!
//! Every stack runs on the serialised moto server, so the parallel tests
//! see DynamoDB's transaction isolation, not moto's lack of it.

mod dead_ends;
mod dispatch;
mod guests;
mod idempotency;
mod interleavings;
mod lab_client;
mod lab_client_https;
mod lab_client_refusals;
mod lab_keys;
mod mail_limits;
mod money;
mod payments;
mod placing;
mod points;
mod quotes;
mod reports;
mod stages;

use integration_tests::orders::address;
use integration_tests::{Customer, TestEnv};
use reqwest::StatusCode;
use serde_json::{json, Value};

const LOCATION: &str = "tokyo-shibuya";

/// Ann buys; Olive owns the strangers' images Ann may or may not print.
struct Shop {
    env: TestEnv,
    ann: Customer,
    olive: Customer,
}

async fn shop() -> Shop {
    shop_with(|_| {}).await
}

/// A shop whose stack is adjusted by `f` (say, with no background dispatch).
async fn shop_with(f: impl FnOnce(&mut local_runner::StackOptions)) -> Shop {
    let env = TestEnv::with(f).await;
    env.lab("shibuya-lab", &[LOCATION, "delivery-kanto"]).await;
    let (ann, olive) = (env.new_customer().await, env.new_customer().await);
    Shop { env, ann, olive }
}

impl Shop {
    /// A ready image of `who`'s with `class`, and for printable ones the
    /// prices L ¥150 and 2L ¥400.
    async fn image(&self, who: &Customer, seed: u64, class: &str) -> String {
        let id = self.env.ready_image(who, seed).await;
        if class != "private" {
            let mut body = json!({"class": class});
            if class == "printable" {
                body["prices"] = json!({"L": 150, "2L": 400});
            }
            let (s, b) = self.env.put(&format!("/v1/images/{id}/class"), who, body).await;
            assert_eq!(s, StatusCode::OK, "{b}");
        }
        id
    }

    /// Pays `amount` for `order` as the provider would (a new webhook ID).
    async fn pay(&self, order: &str, amount: i64) {
        let id = format!("msg_{}", rand::random::<u32>());
        let p = local_runner::pay::Payment {
            api: &self.env.stack.api_url,
            order_id: order,
            amount,
            currency: "JPY",
            secret: printvault_domain::payment::LOCAL_SECRET,
            webhook_id: &id,
            timestamp: time::OffsetDateTime::now_utc().unix_timestamp(),
        };
        let (st, a) = local_runner::pay::send(&p).await.unwrap();
        assert_eq!(st, 200, "{a}");
    }

    /// Waits until print-dispatch has sent `order` to its lab.
    async fn wait_dispatched(&self, order: &str) {
        let path = format!("/v1/orders/{order}");
        integration_tests::eventually(30, "the order is dispatched", || async {
            self.env.get(&path, &self.ann).await.1["status"] == "dispatched"
        })
        .await
        .unwrap();
    }

    /// The body of an order of `quote` spending `points`.
    fn order_body(quote: &str, points: i64) -> Value {
        json!({"quote_id": quote, "points": points, "address": address()})
    }
}
