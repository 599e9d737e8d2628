//! Issue 18: a dead end becomes a refund. A line that cannot be printed
//! by dispatch (its image deleted, its owner in arrears) is refunded and
//! its buyer emailed, never left stuck; labs get strangers' originals
//! without their location.

use super::money::{dispatch, placed, view};
use super::*;
use printvault_domain::order::OrderStatus;

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
