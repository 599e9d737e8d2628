//! Issue 18: money and points hold under every order of events. A model-
//! based test drives random interleavings of what customers, owners, the
//! payment provider, the dispatcher and labs do, through the api and the
//! real dispatcher on the serialised moto, and checks every invariant of
//! `docs/orders.md` after each step:
//!
//! - each order's books (`printvault_domain::order::money::check`): money
//!   received = what it keeps + `refund_due`; points spent come back when it
//!   is cancelled or as its lines fail; failed lines give back exactly what
//!   they cost;
//! - a line's points and owner's share exist exactly while it is shipped
//!   (its journal `order:<id>:line-<n>`), so only for what was printed and
//!   delivered;
//! - no order rests in `dispatching` once a dispatch has run;
//! - the ledger audit holds (balances are their entries, none below zero).
//!
//! Steps: place; pay the amount due, the wrong amount, the same payment
//! again under a new webhook ID, a second payment, a replayed webhook;
//! cancel; an owner deletes an image; dispatch, and a dispatcher that died
//! after sending (redelivery); lab reports of any stage in any order; the
//! owner's arrears on and off.

use super::*;
use printvault_domain::ids::OrderId;
use printvault_domain::order::OrderStatus;
use proptest::test_runner::{Config, TestRunner};
use std::collections::BTreeSet;

mod check;
mod steps;

use steps::{step, Pay, Step};

const LAB_LOCATION: &str = "model-store";

/// What the test remembers of an order: its ID and its payments so far.
struct Placed {
    id: String,
    due: i64,
    payments: u32,
    last_webhook: Option<String>,
}

struct World {
    s: Shop,
    lab_key: String,
    /// Ann's own image, then two of Olive's printable ones.
    pool: Vec<String>,
    orders: Vec<Placed>,
    history: Vec<String>,
}

impl World {
    async fn new() -> Self {
        let s = shop_with(|o| o.run_dispatcher = false).await;
        let lab_key = s.env.lab("model-lab", &[LAB_LOCATION]).await;
        let pool = vec![
            s.image(&s.ann, 901, "private").await,
            s.image(&s.olive, 902, "printable").await,
            s.image(&s.olive, 903, "printable").await,
        ];
        s.env.give_points(&s.ann.customer_id(), 100).await;
        Self {
            s,
            lab_key,
            pool,
            orders: Vec::new(),
            history: Vec::new(),
        }
    }

    fn order(&self, i: usize) -> Option<&Placed> {
        (!self.orders.is_empty()).then(|| &self.orders[i % self.orders.len()])
    }

