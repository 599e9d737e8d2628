//! M21 lab reports: a lab moves its jobs on with its own key; printing
//! counts the print against its image, shipping credits the buyer's points
//! and the owner's share; a failed line is refunded, money first, then points;
//! stages only move forward; the buyer is emailed at each.

use super::*;

/// `POST` a report of line `line` of `order` with lab key `key`.
pub(super) async fn report(s: &Shop, key: &str, order: &str, line: u32, body: Value) -> (StatusCode, Value) {
    let res = s
        .env
        .http
        .post(s.env.url(&format!("/v1/lab/orders/{order}/lines/{line}/reports")))
        .header("x-lab-key", key)
        .json(&body)
        .send()
        .await
        .unwrap();
    let status = res.status();
    (status, res.json().await.unwrap_or(Value::Null))
}

/// Ann's own image and Olive's printable one, ordered and dispatched, with
/// the lab's key (the shop's lab is registered again under a new ID, so
/// the test knows its key).
pub(super) async fn setup() -> (Shop, String, String, String) {
    let s = shop().await;
    // The shop's lab was made before this test could keep its key: a
    // second lab takes over a new location, and the order goes there.
    let key = s.env.lab("report-lab", &["report-store"]).await;
    let mine = s.image(&s.ann, 861, "private").await;
    let theirs = s.image(&s.olive, 862, "printable").await;
    (s, key, mine, theirs)
}

pub(super) async fn order_at(s: &Shop, lines: &[(&str, &str, u32)], points: i64) -> String {
    let quote = {
        let (st, q) = s.env.quote(&s.ann, lines, "report-store").await;
        assert_eq!(st, StatusCode::CREATED, "{q}");
        q["quote_id"].as_str().unwrap().to_owned()
    };
    let o = s
        .env
        .order(
            &s.ann,
            Some(&format!("k{}", rand::random::<u32>())),
            &Shop::order_body(&quote, points),
        )
        .await;
    assert_eq!(o.status, StatusCode::CREATED, "{:?}", o.body);
    let order = o.body["order_id"].as_str().unwrap().to_owned();
    s.pay(&order, o.body["amount_due"].as_i64().unwrap()).await;
    s.wait_dispatched(&order).await;
    order
}

