//! Issue 18: money and points stay exact whatever order events arrive in.
//! Each test reproduces one finding through the api and checks the
//! order's books (`printvault_domain::order::money::check`) and the
//! ledger's audit.

use super::reports::{order_at, report, setup};
use super::*;
use printvault_domain::ids::OrderId;
use printvault_domain::order::OrderStatus;

async fn view(s: &Shop, order: &str) -> Value {
    let (st, o) = s.env.get(&format!("/v1/orders/{order}"), &s.ann).await;
    assert_eq!(st, StatusCode::OK, "{o}");
    o
}

/// Ann's placed order of `lines` at the shop's store, spending `points`.
async fn placed(s: &Shop, lines: &[(&str, &str, u32)], points: i64) -> (String, i64) {
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

async fn dispatch(s: &Shop, order: &str) -> print_dispatch::Outcome {
    s.env
        .stack
        .dispatcher
        .dispatch(&OrderId::parse(order).unwrap(), time::OffsetDateTime::now_utc())
        .await
        .expect("dispatch runs")
}

/// The print records counted against `image` of `owner`'s (M27).
async fn prints_of(s: &Shop, owner: &integration_tests::Customer, image: &str) -> usize {
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

/// Finding 3: a paid order whose image its owner deleted was stuck in
/// `dispatching`, failing until the DLQ, with nothing refunded. Now the
/// dead line is refunded (money, then points) and the buyer emailed; with
/// no line left the order ends `cancelled`, and a redelivery changes nothing.
#[tokio::test]
async fn an_order_whose_image_is_gone_by_dispatch_is_cancelled_and_refunded() {
    let s = shop_with(|o| o.run_dispatcher = false).await;
    let theirs = s.image(&s.olive, 884, "printable").await;
    s.env.give_points(&s.ann.customer_id(), 30).await;
    let (order, due) = placed(&s, &[(&theirs, "L", 1)], 30).await;
    assert_eq!(due, 170 - 30);
    let (st, _) = s.env.delete(&format!("/v1/images/{theirs}"), &s.olive).await;
    assert!(st.is_success(), "{st}");
    let mails = s.env.mails_to(&s.ann.email).await.len();
    assert_eq!(
        s.env.pay_as(&order, due, "wh_e1", "pay_e1").await.1["status"],
        "paid"
    );
    assert_eq!(dispatch(&s, &order).await, print_dispatch::Outcome::Cancelled);
    let o = view(&s, &order).await;
    assert_eq!(
        (
            o["status"].as_str(),
            o["refund_due"].as_i64(),
            o["points_returned"].as_i64()
        ),
        (Some("cancelled"), Some(due), Some(30)),
        "{o}"
    );
    assert_eq!(s.env.balance(&s.ann).await, 30, "the points spent are back");
    let mail = s.env.next_mail(&s.ann.email, mails).await;
    assert!(mail.body.contains("refund"), "{mail:?}");
    assert_eq!(
        dispatch(&s, &order).await,
        print_dispatch::Outcome::Skipped(OrderStatus::Cancelled)
    );
    s.env.check_order_books(&order).await;
    s.env.audit_ledger().await;
}

/// Finding 3, with a line left: the gone line is refunded, the other goes
/// to the lab, and the order ends `dispatched`.
#[tokio::test]
async fn a_gone_line_is_refunded_and_the_rest_goes_to_the_lab() {
    let s = shop_with(|o| o.run_dispatcher = false).await;
    let mine = s.image(&s.ann, 885, "private").await;
    let theirs = s.image(&s.olive, 886, "printable").await;
    let (order, due) = placed(&s, &[(&mine, "L", 1), (&theirs, "L", 1)], 0).await;
    let (st, _) = s.env.delete(&format!("/v1/images/{theirs}"), &s.olive).await;
    assert!(st.is_success(), "{st}");
    assert_eq!(
        s.env.pay_as(&order, due, "wh_f1", "pay_f1").await.1["status"],
        "paid"
    );
    assert_eq!(dispatch(&s, &order).await, print_dispatch::Outcome::Dispatched(1));
    let o = view(&s, &order).await;
    assert_eq!(
        (o["status"].as_str(), o["refund_due"].as_i64()),
        (Some("dispatched"), Some(170)),
        "{o}"
    );
    let (_, lines) = s.env.stored_order(&order).await;
    assert_eq!(lines.len(), 1);
    assert_eq!((lines[0].line, lines[0].stage.as_str()), (2, "failed"));
    s.env.check_order_books(&order).await;
}

/// Finding 5: quotes, orders and dispatch never consulted the owner's
/// standing. An owner in arrears (M24) sells nothing: a quote answers as
/// for an image that does not exist, an order of an earlier quote is
/// refused, and a paid order is refunded at dispatch.
#[tokio::test]
async fn an_owner_in_arrears_sells_nothing() {
    let s = shop_with(|o| o.run_dispatcher = false).await;
    let theirs = s.image(&s.olive, 887, "printable").await;
    let early = s.env.quote_id(&s.ann, &[(&theirs, "L", 1)], LOCATION).await;
    let olive = s.olive.customer_id();
    s.env.set_arrears(&olive, true).await;
    let (st, q) = s.env.quote(&s.ann, &[(&theirs, "L", 1)], LOCATION).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{q}");
    let nobody = printvault_domain::ids::ImageId::generate().to_string();
    let (_, none) = s.env.quote(&s.ann, &[(&nobody, "L", 1)], LOCATION).await;
    assert_eq!(
        q["error"]["message"].as_str().unwrap().replace(&theirs, "ID"),
        none["error"]["message"].as_str().unwrap().replace(&nobody, "ID"),
        "the same answer as for an image that does not exist"
    );
    let o = s
        .env
        .order(&s.ann, Some("early"), &Shop::order_body(&early, 0))
        .await;
    assert_eq!(o.status, StatusCode::UNPROCESSABLE_ENTITY, "{:?}", o.body);

    s.env.set_arrears(&olive, false).await;
    let o = s
        .env
        .order(&s.ann, Some("early-2"), &Shop::order_body(&early, 0))
        .await;
    assert_eq!(o.status, StatusCode::CREATED, "{:?}", o.body);
    let order = o.body["order_id"].as_str().unwrap().to_owned();
    assert_eq!(
        s.env.pay_as(&order, 170, "wh_g1", "pay_g1").await.1["status"],
        "paid"
    );
    s.env.set_arrears(&olive, true).await;
    assert_eq!(dispatch(&s, &order).await, print_dispatch::Outcome::Cancelled);
    let o = view(&s, &order).await;
    assert_eq!(
        (o["status"].as_str(), o["refund_due"].as_i64()),
        (Some("cancelled"), Some(170)),
        "{o}"
    );
    s.env.check_order_books(&order).await;
}

/// Finding 6: labs received the stored original, GPS included, of other
/// customers' images. A lab now gets the copy without location (its own
/// length and SHA-256 in the job); a buyer's own image goes as uploaded.
#[tokio::test]
async fn a_lab_gets_a_strangers_original_without_its_location() {
    let s = shop_with(|o| o.run_dispatcher = false).await;
    let exif = integration_tests::testkit::TestExif {
        gps: Some((35.0116, 135.7681)),
        ..Default::default()
    };
    let located =
        integration_tests::testkit::with_exif(&integration_tests::testkit::photo_jpeg(320, 240, 888), &exif);
    let theirs = s.env.upload_ready(&s.olive, &located, "image/jpeg").await;
    let (st, b) = s
        .env
        .put(
            &format!("/v1/images/{theirs}/class"),
            &s.olive,
            json!({"class": "printable", "prices": {"L": 150, "2L": 400}}),
        )
        .await;
    assert_eq!(st, StatusCode::OK, "{b}");
    let mine = s.env.upload_ready(&s.ann, &located, "image/jpeg").await;
    let (order, due) = placed(&s, &[(&theirs, "L", 1), (&mine, "L", 1)], 0).await;
    assert_eq!(
        s.env.pay_as(&order, due, "wh_h1", "pay_h1").await.1["status"],
        "paid"
    );
    assert_eq!(dispatch(&s, &order).await, print_dispatch::Outcome::Dispatched(2));
    let queue = s
        .env
        .stack
        .api_state
        .stores
        .labs
        .lab(&printvault_domain::order::Slug::parse("shibuya-lab", "lab").unwrap())
        .await
        .unwrap()
        .unwrap()
        .queue_url;
    let jobs = s.env.drain(&queue).await;
    assert_eq!(jobs.len(), 2, "{jobs:?}");
    for body in jobs {
        let job: Value = serde_json::from_str(&body).unwrap();
        let asset = &job["assets"][0];
        let bytes = reqwest::get(asset["url"].as_str().unwrap())
            .await
            .unwrap()
            .bytes()
            .await
            .unwrap();
        use sha2::Digest;
        assert_eq!(bytes.len() as u64, asset["bytes"].as_u64().unwrap());
        assert_eq!(hex::encode(sha2::Sha256::digest(&bytes)), asset["sha256"]);
        let gps = printvault_imaging::process(&bytes, &Default::default(), &Default::default())
            .unwrap()
            .exif
            .gps;
        if job["line"] == 1 {
            assert!(gps.is_none(), "a stranger's location never reaches the lab");
        } else {
            assert!(gps.is_some(), "the buyer's own image goes as uploaded");
        }
    }
}
