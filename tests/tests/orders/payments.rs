//! M20: payment by a Standard Webhooks message, signed and checked; paid
//! exactly once; replays and stale or forged signatures change nothing; a
//! wrong amount is received and owed back.

use super::*;
use local_runner::pay::{self, Payment};
use printvault_domain::payment::LOCAL_SECRET;

fn now() -> i64 {
    time::OffsetDateTime::now_utc().unix_timestamp()
}

/// A placed order of Ann's for ¥40 (two L prints of her own image).
async fn placed(s: &Shop) -> String {
    let mine = s.image(&s.ann, 841, "private").await;
    let quote = s.env.quote_id(&s.ann, &[(&mine, "L", 2)], LOCATION).await;
    let o = s.env.order(&s.ann, Some("k"), &Shop::order_body(&quote, 0)).await;
    assert_eq!(o.status, StatusCode::CREATED, "{:?}", o.body);
    o.body["order_id"].as_str().unwrap().to_owned()
}

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

async fn status_of(s: &Shop, order: &str) -> String {
    let (_, o) = s.env.get(&format!("/v1/orders/{order}"), &s.ann).await;
    o["status"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn a_signed_payment_pays_the_order_once_and_a_replay_changes_nothing() {
    let s = shop().await;
    let order = placed(&s).await;
    let api = s.env.stack.api_url.clone();
    let (st, a) = pay::send(&payment(&api, &order, 40, "msg_1")).await.unwrap();
    assert_eq!((st, a["status"].as_str()), (200, Some("paid")), "{a}");
    // Paid, and print-dispatch may already have taken it on.
    let now = status_of(&s, &order).await;
    assert!(
        ["paid", "dispatching", "dispatched"].contains(&now.as_str()),
        "{now}"
    );
    let (st, a) = pay::send(&payment(&api, &order, 40, "msg_1")).await.unwrap();
    assert_eq!((st, a["status"].as_str()), (200, Some("replayed")), "{a}");
    // Paid orders cannot be paid into again without it being owed back.
    let (st, a) = pay::send(&payment(&api, &order, 40, "msg_2")).await.unwrap();
    assert_eq!((st, a["status"].as_str()), (200, Some("refund_due")), "{a}");
    let (_, o) = s.env.get(&format!("/v1/orders/{order}"), &s.ann).await;
    assert_eq!(o["refund_due"].as_i64(), Some(40), "{o}");
}

#[tokio::test]
async fn stale_future_forged_and_tampered_webhooks_are_refused_and_change_nothing() {
    let s = shop().await;
    let order = placed(&s).await;
    let api = s.env.stack.api_url.clone();
    let mut stale = payment(&api, &order, 40, "msg_a");
    // Far outside the 5 minutes either way, so a slow run cannot bring them in
    // (the boundary itself is `payment::verify`'s unit test).
    stale.timestamp = now() - 3600;
    let mut future = payment(&api, &order, 40, "msg_b");
    future.timestamp = now() + 3600;
    let other_secret = printvault_domain::payment::new_secret();
    let mut forged = payment(&api, &order, 40, "msg_c");
    forged.secret = &other_secret;
    for p in [&stale, &future, &forged] {
        let (st, a) = pay::send(p).await.unwrap();
        assert_eq!(st, 401, "{a}");
    }
    // A body changed after signing.
    let good = payment(&api, &order, 40, "msg_d");
    let body = pay::body(&good);
    let key = printvault_domain::payment::WebhookSecrets::parse(LOCAL_SECRET).unwrap();
    let sig = printvault_domain::payment::sign(key.signing_key(), "msg_d", good.timestamp, &body);
    let tampered = String::from_utf8(body)
        .unwrap()
        .replace("\"amount\":40", "\"amount\":4");
    let res = s
        .env
        .http
        .post(s.env.url("/v1/payments/webhook"))
        .header("webhook-id", "msg_d")
        .header("webhook-timestamp", good.timestamp.to_string())
        .header("webhook-signature", sig)
        .body(tampered)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    // The right signer, the wrong amount (received and owed back whole; the
    // order still waits for its payment) or currency (refused).
    let (st, a) = pay::send(&payment(&api, &order, 39, "msg_e")).await.unwrap();
    assert_eq!((st, a["status"].as_str()), (200, Some("refund_due")), "{a}");
    let mut usd = payment(&api, &order, 40, "msg_f");
    usd.currency = "USD";
    let (st, a) = pay::send(&usd).await.unwrap();
    assert_eq!(st, 422, "{a}");
    let (st, _) = pay::send(&payment(&api, "ord_01JDQ3V6ZK8R2M4N5P6Q7R8S9T", 40, "msg_g"))
        .await
        .unwrap();
    assert_eq!(st, 404);
    assert_eq!(status_of(&s, &order).await, "placed");
}

#[tokio::test]
async fn money_for_a_cancelled_order_is_owed_back_and_a_fully_redeemed_order_needs_no_payment() {
    let s = shop().await;
    let order = placed(&s).await;
    let (st, _) = s
        .env
        .post(
            &format!("/v1/orders/{order}/cancel"),
            &s.ann,
            integration_tests::NO_BODY,
        )
        .await;
    assert_eq!(st, StatusCode::OK);
    let api = s.env.stack.api_url.clone();
    let (st, a) = pay::send(&payment(&api, &order, 40, "msg_x")).await.unwrap();
    assert_eq!((st, a["status"].as_str()), (200, Some("refund_due")), "{a}");
    let (_, o) = s.env.get(&format!("/v1/orders/{order}"), &s.ann).await;
    assert_eq!(
        (o["status"].as_str(), o["refund_due"].as_i64()),
        (Some("cancelled"), Some(40))
    );

    s.env.give_points(&s.ann.customer_id(), 50).await;
    let mine = s.image(&s.ann, 842, "private").await;
    let quote = s.env.quote_id(&s.ann, &[(&mine, "2L", 1)], LOCATION).await;
    let o = s
        .env
        .order(&s.ann, Some("all-points"), &Shop::order_body(&quote, 50))
        .await;
    assert_eq!(
        (o.body["status"].as_str(), o.body["amount_due"].as_i64()),
        (Some("paid"), Some(0)),
        "{:?}",
        o.body
    );
}

#[tokio::test]
async fn a_guests_order_is_paid_only_once_its_email_is_confirmed() {
    let s = shop().await;
    let theirs = s.image(&s.olive, 843, "printable").await;
    let quote = s.env.quote_id(None, &[(&theirs, "L", 1)], LOCATION).await;
    let mut body = Shop::order_body(&quote, 0);
    body["email"] = json!(format!("g{}@example.com", rand::random::<u32>()));
    let o = s.env.order(None, Some("g"), &body).await;
    let order = o.body["order_id"].as_str().unwrap().to_owned();
    let api = s.env.stack.api_url.clone();
    let (st, a) = pay::send(&payment(&api, &order, 170, "msg_g1")).await.unwrap();
    assert_eq!(st, 409, "{a}");
}