    async fn run(&mut self, step: &Step) {
        let env = &self.s.env;
        match step {
            Step::Place { images, points } => {
                let lines: Vec<(&str, &str, u32)> = images
                    .iter()
                    .collect::<BTreeSet<_>>()
                    .into_iter()
                    .map(|i| (self.pool[*i].as_str(), "L", 1))
                    .collect();
                let (st, q) = env.quote(&self.s.ann, &lines, LAB_LOCATION).await;
                answered(&mut self.history, "quote", st.as_u16(), &q);
                let Some(quote) = q["quote_id"].as_str() else {
                    return;
                };
                let body = Shop::order_body(quote, if *points { 15 } else { 0 });
                let o = env
                    .order(&self.s.ann, Some(&format!("m{}", rand::random::<u64>())), &body)
                    .await;
                answered(&mut self.history, "place", o.status.as_u16(), &o.body);
                if let (Some(id), Some(due)) = (o.body["order_id"].as_str(), o.body["amount_due"].as_i64()) {
                    self.orders.push(Placed {
                        id: id.to_owned(),
                        due,
                        payments: 0,
                        last_webhook: None,
                    });
                }
            }
            Step::Pay { order, how } => {
                let Some(o) = self.order(*order) else { return };
                let (id, due, n) = (o.id.clone(), o.due, o.payments);
                let fresh = format!("wh_{}", rand::random::<u64>());
                let (webhook, payment, amount) = match how {
                    Pay::Due => (fresh, format!("pay_{id}_{n}"), due),
                    Pay::Wrong => (fresh, format!("pay_{id}_w{n}"), due + 7),
                    Pay::SamePaymentNewWebhook => (fresh, format!("pay_{id}_{}", n.saturating_sub(1)), due),
                    Pay::Second => (fresh, format!("pay_{id}_{}", n + 1), due),
                    Pay::ReplayWebhook => match o.last_webhook.clone() {
                        Some(w) => (w, format!("pay_{id}_{}", n.saturating_sub(1)), due),
                        None => return,
                    },
                };
                if amount <= 0 {
                    return;
                }
                let (st, a) = env.pay_as(&id, amount, &webhook, &payment).await;
                answered(&mut self.history, &format!("pay {how:?} {id} ¥{amount}"), st, &a);
                let len = self.orders.len();
                let o = &mut self.orders[*order % len];
                if matches!(how, Pay::Due | Pay::Second) {
                    o.payments = n + 1;
                }
                o.last_webhook = Some(webhook);
            }
            Step::Cancel { order } => {
                let Some(o) = self.order(*order) else { return };
                let id = o.id.clone();
                let (st, b) = env
                    .post(
                        &format!("/v1/orders/{id}/cancel"),
                        &self.s.ann,
                        integration_tests::NO_BODY,
                    )
                    .await;
                answered(&mut self.history, &format!("cancel {id}"), st.as_u16(), &b);
            }
            Step::Delete { image } => {
                let (owner, id) = if *image == 0 {
                    (&self.s.ann, self.pool[0].clone())
                } else {
                    (&self.s.olive, self.pool[*image].clone())
                };
                let (st, b) = env.delete(&format!("/v1/images/{id}"), owner).await;
                answered(&mut self.history, &format!("delete {id}"), st.as_u16(), &b);
            }
            Step::Dispatch { order } | Step::Redeliver { order } => {
                let Some(o) = self.order(*order) else { return };
                let id = OrderId::parse(&o.id).unwrap();
                if matches!(step, Step::Redeliver { .. }) {
                    // The dispatcher died after sending, before marking.
                    let back = env.crash_after_sending(&id).await;
                    self.history.push(format!("crash after dispatching {id}: {back}"));
                }
                // A failed delivery is retried, as SQS would.
                let mut outcome = None;
                for _ in 0..3 {
                    match env
                        .stack
                        .dispatcher
                        .dispatch(&id, time::OffsetDateTime::now_utc())
                        .await
                    {
                        Ok(out) => {
                            outcome = Some(out);
                            break;
                        }
                        Err(e) => self.history.push(format!("dispatch {id} failed: {e:#}")),
                    }
                }
                self.history.push(format!("dispatch {id}: {outcome:?}"));
                let (stored, _) = env.stored_order(id.as_str()).await;
                assert_ne!(
                    stored.status,
                    OrderStatus::Dispatching,
                    "an order rests in dispatching\n{:#?}",
                    self.history
                );
            }
            Step::Report { order, line, stage } => {
                let Some(o) = self.order(*order) else { return };
                let id = o.id.clone();
                let body = match stage {
                    0 => json!({"stage": "accepted"}),
                    1 => json!({"stage": "printed"}),
                    2 => json!({"stage": "shipped", "carrier": "Japan Post", "tracking": "EJ1JP"}),
                    _ => json!({"stage": "failed", "reason": "paper jam"}),
                };
                let res = env
                    .http
                    .post(env.url(&format!("/v1/lab/orders/{id}/lines/{line}/reports")))
                    .header("x-lab-key", &self.lab_key)
                    .json(&body)
                    .send()
                    .await
                    .unwrap();
                let st = res.status().as_u16();
                let b: Value = res.json().await.unwrap_or(Value::Null);
                answered(
                    &mut self.history,
                    &format!("report {id} line {line} {body}"),
                    st,
                    &b,
                );
            }
            Step::Arrears { on } => {
                env.set_arrears(&self.s.olive.customer_id(), *on).await;
                self.history.push(format!("olive in arrears: {on}"));
            }
        }
    }
}

#[test]
fn money_and_points_hold_under_random_interleavings() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let mut runner = TestRunner::new(Config {
        cases: 12,
        max_shrink_iters: 0,
        failure_persistence: None,
        ..Config::default()
    });
    let steps = proptest::collection::vec(step(), 20..40);
    runner
        .run(&steps, |steps| {
            rt.block_on(async {
                let mut world = World::new().await;
                world.check().await;
                for s in &steps {
                    world.run(s).await;
                    world.check().await;
                }
                eprintln!(
                    "{} orders, {} events:\n  {}",
                    world.orders.len(),
                    world.history.len(),
                    world.history.join("\n  ")
                );
            });
            Ok(())
        })
        .unwrap();
}

/// An api answer must never be a server error.
fn answered(history: &mut Vec<String>, what: &str, status: u16, body: &Value) {
    history.push(format!("{what} -> {status}"));
    assert!(status < 500, "{what} answered {status}: {body}\n{history:#?}");
}
