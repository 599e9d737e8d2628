//! Issue 18, item 10: `Idempotency-Key` scopes and leases. Each guest's keys
//! are their own (by the address they give), so two guests never collide
//! and a replay answers only its own caller; a lease that ran out lets the
//! same request take its key back, never another body.

use super::*;
use printvault_adapters::orders::{Claim, KeyRef};
use printvault_domain::order::{fingerprint, IdempotencyKey, KeyScope};

fn guest_body(quote: &str, email: &str) -> Value {
    let mut b = Shop::order_body(quote, 0);
    b["email"] = json!(email);
    b
}

#[tokio::test]
async fn two_guests_with_one_key_get_an_order_each_and_a_replay_answers_only_its_own_guest() {
    let s = shop().await;
    let theirs = s.image(&s.olive, 861, "printable").await;
    let quote = s.env.quote_id(None, &[(&theirs, "L", 1)], LOCATION).await;
    let n = rand::random::<u32>();
    let (a, b) = (
        format!("guest-a-{n}@example.com"),
        format!("guest-b-{n}@example.com"),
    );

    let first = s.env.order(None, Some("order-1"), &guest_body(&quote, &a)).await;
    assert_eq!(first.status, StatusCode::CREATED, "{:?}", first.body);
    assert!(!first.replayed);
    // Another guest, the same key and quote: an order of their own, not a
    // 422 for a key they never used, and never the first guest's order.
    let second = s.env.order(None, Some("order-1"), &guest_body(&quote, &b)).await;
    assert_eq!(second.status, StatusCode::CREATED, "{:?}", second.body);
    assert!(!second.replayed, "{:?}", second.body);
    assert_ne!(second.body["order_id"], first.body["order_id"]);
    assert_eq!(second.body["email"], json!(b), "{:?}", second.body);

    // Each guest's retry replays their own order. The address is
    // normalised before it is hashed, so its spelling does not matter to
    // the scope (the body is another, though: 422, not someone's order).
    let again = s.env.order(None, Some("order-1"), &guest_body(&quote, &a)).await;
    assert_eq!(again.status, StatusCode::CREATED, "{:?}", again.body);
    assert!(again.replayed);
    assert_eq!(again.body["order_id"], first.body["order_id"]);
    let again_b = s.env.order(None, Some("order-1"), &guest_body(&quote, &b)).await;
    assert!(again_b.replayed);
    assert_eq!(again_b.body["order_id"], second.body["order_id"]);
    let shouted = s
        .env
        .order(None, Some("order-1"), &guest_body(&quote, &a.to_uppercase()))
        .await;
    assert_eq!(
        shouted.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{:?}",
        shouted.body
    );
    assert!(shouted.body.get("order_id").is_none(), "{:?}", shouted.body);

    // A customer's key of the same name is theirs alone too.
    let mine = s.image(&s.ann, 862, "private").await;
    let q = s.env.quote_id(&s.ann, &[(&mine, "L", 1)], LOCATION).await;
    let o = s
        .env
        .order(&s.ann, Some("order-1"), &Shop::order_body(&q, 0))
        .await;
    assert_eq!(o.status, StatusCode::CREATED, "{:?}", o.body);
    assert!(!o.replayed);
}

