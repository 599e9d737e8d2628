//! Placing orders: the quote's prices, the `Idempotency-Key` semantics of
//! the IETF draft, and the permission checked again as the order is written.

use super::*;
use futures::future::join_all;

#[tokio::test]
async fn an_order_needs_an_idempotency_key_and_a_retry_gets_the_same_order() {
    let s = shop().await;
    let mine = s.image(&s.ann, 811, "private").await;
    let quote = s.env.quote_id(&s.ann, &[(&mine, "L", 2)], LOCATION).await;
    let body = Shop::order_body(&quote, 0);
    let none = s.env.order(&s.ann, None, &body).await;
    assert_eq!(none.status, StatusCode::BAD_REQUEST, "{:?}", none.body);
    assert!(none.body["error"]["message"]
        .as_str()
        .unwrap()
        .contains("Idempotency-Key"));

    let first = s.env.order(&s.ann, Some("\"key-1\""), &body).await;
    assert_eq!(first.status, StatusCode::CREATED, "{:?}", first.body);
    assert!(!first.replayed);
    assert_eq!(first.body["status"], "placed");
    assert_eq!(first.body["amount_due"], 40);
    let again = s.env.order(&s.ann, Some("key-1"), &body).await;
    assert_eq!(again.status, StatusCode::CREATED);
    assert!(again.replayed);
    assert_eq!(again.body["order_id"], first.body["order_id"]);

    let other = s
        .env
        .order(&s.ann, Some("key-1"), &Shop::order_body(&quote, 1))
        .await;
    assert_eq!(other.status, StatusCode::UNPROCESSABLE_ENTITY, "{:?}", other.body);

    let (st, list) = s.env.get("/v1/orders", &s.ann).await;
    assert_eq!(st, StatusCode::OK);
    assert_eq!(list["orders"].as_array().unwrap().len(), 1, "{list}");
    // Another customer's key space is their own, and the order is not theirs.
    let id = first.body["order_id"].as_str().unwrap();
    assert_eq!(
        s.env.get_status(&format!("/v1/orders/{id}"), &s.olive).await,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        s.env.get_status(&format!("/v1/orders/{id}"), &s.ann).await,
        StatusCode::OK
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn parallel_requests_with_one_key_make_one_order() {
    let s = shop().await;
    let mine = s.image(&s.ann, 812, "private").await;
    let quote = s.env.quote_id(&s.ann, &[(&mine, "L", 1)], LOCATION).await;
    let body = Shop::order_body(&quote, 0);
    let answers = join_all((0..4).map(|_| s.env.order(&s.ann, Some("same"), &body))).await;
    let made: Vec<&Value> = answers
        .iter()
        .filter(|a| a.status == StatusCode::CREATED)
        .map(|a| &a.body["order_id"])
        .collect();
    assert!(!made.is_empty(), "{answers:?}");
    assert!(made.iter().all(|id| *id == made[0]), "one order: {answers:?}");
    assert!(
        answers
            .iter()
            .all(|a| a.status == StatusCode::CREATED || a.status == StatusCode::CONFLICT),
        "{answers:?}"
    );
    let (_, list) = s.env.get("/v1/orders", &s.ann).await;
    assert_eq!(list["orders"].as_array().unwrap().len(), 1, "{list}");
}

#[tokio::test]
async fn an_order_keeps_the_quotes_prices_when_the_owner_changes_them() {
    let s = shop().await;
    let theirs = s.image(&s.olive, 813, "printable").await;
    let quote = s.env.quote_id(&s.ann, &[(&theirs, "L", 1)], LOCATION).await;
    let (st, b) = s
        .env
        .put(
            &format!("/v1/images/{theirs}/class"),
            &s.olive,
            json!({"class": "printable", "prices": {"L": 900, "2L": 1200}}),
        )
        .await;
    assert_eq!(st, StatusCode::OK, "{b}");
    let o = s.env.order(&s.ann, Some("k"), &Shop::order_body(&quote, 0)).await;
    assert_eq!(o.status, StatusCode::CREATED, "{:?}", o.body);
    assert_eq!(o.body["total"], 170);
    assert_eq!(o.body["lines"][0]["image_price"], 150);
}

#[tokio::test]
async fn an_image_made_private_or_deleted_after_the_quote_is_refused_at_the_order() {
    let s = shop().await;
    let theirs = s.image(&s.olive, 814, "printable").await;
    let mine = s.image(&s.ann, 815, "private").await;
    let q1 = s
        .env
        .quote_id(&s.ann, &[(&mine, "L", 1), (&theirs, "L", 1)], LOCATION)
        .await;
    let q2 = s.env.quote_id(&s.ann, &[(&mine, "2L", 1)], LOCATION).await;
    let (st, _) = s
        .env
        .put(
            &format!("/v1/images/{theirs}/class"),
            &s.olive,
            json!({"class": "private"}),
        )
        .await;
    assert_eq!(st, StatusCode::OK);
    let o = s.env.order(&s.ann, Some("k1"), &Shop::order_body(&q1, 0)).await;
    assert_eq!(o.status, StatusCode::UNPROCESSABLE_ENTITY, "{:?}", o.body);
    assert!(
        o.body["error"]["message"].as_str().unwrap().starts_with("line 2"),
        "{:?}",
        o.body
    );
    let (st, _) = s.env.delete(&format!("/v1/images/{mine}"), &s.ann).await;
    assert!(st.is_success());
    let o = s.env.order(&s.ann, Some("k2"), &Shop::order_body(&q2, 0)).await;
    assert_eq!(o.status, StatusCode::UNPROCESSABLE_ENTITY, "{:?}", o.body);
    let (_, list) = s.env.get("/v1/orders", &s.ann).await;
    assert!(list["orders"].as_array().unwrap().is_empty(), "{list}");
    // A refused request gives its key back: the same key works for a good order.
    let q3 = s
        .env
        .quote_id(
            &s.ann,
            &[(&s.image(&s.ann, 816, "private").await, "L", 1)],
            LOCATION,
        )
        .await;
    let o = s.env.order(&s.ann, Some("k2"), &Shop::order_body(&q3, 0)).await;
    assert_eq!(o.status, StatusCode::CREATED, "{:?}", o.body);
}

#[tokio::test]
async fn a_quote_is_ordered_only_by_whoever_asked_for_it() {
    let s = shop().await;
    let mine = s.image(&s.ann, 817, "private").await;
    let quote = s.env.quote_id(&s.ann, &[(&mine, "L", 1)], LOCATION).await;
    let o = s
        .env
        .order(&s.olive, Some("k"), &Shop::order_body(&quote, 0))
        .await;
    assert_eq!(o.status, StatusCode::BAD_REQUEST, "{:?}", o.body);
    let mut bad = Shop::order_body(&quote, 0);
    bad["address"]["street"] = json!("");
    let o = s.env.order(&s.ann, Some("k2"), &bad).await;
    assert_eq!(o.status, StatusCode::BAD_REQUEST, "{:?}", o.body);
    assert!(o.body["error"]["message"]
        .as_str()
        .unwrap()
        .contains("address.street"));
}

#[tokio::test]
async fn a_twin_of_a_request_still_running_gets_409_and_can_retry_once_the_lease_is_over() {
    use printvault_adapters::orders::{Claim, KeyRef};
    use printvault_domain::order::{fingerprint, IdempotencyKey};
    let s = shop().await;
    let mine = s.image(&s.ann, 818, "private").await;
    let quote = s.env.quote_id(&s.ann, &[(&mine, "L", 1)], LOCATION).await;
    let body = Shop::order_body(&quote, 0);
    // The first request with key "slow" has claimed it and is still at work.
    let key = IdempotencyKey::from_header(Some("slow")).unwrap();
    let scope = s.ann.id.clone();
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    let first = s
        .env
        .stack
        .api_state
        .stores
        .orders
        .claim_key(
            &KeyRef {
                scope: &scope,
                key: &key,
            },
            &fingerprint(&serde_json::from_value(body.clone()).unwrap()),
            now,
            60,
            86_400,
        )
        .await
        .unwrap();
    assert!(matches!(first, Claim::Fresh { .. }));
    let twin = s.env.order(&s.ann, Some("slow"), &body).await;
    assert_eq!(twin.status, StatusCode::CONFLICT, "{:?}", twin.body);
    assert!(twin.body["error"]["message"]
        .as_str()
        .unwrap()
        .contains("still being processed"));
    // Another body under the same key is refused as a mismatch, not a twin.
    let other = s
        .env
        .order(&s.ann, Some("slow"), &Shop::order_body(&quote, 1))
        .await;
    assert_eq!(other.status, StatusCode::UNPROCESSABLE_ENTITY);
    // A lease that ran out (the first request crashed) is taken over.
    let later = s
        .env
        .stack
        .api_state
        .stores
        .orders
        .claim_key(
            &KeyRef {
                scope: &scope,
                key: &key,
            },
            &fingerprint(&serde_json::from_value(body.clone()).unwrap()),
            now + 61,
            60,
            86_400,
        )
        .await
        .unwrap();
    assert!(matches!(later, Claim::Fresh { .. }), "{later:?}");
}