#[tokio::test]
async fn printing_counts_the_print_and_shipping_credits_points_and_the_owners_share() {
    let (s, key, mine, theirs) = setup().await;
    let order = order_at(&s, &[(&mine, "L", 2), (&theirs, "2L", 1)], 0).await;
    // Line 2: (5 + 5% of 400) points for Ann; 70% of ¥400 for Olive.
    let (ann0, olive0) = (s.env.balance(&s.ann).await, s.env.balance(&s.olive).await);
    let mails0 = s.env.mails_to(&s.ann.email).await.len();

    let (st, _) = report(&s, &"x".repeat(43), &order, 2, json!({"stage": "accepted"})).await;
    assert_eq!(st, StatusCode::UNAUTHORIZED);
    let other = s.env.lab("other-lab", &["other-store"]).await;
    let (st, _) = report(&s, &other, &order, 2, json!({"stage": "accepted"})).await;
    assert_eq!(st, StatusCode::NOT_FOUND, "another lab's job answers like none");
    let (st, _) = report(&s, &key, &order, 9, json!({"stage": "accepted"})).await;
    assert_eq!(st, StatusCode::NOT_FOUND);

    let (st, r) = report(&s, &key, &order, 2, json!({"stage": "accepted"})).await;
    assert_eq!(
        (st, r["stage"].as_str()),
        (StatusCode::OK, Some("accepted")),
        "{r}"
    );
    let (st, r) = report(&s, &key, &order, 2, json!({"stage": "printed"})).await;
    assert_eq!(
        (st, r["stage"].as_str()),
        (StatusCode::OK, Some("printed")),
        "{r}"
    );
    // Counted once printed, credited once shipped (issue 18).
    assert_eq!(s.env.balance(&s.ann).await, ann0);
    assert_eq!(s.env.balance(&s.olive).await, olive0);
    // Printed again: the same answer.
    let (st, _) = report(&s, &key, &order, 2, json!({"stage": "printed"})).await;
    assert_eq!(st, StatusCode::OK);
    let (st, _) = report(&s, &key, &order, 2, json!({"stage": "accepted"})).await;
    assert_eq!(st, StatusCode::CONFLICT, "stages only move forward");
    let (st, _) = report(
        &s,
        &key,
        &order,
        2,
        json!({"stage": "shipped", "carrier": "Japan Post"}),
    )
    .await;
    assert_eq!(st, StatusCode::BAD_REQUEST, "shipped needs its tracking number");
    let (st, r) = report(
        &s,
        &key,
        &order,
        2,
        json!({"stage": "shipped", "carrier": "Japan Post", "tracking": "EJ123456789JP"}),
    )
    .await;
    assert_eq!(
        (st, r["tracking"].as_str()),
        (StatusCode::OK, Some("EJ123456789JP")),
        "{r}"
    );
    assert_eq!(s.env.balance(&s.ann).await, ann0 + 25);
    assert_eq!(s.env.balance(&s.olive).await, olive0 + 280);

    // The print counts against Olive's image, with its date.
    let olive_pk = format!("CUST#{}", s.olive.id);
    let prints = s.env.items_in(&olive_pk).await;
    assert!(prints > 0);
    let counted = s
        .env
        .stack
        .clients
        .dynamodb
        .query()
        .table_name(&s.env.stack.resources.names.images_table)
        .key_condition_expression("pk = :pk AND begins_with(sk, :p)")
        .expression_attribute_values(":pk", aws_sdk_dynamodb::types::AttributeValue::S(olive_pk))
        .expression_attribute_values(
            ":p",
            aws_sdk_dynamodb::types::AttributeValue::S(format!("PRINT#{theirs}#")),
        )
        .send()
        .await
        .unwrap()
        .items
        .unwrap_or_default();
    assert_eq!(counted.len(), 1);
    assert_eq!(counted[0]["copies"].as_n().unwrap(), "1");
    let mail = s.env.next_mail(&s.ann.email, mails0 + 2).await;
    assert!(mail.body.contains("EJ123456789JP"), "{mail:?}");
    s.env.audit_ledger().await;
}

#[tokio::test]
async fn a_failed_line_is_refunded_money_first_then_points() {
    let (s, key, mine, _) = setup().await;
    s.env.give_points(&s.ann.customer_id(), 30).await;
    // ¥60 + ¥50, ¥30 of it in points: ¥80 paid.
    let order = order_at(&s, &[(&mine, "L", 3), (&mine, "2L", 1)], 30).await;
    assert_eq!(s.env.balance(&s.ann).await, 0);
    let (st, r) = report(
        &s,
        &key,
        &order,
        2,
        json!({"stage": "failed", "reason": "paper jam"}),
    )
    .await;
    assert_eq!((st, r["stage"].as_str()), (StatusCode::OK, Some("failed")), "{r}");
    let (_, o) = s.env.get(&format!("/v1/orders/{order}"), &s.ann).await;
    assert_eq!(
        (o["refund_due"].as_i64(), o["points_returned"].as_i64()),
        (Some(50), Some(0)),
        "{o}"
    );
    let (st, _) = report(
        &s,
        &key,
        &order,
        1,
        json!({"stage": "failed", "reason": "paper jam"}),
    )
    .await;
    assert_eq!(st, StatusCode::OK);
    let (_, o) = s.env.get(&format!("/v1/orders/{order}"), &s.ann).await;
    assert_eq!(
        (o["refund_due"].as_i64(), o["points_returned"].as_i64()),
        (Some(80), Some(30)),
        "{o}"
    );
    assert_eq!(s.env.balance(&s.ann).await, 30);
    let (st, _) = report(&s, &key, &order, 1, json!({"stage": "printed"})).await;
    assert_eq!(st, StatusCode::CONFLICT, "a failed line stays failed");
    s.env.audit_ledger().await;
}
