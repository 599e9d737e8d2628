//! M20: payment by a Standard Webhooks message, signed and checked; paid
//! exactly once; replays and stale or forged signatures change nothing; a
//! wrong amount is received and owed back.

use super::*;

/// A placed order of Ann's for ¥40 (two L prints of her own image).
async fn placed(s: &Shop) -> String {
    let mine = s.image(&s.ann, 841, "private").await;
    let quote = s.env.quote_id(&s.ann, &[(&mine, "L", 2)], LOCATION).await;
    let o = s.env.order(&s.ann, Some("k"), &Shop::order_body(&quote, 0)).await;
    assert_eq!(o.status, StatusCode::CREATED, "{:?}", o.body);
    o.body["order_id"].as_str().unwrap().to_owned()
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

/// What a guest sees of their order: its status, the money received for it
/// and the money owed back.
fn money_of(o: &Value) -> (Option<&str>, Option<i64>, Option<i64>) {
    (
        o["status"].as_str(),
        o["received"].as_i64(),
        o["refund_due"].as_i64(),
    )
}

/// A guest's order is paid only once its email is confirmed: before, the
/// payment is refused with a reason (the provider sends it again later)
/// and changes nothing; after, the same message pays the order, and
/// another delivery of it changes nothing. The guest reads their order as
/// they can: before confirming, by placing it again with the same
/// `Idempotency-Key` and body (the same order, as it stands); after, by
/// confirming again (`POST /v1/orders/guest/confirm` shows the order).
#[tokio::test]
async fn a_guests_order_is_paid_only_once_its_email_is_confirmed() {
    // Nobody dispatches in the background: a dispatch asked for stays on
    // the dispatch queue, to be seen, until the test hands it on.
    let s = shop_with(|o| o.run_dispatcher = false).await;
    let theirs = s.image(&s.olive, 843, "printable").await;
    let quote = s.env.quote_id(None, &[(&theirs, "L", 1)], LOCATION).await;
    let guest = format!("g{}@example.com", rand::random::<u32>());
    let mut body = Shop::order_body(&quote, 0);
    body["email"] = json!(guest);
    let o = s.env.order(None, Some("g"), &body).await;
    assert_eq!(o.status, StatusCode::CREATED, "{:?}", o.body);
    assert_eq!(
        (o.body["status"].as_str(), o.body["amount_due"].as_i64()),
        (Some("awaiting_email"), Some(170)),
        "{:?}",
        o.body
    );
    let order = o.body["order_id"].as_str().unwrap().to_owned();
    let dispatch_queue = s.env.stack.resources.dispatch_queue_url.clone();
    let lab_queue = s.lab_queue().await;

    // The provider's one message for this payment, sent unchanged every
    // time (same webhook ID, timestamp, body and signature).
    let api = s.env.stack.api_url.clone();
    let message = payment(&api, &order, 170, "msg_g1");

    // Before the email is confirmed: refused, saying why.
    let (st, a) = pay::send(&message).await.unwrap();
    assert_eq!((st, a["error"]["code"].as_str()), (409, Some("conflict")), "{a}");
    assert!(
        a["error"]["message"]
            .as_str()
            .is_some_and(|m| m.contains("confirm their email address") && m.contains("send it again later")),
        "{a}"
    );
    // The order is still unpaid, and nothing was sent towards the lab.
    let seen = s.env.order(None, Some("g"), &body).await;
    assert_eq!(
        (seen.status, seen.replayed),
        (StatusCode::CREATED, true),
        "{:?}",
        seen.body
    );
    assert_eq!(seen.body["order_id"], order.as_str());
    assert_eq!(
        money_of(&seen.body),
        (Some("awaiting_email"), Some(0), Some(0)),
        "{:?}",
        seen.body
    );
    assert_eq!(
        s.env.queue_depth(&dispatch_queue).await.unwrap(),
        0,
        "no dispatch asked for"
    );
    assert_eq!(
        s.env.queue_depth(&lab_queue).await.unwrap(),
        0,
        "no job at the lab"
    );

    // The guest confirms by the link emailed to them: the order goes ahead,
    // still unpaid.
    let token = super::guests::emailed_token(&s.env, &guest).await;
    let confirm = || {
        s.env
            .post("/v1/orders/guest/confirm", None, json!({"token": token}))
    };
    let (st, c) = confirm().await;
    assert_eq!(st, StatusCode::OK, "{c}");
    assert_eq!(money_of(&c), (Some("placed"), Some(0), Some(0)), "{c}");

    // The same message again: accepted now, and the order is paid.
    let (st, a) = pay::send(&message).await.unwrap();
    assert_eq!(
        (st, a["status"].as_str(), a["order_id"].as_str()),
        (200, Some("paid"), Some(order.as_str())),
        "{a}"
    );
    let (st, c) = confirm().await;
    assert_eq!(st, StatusCode::OK, "{c}");
    assert_eq!(money_of(&c), (Some("paid"), Some(170), Some(0)), "{c}");

    // Delivered once more: a replay, the money received once.
    let (st, a) = pay::send(&message).await.unwrap();
    assert_eq!((st, a["status"].as_str()), (200, Some("replayed")), "{a}");
    let (st, c) = confirm().await;
    assert_eq!(st, StatusCode::OK, "{c}");
    assert_eq!(money_of(&c), (Some("paid"), Some(170), Some(0)), "{c}");

    // Every dispatch asked for, handed to print-dispatch: the order's one
    // line reaches its lab once.
    while s.env.stack.dispatch_once(1).await.unwrap() > 0 {}
    assert_eq!(s.env.queue_depth(&dispatch_queue).await.unwrap(), 0);
    let jobs = s.env.drain(&lab_queue).await;
    assert_eq!(jobs.len(), 1, "{jobs:?}");
    let job: Value = serde_json::from_str(&jobs[0]).unwrap();
    assert_eq!(job["merchant_reference"], order.as_str(), "{job}");
    let (st, c) = confirm().await;
    assert_eq!(st, StatusCode::OK, "{c}");
    assert_eq!(money_of(&c), (Some("dispatched"), Some(170), Some(0)), "{c}");
    s.env.check_order_books(&order).await;
}
