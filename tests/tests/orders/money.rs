//! Issue 18: money and points stay exact whatever order events arrive in.
//! Each test reproduces one finding through the api and checks the
//! order's books (`printvault_domain::order::money::check`) and the
//! ledger's audit.

use super::reports::{order_at, report, setup};
use super::*;
use printvault_domain::ids::OrderId;

pub(super) async fn view(s: &Shop, order: &str) -> Value {
    let (st, o) = s.env.get(&format!("/v1/orders/{order}"), &s.ann).await;
    assert_eq!(st, StatusCode::OK, "{o}");
    o
}

/// Ann's placed order of `lines` at the shop's store, spending `points`.
pub(super) async fn placed(s: &Shop, lines: &[(&str, &str, u32)], points: i64) -> (String, i64) {
    let quote = s.env.quote_id(&s.ann, lines, LOCATION).await;
    let key = format!("k{}", rand::random::<u32>());
    let o = s
        .env
        .order(&s.ann, Some(&key), &Shop::order_body(&quote, points))
        .await;
    assert_eq!(o.status, StatusCode::CREATED, "{:?}", o.body);
    (
        o.body["order_id"].as_str().unwrap().to_owned(),
        o.body["amount_due"].as_i64().unwrap(),
    )
}

async fn cancel(s: &Shop, order: &str) -> (StatusCode, Value) {
    s.env
        .post(
            &format!("/v1/orders/{order}/cancel"),
            &s.ann,
            integration_tests::NO_BODY,
        )
        .await
}

pub(super) async fn dispatch(s: &Shop, order: &str) -> print_dispatch::Outcome {
    s.env
        .stack
        .dispatcher
        .dispatch(&OrderId::parse(order).unwrap(), time::OffsetDateTime::now_utc())
        .await
        .expect("dispatch runs")
}

/// The print records counted against `image` of `owner`'s (M27).
pub(super) async fn prints_of(s: &Shop, owner: &integration_tests::Customer, image: &str) -> usize {
    use aws_sdk_dynamodb::types::AttributeValue;
    s.env
        .stack
        .clients
        .dynamodb
        .query()
        .table_name(&s.env.stack.resources.names.images_table)
        .key_condition_expression("pk = :pk AND begins_with(sk, :p)")
        .expression_attribute_values(":pk", AttributeValue::S(format!("CUST#{}", owner.id)))
        .expression_attribute_values(":p", AttributeValue::S(format!("PRINT#{image}#")))
        .send()
        .await
        .unwrap()
        .count as usize
}

/// Finding 2: a printed line reported `failed` kept its points. Points and
/// the owner's share are credited only once a line ships (it can no longer
/// fail then); a printed line that fails gives back its money and its
/// print record, and no balance ever has to be taken back.
#[tokio::test]
async fn a_printed_line_that_fails_keeps_no_points_no_share_and_no_print() {
    let (s, key, mine, theirs) = setup().await;
    let order = order_at(&s, &[(&mine, "L", 1), (&theirs, "L", 1)], 0).await;
    let (ann0, olive0) = (s.env.balance(&s.ann).await, s.env.balance(&s.olive).await);
    for line in [1, 2] {
        let (st, r) = report(&s, &key, &order, line, json!({"stage": "printed"})).await;
        assert_eq!(st, StatusCode::OK, "{r}");
    }
    assert_eq!(prints_of(&s, &s.olive, &theirs).await, 1, "counted once printed");
    assert_eq!(
        s.env.balance(&s.ann).await,
        ann0,
        "nothing credited before shipping"
    );
    assert_eq!(s.env.balance(&s.olive).await, olive0);

    let (st, r) = report(
        &s,
        &key,
        &order,
        2,
        json!({"stage": "failed", "reason": "lost in transit"}),
    )
    .await;
    assert_eq!((st, r["stage"].as_str()), (StatusCode::OK, Some("failed")), "{r}");
    let o = view(&s, &order).await;
    assert_eq!(o["refund_due"], 170, "Olive's ¥150 and the ¥20 print fee: {o}");
    assert_eq!(
        prints_of(&s, &s.olive, &theirs).await,
        0,
        "a failed print is no print"
    );
    assert_eq!(s.env.balance(&s.ann).await, ann0);
    assert_eq!(
        s.env.balance(&s.olive).await,
        olive0,
        "no share for a print never delivered"
    );

    let ship = json!({"stage": "shipped", "carrier": "Japan Post", "tracking": "EJ1JP"});
    let (st, _) = report(&s, &key, &order, 1, ship.clone()).await;
    assert_eq!(st, StatusCode::OK);
    assert_eq!(
        s.env.balance(&s.ann).await,
        ann0 + 2,
        "line 1's points, once shipped"
    );
    let (st, _) = report(&s, &key, &order, 1, ship).await;
    assert_eq!(st, StatusCode::OK);
    assert_eq!(s.env.balance(&s.ann).await, ann0 + 2, "credited once");
    s.env.check_order_books(&order).await;
    s.env.audit_ledger().await;
}

