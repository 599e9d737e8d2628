//! M21: a paid order's lines become jobs on its lab's FIFO queue, once: the
//! documented JSON (checked against docs/lab-job.schema.json), URLs that
//! fetch exactly the bytes the job names, and no second job from a
//! redelivered message, a replayed dispatch or a dispatcher that died
//! half-way.

use super::*;
use printvault_domain::ids::OrderId;
use printvault_domain::order::OrderStatus;
use sha2::{Digest, Sha256};

/// Ann's order of two lines (her image, a stranger's), paid; returns its ID
/// once print-dispatch has sent it.
async fn dispatched(s: &Shop) -> String {
    dispatched_paid_by(s).await.0
}

/// [`dispatched`], with the payment message that paid the order.
async fn dispatched_paid_by(s: &Shop) -> (String, Sent) {
    let mine = s.image(&s.ann, 851, "private").await;
    let theirs = s.image(&s.olive, 852, "printable").await;
    let quote = s
        .env
        .quote_id(&s.ann, &[(&mine, "L", 2), (&theirs, "2L", 1)], LOCATION)
        .await;
    let o = s.env.order(&s.ann, Some("k"), &Shop::order_body(&quote, 0)).await;
    let order = o.body["order_id"].as_str().unwrap().to_owned();
    let paid = s.pay(&order, o.body["amount_due"].as_i64().unwrap()).await;
    s.wait_dispatched(&order).await;
    (order, paid)
}

use integration_tests::orders::matches_schema;

#[tokio::test]
async fn a_paid_order_becomes_one_documented_job_per_line_on_its_labs_queue() {
    let s = shop().await;
    let order = dispatched(&s).await;
    let bodies = s.env.drain(&s.lab_queue().await).await;
    assert_eq!(bodies.len(), 2, "{bodies:?}");
    assert!(
        matches_schema(r#"{"version": 1}"#).is_err(),
        "the schema check can fail"
    );
    let mut lines = Vec::new();
    for body in &bodies {
        matches_schema(body)
            .unwrap_or_else(|e| panic!("job does not match docs/lab-job.schema.json: {e}\n{body}"));
        let job: Value = serde_json::from_str(body).unwrap();
        assert_eq!(job["merchant_reference"], order.as_str());
        assert_eq!(job["recipient"]["name"], "Ann Example");
        let asset = &job["assets"][0];
        let bytes = reqwest::get(asset["url"].as_str().unwrap())
            .await
            .unwrap()
            .bytes()
            .await
            .unwrap();
        assert_eq!(bytes.len() as u64, asset["bytes"].as_u64().unwrap());
        assert_eq!(
            hex::encode(Sha256::digest(&bytes)),
            asset["sha256"].as_str().unwrap()
        );
        lines.push((
            job["line"].as_u64().unwrap(),
            job["sku"].as_str().unwrap().to_owned(),
            job["copies"].as_u64().unwrap(),
        ));
    }
    lines.sort();
    assert_eq!(
        lines,
        [
            (1, "L-photo_paper".to_owned(), 2),
            (2, "2L-photo_paper".to_owned(), 1)
        ]
    );
    // Dispatched orders can no longer be cancelled.
    let (st, _) = s
        .env
        .post(
            &format!("/v1/orders/{order}/cancel"),
            &s.ann,
            integration_tests::NO_BODY,
        )
        .await;
    assert_eq!(st, StatusCode::CONFLICT);
}

#[tokio::test]
async fn a_redelivered_or_replayed_dispatch_makes_no_second_job() {
    let s = shop().await;
    let (order, paid) = dispatched_paid_by(&s).await;
    let id = OrderId::parse(&order).unwrap();
    let d = &s.env.stack.dispatcher;
    // The same message again: the order is dispatched, nothing is sent.
    let again = d.dispatch(&id, time::OffsetDateTime::now_utc()).await.unwrap();
    assert_eq!(again, print_dispatch::Outcome::Skipped(OrderStatus::Dispatched));
    // A dispatcher that died after sending, before marking: the retry sends
    // the same jobs under the same deduplication IDs, and SQS keeps one.
    assert!(s.env.crash_after_sending(&id).await);
    let retried = d.dispatch(&id, time::OffsetDateTime::now_utc()).await.unwrap();
    assert_eq!(retried, print_dispatch::Outcome::Dispatched(2));
    // And a replayed payment webhook changes nothing.
    let path = format!("/v1/orders/{order}");
    let (st, before) = s.env.get(&path, &s.ann).await;
    assert_eq!(st, StatusCode::OK, "{before}");
    let amounts = |o: &Value| {
        (
            o["status"].clone(),
            o["amount_due"].clone(),
            o["received"].clone(),
            o["refund_due"].clone(),
        )
    };
    assert_eq!(
        amounts(&before),
        (
            json!("dispatched"),
            json!(paid.amount),
            json!(paid.amount),
            json!(0)
        ),
        "paid once, before the replay: {before}"
    );
    // The very message that paid it, delivered again: docs/openapi.json's
    // 200 "Applied, or seen before", answered `replayed`.
    let (st, a) = s.send_again(&paid).await;
    assert_eq!((st, &a), (200, &json!({"status": "replayed"})), "{a}");
    // Whatever the replay asked of print-dispatch is done before the lab's
    // queue is read: the dispatch queue is empty, none in flight.
    let dispatch_queue = &s.env.stack.resources.dispatch_queue_url;
    integration_tests::eventually(30, "the dispatch queue is empty", || async {
        s.env.queue_depth(dispatch_queue).await.unwrap() == 0
    })
    .await
    .unwrap();
    let bodies = s.env.drain(&s.lab_queue().await).await;
    assert_eq!(bodies.len(), 2, "one job per line: {bodies:?}");
    let (_, o) = s.env.get(&format!("/v1/orders/{order}"), &s.ann).await;
    assert_eq!(o["status"], "dispatched");
    // The money received did not change.
    assert_eq!(amounts(&o), amounts(&before), "{o}");
}
