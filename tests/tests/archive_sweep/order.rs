//! M30: a customer quotes one disc of their proposal with an image taken
//! out, orders it with an `Idempotency-Key`, pays through the webhook, and
//! may cancel it until it is dispatched; one order at a time holds the
//! proposal, and a cancelled one lets it go.

use super::*;
use integration_tests::orders::address;

/// A proposal of ann's four photos (the second selected), and its ID.
pub(super) async fn proposed(env: &TestEnv) -> (Customer, Vec<String>, String) {
    let ann = env.new_customer().await;
    let ids = four_photos_the_second_selected(env, &ann).await;
    let r = sweep(env, time::OffsetDateTime::now_utc().date()).await;
    assert_eq!(r.get("proposed"), 1, "{r:?}");
    let (s, list) = env.get("/v1/archive/proposals", &ann.token).await;
    assert_eq!(s, StatusCode::OK, "{list}");
    let pid = list["proposals"][0]["proposal_id"].as_str().unwrap().to_owned();
    (ann, ids, pid)
}

#[tokio::test]
async fn a_disc_is_quoted_without_an_image_ordered_once_paid_and_cancelled() {
    // No dispatcher: the paid order stays paid, to be cancelled (with one,
    // it would be on its way to the lab: `disc.rs`).
    let env = TestEnv::with(|o| {
        o.settings.archive.max_images = 3;
        o.run_dispatcher = false;
    })
    .await;
    env.lab("disclab", &["tokyo-shibuya"]).await;
    let (ann, ids, pid) = proposed(&env).await;
    let quote = format!("/v1/archive/proposals/{pid}/quote");

    // Refused, saying why: an image not on the disc, every image, no lab.
    for (body, status, says) in [
        (
            json!({"disc": "cd", "location": "tokyo-shibuya", "without": [ids[1]]}),
            400,
            "not among the images proposed for the cd",
        ),
        (
            json!({"disc": "cd", "location": "tokyo-shibuya", "without": [ids[0], ids[2], ids[3]]}),
            400,
            "at least one must stay",
        ),
        (
            json!({"disc": "cd", "location": "osaka-umeda"}),
            400,
            "osaka-umeda",
        ),
        (
            json!({"disc": "floppy", "location": "tokyo-shibuya"}),
            400,
            "disc",
        ),
        (
            json!({"disc": "cd", "location": "tokyo-shibuya", "extra": 1}),
            400,
            "extra",
        ),
    ] {
        let (s, b) = env.post(&quote, &ann.token, body.clone()).await;
        assert_eq!(s.as_u16(), status, "{body}: {b}");
        assert!(
            b["error"]["message"].as_str().unwrap().contains(says),
            "{body}: {b}"
        );
    }
    let stranger = env.new_customer().await;
    let (s, b) = env
        .post(
            &quote,
            &stranger.token,
            json!({"disc": "cd", "location": "tokyo-shibuya"}),
        )
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND, "{b}");

    // The DVD without the first photo: two photos, the DVD's fee.
    let (s, q) = env
        .post(
            &quote,
            &ann.token,
            json!({"disc": "dvd", "location": "tokyo-shibuya", "without": [ids[0]]}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{q}");
    assert_eq!(
        (&q["medium"], &q["medium_fee"], &q["total"], &q["points"]),
        (&json!("dvd"), &json!(500), &json!(500), &json!(5)),
        "{q}"
    );
    assert_eq!(q["lines"], json!([]));
    assert_eq!(q["archive"]["images"], json!([ids[2], ids[3]]));
    assert_eq!(q["archive"]["disc"], "dvd");
    let body = json!({"quote_id": q["quote_id"], "address": address()});

    let placed = env.order(&ann.token, Some("arch-1"), &body).await;
    assert_eq!(placed.status, StatusCode::CREATED, "{:?}", placed.body);
    let order = placed.body["order_id"].as_str().unwrap().to_owned();
    assert_eq!(placed.body["archive"]["proposal_id"], pid.as_str());
    let again = env.order(&ann.token, Some("arch-1"), &body).await;
    assert!(
        again.replayed && again.body["order_id"] == order.as_str(),
        "{again:?}"
    );
    // One order holds the proposal: another quote or order is refused.
    let (s, b) = env
        .post(
            &quote,
            &ann.token,
            json!({"disc": "cd", "location": "tokyo-shibuya"}),
        )
        .await;
    assert_eq!(s, StatusCode::CONFLICT, "{b}");
    assert!(
        b["error"]["message"]
            .as_str()
            .unwrap()
            .contains("already ordered"),
        "{b}"
    );
    let (s, list) = env.get("/v1/archive/proposals", &ann.token).await;
    assert_eq!(
        (s, &list["proposals"][0]["status"]),
        (StatusCode::OK, &json!("ordered"))
    );

    // Paid through the same webhook.
    let (s, b) = env.pay_as(&order, 500, "wh-arch-1", "pay-arch-1").await;
    assert_eq!(s, 200, "{b}");
    env.check_order_books(&order).await;
    let (o, _) = env.stored_order(&order).await;
    assert_eq!(o.status, printvault_domain::order::OrderStatus::Paid);
    // Cancelled before it is dispatched: refunded, and the proposal is
    // open to order again.
    let (s, b) = env
        .post(&format!("/v1/orders/{order}/cancel"), &ann.token, json!({}))
        .await;
    assert_eq!(s, StatusCode::OK, "{b}");
    assert_eq!(
        (&b["status"], &b["refund_due"]),
        (&json!("cancelled"), &json!(500)),
        "{b}"
    );
    env.check_order_books(&order).await;
    let (s, list) = env.get("/v1/archive/proposals", &ann.token).await;
    assert_eq!(
        (s, &list["proposals"][0]["status"]),
        (StatusCode::OK, &json!("open"))
    );
    let (s, q2) = env
        .post(
            &quote,
            &ann.token,
            json!({"disc": "cd", "location": "tokyo-shibuya"}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{q2}");
    let placed = env
        .order(
            &ann.token,
            Some("arch-2"),
            &json!({"quote_id": q2["quote_id"], "address": address()}),
        )
        .await;
    assert_eq!(placed.status, StatusCode::CREATED, "{:?}", placed.body);
}

#[tokio::test]
async fn two_orders_of_one_proposal_at_once_place_one() {
    let env = env().await;
    env.lab("disclab2", &["tokyo-shibuya"]).await;
    let (ann, _, pid) = proposed(&env).await;
    let quote = format!("/v1/archive/proposals/{pid}/quote");
    let mut quotes = Vec::new();
    for disc in ["cd", "dvd"] {
        let (s, q) = env
            .post(
                &quote,
                &ann.token,
                json!({"disc": disc, "location": "tokyo-shibuya"}),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{q}");
        quotes.push(json!({"quote_id": q["quote_id"], "address": address()}));
    }
    let (a, b) = tokio::join!(
        env.order(&ann.token, Some("race-a"), &quotes[0]),
        env.order(&ann.token, Some("race-b"), &quotes[1])
    );
    let placed = [&a, &b]
        .iter()
        .filter(|x| x.status == StatusCode::CREATED)
        .count();
    assert_eq!(placed, 1, "{a:?} {b:?}");
    let refused = if a.status == StatusCode::CREATED { &b } else { &a };
    assert_eq!(refused.status, StatusCode::CONFLICT, "{refused:?}");
}