/// Finding 4, first part: the same payment sent again under a new webhook
/// ID added its refund again (cancel, pay, pay again gave 2×).
#[tokio::test]
async fn the_same_payment_under_a_new_webhook_id_counts_once() {
    let s = shop().await;
    let mine = s.image(&s.ann, 881, "private").await;
    let (order, due) = placed(&s, &[(&mine, "L", 1)], 0).await;
    assert_eq!(cancel(&s, &order).await.0, StatusCode::OK);
    let (st, a) = s.env.pay_as(&order, due, "wh_a1", "pay_a").await;
    assert_eq!((st, a["status"].as_str()), (200, Some("refund_due")), "{a}");
    let (st, a) = s.env.pay_as(&order, due, "wh_a2", "pay_a").await;
    assert_eq!((st, a["status"].as_str()), (200, Some("replayed")), "{a}");
    let o = view(&s, &order).await;
    assert_eq!(
        (o["received"].as_i64(), o["refund_due"].as_i64()),
        (Some(due), Some(due)),
        "{o}"
    );
    s.env.check_order_books(&order).await;
}

/// Finding 4, second part: cancelling set `refund_due = amount_due`,
/// wiping a refund recorded before (a second payment of a paid order).
#[tokio::test]
async fn cancelling_keeps_a_refund_recorded_before() {
    let s = shop_with(|o| o.run_dispatcher = false).await;
    let mine = s.image(&s.ann, 882, "private").await;
    let (order, due) = placed(&s, &[(&mine, "L", 2)], 0).await;
    assert_eq!(
        s.env.pay_as(&order, due, "wh_b1", "pay_b1").await.1["status"],
        "paid"
    );
    assert_eq!(
        s.env.pay_as(&order, due, "wh_b2", "pay_b2").await.1["status"],
        "refund_due"
    );
    s.env.check_order_books(&order).await;
    let (st, o) = cancel(&s, &order).await;
    assert_eq!(st, StatusCode::OK, "{o}");
    assert_eq!(
        (o["received"].as_i64(), o["refund_due"].as_i64()),
        (Some(2 * due), Some(2 * due)),
        "{o}"
    );
    s.env.check_order_books(&order).await;
}

/// Finding 4, third part: a failed line refunded `amount_due − refund_due`,
/// so after a duplicate payment it refunded ¥0.
#[tokio::test]
async fn a_failed_line_is_refunded_after_a_duplicate_payment() {
    let (s, key, mine, _) = setup().await;
    let order = order_at(&s, &[(&mine, "L", 1), (&mine, "2L", 1)], 0).await;
    let (st, a) = s.env.pay_as(&order, 70, "wh_c2", "pay_c2").await;
    assert_eq!((st, a["status"].as_str()), (200, Some("refund_due")), "{a}");
    let (st, _) = report(
        &s,
        &key,
        &order,
        1,
        json!({"stage": "failed", "reason": "paper jam"}),
    )
    .await;
    assert_eq!(st, StatusCode::OK);
    let o = view(&s, &order).await;
    assert_eq!(o["refund_due"], 70 + 20, "the duplicate and line 1: {o}");
    s.env.check_order_books(&order).await;
}

/// Money in yen is never turned away: a payment of the wrong amount is
/// received and owed back whole, and the order waits for the right one.
#[tokio::test]
async fn a_payment_of_the_wrong_amount_is_received_and_owed_back() {
    let s = shop_with(|o| o.run_dispatcher = false).await;
    let mine = s.image(&s.ann, 883, "private").await;
    let (order, due) = placed(&s, &[(&mine, "L", 2)], 0).await;
    let (st, a) = s.env.pay_as(&order, due - 1, "wh_d1", "pay_d1").await;
    assert_eq!((st, a["status"].as_str()), (200, Some("refund_due")), "{a}");
    let o = view(&s, &order).await;
    assert_eq!(
        (o["status"].as_str(), o["refund_due"].as_i64()),
        (Some("placed"), Some(due - 1)),
        "{o}"
    );
    s.env.check_order_books(&order).await;
    let (st, a) = s.env.pay_as(&order, 0, "wh_d0", "pay_d0").await;
    assert_eq!(st, 400, "no payment of nothing: {a}");
    assert_eq!(
        s.env.pay_as(&order, due, "wh_d2", "pay_d2").await.1["status"],
        "paid"
    );
    let o = view(&s, &order).await;
    assert_eq!(
        (o["received"].as_i64(), o["refund_due"].as_i64()),
        (Some(2 * due - 1), Some(due - 1)),
        "{o}"
    );
    s.env.check_order_books(&order).await;
}
