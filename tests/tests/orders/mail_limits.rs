//! Issue 18, item 10: a guest's order mails a confirmation link to any
//! address the guest names. Past the address's limits (`settings.mail`)
//! nothing more is sent, and the guest is answered exactly as when it is
//! (the order waits for a confirmation that will not come, and lapses);
//! other addresses are not affected.

use super::*;
use std::sync::OnceLock;
use tower::ServiceExt;

/// The api's clock in this test: fixed, so the hour's window cannot turn
/// during it.
static AT: OnceLock<time::OffsetDateTime> = OnceLock::new();

#[tokio::test]
async fn past_an_addresss_mail_limit_a_guests_order_sends_nothing_more_and_answers_the_same() {
    AT.get_or_init(time::OffsetDateTime::now_utc);
    let env = TestEnv::with(|o| {
        o.settings.mail.per_address_per_hour = 2;
        o.settings.mail.per_address_per_day = 3;
    })
    .await;
    env.lab("shibuya-lab", &[LOCATION]).await;
    let (ann, olive) = (env.new_customer().await, env.new_customer().await);
    let s = Shop { env, ann, olive };
    let theirs = s.image(&s.olive, 881, "printable").await;
    let mut fixed = s.env.stack.api_state.clone();
    fixed.clock = printvault_domain::when::Clock::stopped_at(*AT.get().expect("set at the start"));
    let app = api::router(fixed);
    let order = |key: String, email: String| {
        let app = app.clone();
        let env = &s.env;
        let theirs = theirs.clone();
        async move {
            let quote = env.quote_id(None, &[(&theirs, "L", 1)], LOCATION).await;
            let mut body = Shop::order_body(&quote, 0);
            body["email"] = json!(email);
            let req = http::Request::post("/v1/orders")
                .header("content-type", "application/json")
                .header("idempotency-key", key)
                .body(axum::body::Body::from(body.to_string()))
                .unwrap();
            let res = app.oneshot(req).await.unwrap();
            let status = res.status();
            let mut headers: Vec<String> = res.headers().keys().map(ToString::to_string).collect();
            headers.retain(|h| h != "x-request-id");
            headers.sort();
            let bytes = axum::body::to_bytes(res.into_body(), usize::MAX).await.unwrap();
            (status, headers, serde_json::from_slice::<Value>(&bytes).unwrap())
        }
    };
    let n = rand::random::<u32>();
    let (bombed, other) = (
        format!("bombed-{n}@example.com"),
        format!("other-{n}@example.com"),
    );

    let mut answers = Vec::new();
    for i in 0..4 {
        answers.push(order(format!("g{i}"), bombed.clone()).await);
    }
    // The same answer, sent or not: 201, the same headers, an order
    // awaiting its email with the same fields (its own ID and quote).
    let shape = |a: &(StatusCode, Vec<String>, Value)| {
        let mut b = a.2.clone();
        for f in ["order_id", "quote_id", "created_at"] {
            b[f] = Value::Null;
        }
        (a.0, a.1.clone(), b)
    };
    assert_eq!(answers[0].0, StatusCode::CREATED, "{:?}", answers[0]);
    assert_eq!(answers[0].2["status"], "awaiting_email");
    for a in &answers[1..] {
        assert_eq!(
            shape(a),
            shape(&answers[0]),
            "a throttled order answers like a sent one"
        );
    }
    s.env.notices_sent().await;
    let mails = s.env.mails_to(&bombed).await;
    assert_eq!(mails.len(), 2, "two mails an hour: {mails:?}");

    // Another address is not affected.
    let (st, _, b) = order("g-other".into(), other.clone()).await;
    assert_eq!(
        (st, b["status"].as_str()),
        (StatusCode::CREATED, Some("awaiting_email")),
        "{b}"
    );
    let mail = s.env.next_mail(&other, 0).await;
    assert!(mail.param("token").is_some(), "{mail:?}");
}
