//! Issue 19: a buyer sees where each line of their order stands. Every line
//! of a dispatched order is `dispatched` until its lab reports on it, then
//! at the stage the lab reported (with carrier and tracking once shipped,
//! the reason once failed); before dispatch there are none. Nobody else
//! sees any of it, and the list of orders carries no stages.

use super::guests::emailed_token;
use super::reports::{order_at, report, setup};
use super::*;

/// `(line, stage)` of each entry of `order["stages"]`.
fn stages(order: &Value) -> Vec<(u64, String)> {
    order["stages"]
        .as_array()
        .unwrap_or_else(|| panic!("an order with stages: {order}"))
        .iter()
        .map(|s| {
            (
                s["line"].as_u64().unwrap(),
                s["stage"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

fn pairs(v: &[(u64, &str)]) -> Vec<(u64, String)> {
    v.iter().map(|(l, s)| (*l, (*s).to_owned())).collect()
}

#[tokio::test]
async fn a_buyer_sees_each_lines_stage_and_nobody_else_does() {
    let (s, key, mine, theirs) = setup().await;

    // Placed, not yet with a lab: no line has a stage yet.
    let quote = s.env.quote_id(&s.ann, &[(&mine, "L", 1)], "report-store").await;
    let placed = s
        .env
        .order(&s.ann, Some("stages-unpaid"), &Shop::order_body(&quote, 0))
        .await;
    assert_eq!(placed.status, StatusCode::CREATED, "{:?}", placed.body);
    assert_eq!(placed.body["stages"], json!([]), "{:?}", placed.body);
    let unpaid = placed.body["order_id"].as_str().unwrap().to_owned();
    let (st, o) = s.env.get(&format!("/v1/orders/{unpaid}"), &s.ann).await;
    assert_eq!((st, &o["stages"]), (StatusCode::OK, &json!([])), "{o}");

    // Paid and dispatched: every line is `dispatched`, since it was sent.
    let order = order_at(&s, &[(&mine, "L", 1), (&mine, "2L", 1), (&theirs, "L", 1)], 0).await;
    let path = format!("/v1/orders/{order}");
    let (st, o) = s.env.get(&path, &s.ann).await;
    assert_eq!(st, StatusCode::OK, "{o}");
    assert_eq!(
        stages(&o),
        pairs(&[(1, "dispatched"), (2, "dispatched"), (3, "dispatched")])
    );
    for line in o["stages"].as_array().unwrap() {
        assert!(line["at"].as_str().is_some_and(|a| !a.is_empty()), "{line}");
        for absent in ["carrier", "tracking", "reason"] {
            assert!(line.get(absent).is_none(), "{line}");
        }
    }

    // The lab moves the lines on: 1 printed, 2 shipped, 3 failed.
    for (line, body) in [
        (1, json!({"stage": "accepted"})),
        (1, json!({"stage": "printed"})),
        (2, json!({"stage": "printed"})),
        (
            2,
            json!({"stage": "shipped", "carrier": "Japan Post", "tracking": "EJ123456789JP"}),
        ),
        (
            3,
            json!({"stage": "failed", "reason": "the disc burner is broken"}),
        ),
    ] {
        let (st, r) = report(&s, &key, &order, line, body).await;
        assert_eq!(st, StatusCode::OK, "line {line}: {r}");
    }
    let (st, o) = s.env.get(&path, &s.ann).await;
    assert_eq!(st, StatusCode::OK, "{o}");
    assert_eq!(
        stages(&o),
        pairs(&[(1, "printed"), (2, "shipped"), (3, "failed")])
    );
    let [printed, shipped, failed] = &o["stages"].as_array().unwrap()[..] else {
        panic!("three lines: {o}");
    };
    assert!(printed.get("tracking").is_none(), "{printed}");
    assert_eq!(
        (shipped["carrier"].as_str(), shipped["tracking"].as_str()),
        (Some("Japan Post"), Some("EJ123456789JP")),
        "{shipped}"
    );
    assert_eq!(failed["reason"], "the disc burner is broken", "{failed}");
    assert!(failed.get("tracking").is_none(), "{failed}");

    // Another customer: 404, as for no order, and nothing of it.
    let (st, b) = s.env.get(&path, &s.olive).await;
    assert_eq!(st, StatusCode::NOT_FOUND, "{b}");
    let text = b.to_string();
    for secret in ["stages", "EJ123456789JP", "disc burner", "order_id"] {
        assert!(!text.contains(secret), "{secret} leaked: {text}");
    }

    // The list: one read per page, no stages on any order.
    let (st, list) = s.env.get("/v1/orders?limit=20", &s.ann).await;
    assert_eq!(st, StatusCode::OK, "{list}");
    let listed = list["orders"].as_array().unwrap();
    assert!(listed.iter().any(|o| o["order_id"] == order.as_str()), "{list}");
    assert!(listed.iter().all(|o| o.get("stages").is_none()), "{list}");
}

#[tokio::test]
async fn a_guest_sees_each_lines_stage_when_confirming_again() {
    let (s, key, _, theirs) = setup().await;
    let quote = s
        .env
        .quote_id(None, &[(&theirs, "L", 1), (&theirs, "2L", 1)], "report-store")
        .await;
    let guest = format!("guest-{}@example.com", rand::random::<u32>());
    let mut body = Shop::order_body(&quote, 0);
    body["email"] = json!(guest);
    let o = s.env.order(None, Some("stages-guest"), &body).await;
    assert_eq!(o.status, StatusCode::CREATED, "{:?}", o.body);
    let order = o.body["order_id"].as_str().unwrap().to_owned();
    let token = emailed_token(&s.env, &guest).await;
    let confirm = || {
        s.env
            .post("/v1/orders/guest/confirm", None, json!({"token": token}))
    };
    let (st, c) = confirm().await;
    assert_eq!((st, &c["status"]), (StatusCode::OK, &json!("placed")), "{c}");
    assert_eq!(c["stages"], json!([]), "not with the lab yet: {c}");

    s.pay(&order, o.body["amount_due"].as_i64().unwrap()).await;
    integration_tests::eventually(30, "the guest's order is dispatched", || async {
        confirm().await.1["status"] == "dispatched"
    })
    .await
    .unwrap();
    let (_, c) = confirm().await;
    assert_eq!(stages(&c), pairs(&[(1, "dispatched"), (2, "dispatched")]));

    let (st, r) = report(&s, &key, &order, 2, json!({"stage": "accepted"})).await;
    assert_eq!(st, StatusCode::OK, "{r}");
    let (_, c) = confirm().await;
    assert_eq!(stages(&c), pairs(&[(1, "dispatched"), (2, "accepted")]));
    let (st, c) = s
        .env
        .post("/v1/orders/guest/cancel", None, json!({"token": token}))
        .await;
    assert_eq!(st, StatusCode::CONFLICT, "dispatched: too late to cancel: {c}");
}
