//! M18: points spent in the order's own transaction, never below zero, and
//! given back by reversal entries; every balance is the sum of its entries.

use super::*;
use futures::future::join_all;

#[tokio::test]
async fn points_are_spent_with_the_order_and_come_back_when_it_is_cancelled() {
    let s = shop().await;
    s.env.give_points(&s.ann.customer_id(), 100).await;
    let mine = s.image(&s.ann, 821, "private").await;
    let quote = s.env.quote_id(&s.ann, &[(&mine, "2L", 2)], LOCATION).await;
    let o = s
        .env
        .order(&s.ann, Some("k"), &Shop::order_body(&quote, 60))
        .await;
    assert_eq!(o.status, StatusCode::CREATED, "{:?}", o.body);
    assert_eq!(
        (o.body["total"].as_i64(), o.body["amount_due"].as_i64()),
        (Some(100), Some(40))
    );
    assert_eq!(s.env.balance(&s.ann).await, 40);

    let id = o.body["order_id"].as_str().unwrap().to_owned();
    let mails_before = s.env.mails_to(&s.ann.email).await.len();
    let (st, c) = s
        .env
        .post(
            &format!("/v1/orders/{id}/cancel"),
            &s.ann,
            integration_tests::NO_BODY,
        )
        .await;
    assert_eq!(st, StatusCode::OK, "{c}");
    assert_eq!(
        (c["status"].as_str(), c["points_returned"].as_i64()),
        (Some("cancelled"), Some(60))
    );
    assert_eq!(s.env.balance(&s.ann).await, 100);
    // The spend stays in the ledger; the reversal is a new entry.
    let (_, p) = s.env.get("/v1/points", &s.ann).await;
    let entries: Vec<i64> = p["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["points"].as_i64().unwrap())
        .collect();
    assert_eq!(entries.iter().filter(|p| **p == -60).count(), 1, "{p}");
    assert_eq!(entries.iter().filter(|p| **p == 60).count(), 1, "{p}");
    // Cancelling again changes nothing, and Olive cannot cancel it at all.
    let (st, again) = s
        .env
        .post(
            &format!("/v1/orders/{id}/cancel"),
            &s.ann,
            integration_tests::NO_BODY,
        )
        .await;
    assert_eq!(
        (st, again["points_returned"].as_i64()),
        (StatusCode::OK, Some(60))
    );
    assert_eq!(s.env.balance(&s.ann).await, 100);
    let (st, _) = s
        .env
        .post(
            &format!("/v1/orders/{id}/cancel"),
            &s.olive,
            integration_tests::NO_BODY,
        )
        .await;
    assert_eq!(st, StatusCode::NOT_FOUND);
    let mail = s.env.next_mail(&s.ann.email, mails_before).await;
    assert!(mail.subject.contains("cancelled"), "{mail:?}");
    s.env.audit_ledger().await;
}

#[tokio::test]
async fn spending_more_points_than_the_balance_is_refused_and_nothing_is_written() {
    let s = shop().await;
    s.env.give_points(&s.ann.customer_id(), 30).await;
    let mine = s.image(&s.ann, 822, "private").await;
    let quote = s.env.quote_id(&s.ann, &[(&mine, "2L", 1)], LOCATION).await;
    let o = s
        .env
        .order(&s.ann, Some("k"), &Shop::order_body(&quote, 31))
        .await;
    assert_eq!(o.status, StatusCode::CONFLICT, "{:?}", o.body);
    assert!(
        o.body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("not enough points"),
        "{:?}",
        o.body
    );
    let o = s
        .env
        .order(&s.ann, Some("k2"), &Shop::order_body(&quote, 51))
        .await;
    assert_eq!(
        o.status,
        StatusCode::BAD_REQUEST,
        "more than the total: {:?}",
        o.body
    );
    assert_eq!(s.env.balance(&s.ann).await, 30);
    let (_, list) = s.env.get("/v1/orders", &s.ann).await;
    assert!(list["orders"].as_array().unwrap().is_empty());
    s.env.audit_ledger().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_orders_spending_the_same_points_at_once_one_wins_and_the_other_gets_409() {
    let s = shop().await;
    s.env.give_points(&s.ann.customer_id(), 100).await;
    let mine = s.image(&s.ann, 823, "private").await;
    let lines = [(mine.as_str(), "2L", 2)];
    let quotes = [
        s.env.quote_id(&s.ann, &lines, LOCATION).await,
        s.env.quote_id(&s.ann, &lines, LOCATION).await,
    ];
    let bodies: Vec<Value> = quotes.iter().map(|q| Shop::order_body(q, 80)).collect();
    let answers = join_all(
        bodies
            .iter()
            .enumerate()
            .map(|(i, b)| s.env.order(&s.ann, Some(if i == 0 { "a" } else { "b" }), b)),
    )
    .await;
    let statuses: Vec<StatusCode> = answers.iter().map(|a| a.status).collect();
    assert_eq!(
        statuses.iter().filter(|s| **s == StatusCode::CREATED).count(),
        1,
        "{answers:?}"
    );
    assert_eq!(
        statuses.iter().filter(|s| **s == StatusCode::CONFLICT).count(),
        1,
        "{answers:?}"
    );
    assert_eq!(s.env.balance(&s.ann).await, 20);
    s.env.audit_ledger().await;
}