#[tokio::test]
async fn after_the_lease_runs_out_another_body_still_gets_422_and_only_the_same_body_takes_the_key_back() {
    let s = shop().await;
    let mine = s.image(&s.ann, 863, "private").await;
    let quote = s.env.quote_id(&s.ann, &[(&mine, "L", 1)], LOCATION).await;
    let body = Shop::order_body(&quote, 0);
    let other = Shop::order_body(&quote, 1);
    s.env.give_points(&s.ann.customer_id(), 5).await;
    // A request with key "crashed" claimed it an hour ago and never
    // finished: its lease (orders.idempotency_lease_secs) ran out long
    // ago, and the key is still within its TTL.
    let key = IdempotencyKey::from_header(Some("crashed")).unwrap();
    let scope = KeyScope::customer(&s.ann.customer_id());
    let k = KeyRef {
        scope: scope.as_str(),
        key: &key,
    };
    let orders = &s.env.stack.api_state.stores.orders;
    let hour_ago = time::OffsetDateTime::now_utc().unix_timestamp() - 3600;
    let lease = i64::from(s.env.stack.api_state.settings.orders.idempotency_lease_secs);
    let crashed = orders
        .claim_key(
            &k,
            &fingerprint(&serde_json::from_value(body.clone()).unwrap()),
            hour_ago,
            lease,
            86_400,
        )
        .await
        .unwrap();
    assert!(matches!(crashed, Claim::Fresh { .. }), "{crashed:?}");

    // Another body under the key: 422, lease or no lease.
    let o = s.env.order(&s.ann, Some("crashed"), &other).await;
    assert_eq!(o.status, StatusCode::UNPROCESSABLE_ENTITY, "{:?}", o.body);
    // The same body takes the abandoned key back and makes the order.
    let o = s.env.order(&s.ann, Some("crashed"), &body).await;
    assert_eq!(o.status, StatusCode::CREATED, "{:?}", o.body);
    assert!(!o.replayed);
    assert_eq!(o.body["points_redeemed"], 0, "{:?}", o.body);
    let (_, list) = s.env.get("/v1/orders", &s.ann).await;
    assert_eq!(list["orders"].as_array().unwrap().len(), 1, "{list}");

    // The store itself, with the clock driven: another fingerprint never
    // takes over an expired lease; the same one does.
    let key2 = IdempotencyKey::from_header(Some("driven")).unwrap();
    let k2 = KeyRef {
        scope: scope.as_str(),
        key: &key2,
    };
    let t = hour_ago;
    assert!(matches!(
        orders.claim_key(&k2, "fp-a", t, 0, 86_400).await.unwrap(),
        Claim::Fresh { .. }
    ));
    for later in [t + 1, t + 3599] {
        assert_eq!(
            orders.claim_key(&k2, "fp-b", later, 0, 86_400).await.unwrap(),
            Claim::Mismatch,
            "at +{}",
            later - t
        );
    }
    assert!(matches!(
        orders.claim_key(&k2, "fp-a", t + 1, 0, 86_400).await.unwrap(),
        Claim::Fresh { .. }
    ));
}

/// Should a key's record ever name an order that is not the caller's (a
/// record written under an older scope, say), the replay is refused as a
/// mismatch and shows nothing of that order.
#[tokio::test]
async fn a_key_record_naming_another_callers_order_is_a_422_and_never_shows_it() {
    use aws_sdk_dynamodb::types::AttributeValue as A;
    let s = shop().await;
    let theirs = s.image(&s.olive, 864, "printable").await;
    let quote = s.env.quote_id(None, &[(&theirs, "L", 1)], LOCATION).await;
    let n = rand::random::<u32>();
    let (a, b) = (
        format!("guest-a-{n}@example.com"),
        format!("guest-b-{n}@example.com"),
    );
    let first = s.env.order(None, Some("k"), &guest_body(&quote, &a)).await;
    assert_eq!(first.status, StatusCode::CREATED, "{:?}", first.body);
    let a_order = first.body["order_id"].as_str().unwrap();

    // Guest B's key "k" for B's body, done, but naming guest A's order;
    // and Ann's key "k", naming it too.
    let email_b = printvault_domain::account::Email::parse(&b).unwrap();
    let body_b = guest_body(&quote, &b);
    let mine = s.image(&s.ann, 865, "private").await;
    let q = s.env.quote_id(&s.ann, &[(&mine, "L", 1)], LOCATION).await;
    let body_ann = Shop::order_body(&q, 0);
    let far = time::OffsetDateTime::now_utc().unix_timestamp() + 86_400;
    for (scope, body) in [
        (KeyScope::guest(&email_b), &body_b),
        (KeyScope::customer(&s.ann.customer_id()), &body_ann),
    ] {
        s.env
            .stack
            .clients
            .dynamodb
            .put_item()
            .table_name(&s.env.stack.resources.names.orders_table)
            .item("pk", A::S(format!("IDEM#{}#k", scope.as_str())))
            .item("sk", A::S("IDEM".into()))
            .item(
                "fingerprint",
                A::S(fingerprint(&serde_json::from_value(body.clone()).unwrap())),
            )
            .item("state", A::S("done".into()))
            .item("token", A::S("t".into()))
            .item("order_id", A::S(a_order.into()))
            .item("ttl", A::N(far.to_string()))
            .send()
            .await
            .unwrap();
    }
    let stolen = s.env.order(None, Some("k"), &body_b).await;
    assert_eq!(
        stolen.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{:?}",
        stolen.body
    );
    assert!(!stolen.body.to_string().contains(a_order), "{:?}", stolen.body);
    let stolen = s.env.order(&s.ann, Some("k"), &body_ann).await;
    assert_eq!(
        stolen.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{:?}",
        stolen.body
    );
    assert!(!stolen.body.to_string().contains(a_order), "{:?}", stolen.body);
}
