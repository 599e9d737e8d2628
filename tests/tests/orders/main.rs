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
use local_runner::pay::{self, Payment};
use printvault_domain::payment::LOCAL_SECRET;
use reqwest::StatusCode;
use serde_json::{json, Value};

const LOCATION: &str = "tokyo-shibuya";

fn now() -> i64 {
    time::OffsetDateTime::now_utc().unix_timestamp()
}

/// The provider's `payment.succeeded` message of `amount` yen for `order`,
/// signed now with the stack's secret.
fn payment<'a>(api: &'a str, order: &'a str, amount: i64, webhook_id: &'a str) -> Payment<'a> {
    Payment {
        api,
        order_id: order,
        amount,
        currency: "JPY",
        secret: LOCAL_SECRET,
        webhook_id,
        timestamp: now(),
    }
}

/// A payment message as the provider sent it: what it takes to send the
/// very same message again ([`Shop::send_again`]).
struct Sent {
    order: String,
    amount: i64,
    webhook_id: String,
    timestamp: i64,
}

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

    /// Pays `amount` for `order` as the provider would (a new webhook ID);
    /// returns the message sent, to send it again unchanged.
    async fn pay(&self, order: &str, amount: i64) -> Sent {
        let sent = Sent {
            order: order.to_owned(),
            amount,
            webhook_id: format!("msg_{}", rand::random::<u32>()),
            timestamp: now(),
        };
        let (st, a) = self.send_again(&sent).await;
        assert_eq!(st, 200, "{a}");
        sent
    }

    /// Sends the payment message `sent` exactly as it was sent before (same
    /// webhook ID, timestamp, body and signature), as a provider redelivers
    /// it; returns the api's status and answer.
    async fn send_again(&self, sent: &Sent) -> (u16, Value) {
        let api = &self.env.stack.api_url;
        let p = Payment {
            timestamp: sent.timestamp,
            ..payment(api, &sent.order, sent.amount, &sent.webhook_id)
        };
        pay::send(&p).await.unwrap()
    }

    /// The URL of the job queue of the shop's lab (`shibuya-lab`).
    async fn lab_queue(&self) -> String {
        self.queue_of("shibuya-lab").await
    }

    /// The URL of lab `lab`'s job queue.
    async fn queue_of(&self, lab: &str) -> String {
        self.env.lab_queue_url(lab).await
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
