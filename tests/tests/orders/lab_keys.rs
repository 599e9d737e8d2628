//! Issue 18, item 10: an operator rotates a lab's reporting key. The new
//! key is shown once and works at once; the old one is refused from the
//! moment the rotation answers.

use super::*;
use integration_tests::OPERATOR_KEY;

/// `POST /v1/operator/labs/{lab}/key` with `operator` as `x-operator-key`
/// (none: no header), or `bearer` as a session token.
async fn rotate(s: &Shop, lab: &str, operator: Option<&str>, bearer: Option<&str>) -> (StatusCode, Value) {
    let mut req = s
        .env
        .http
        .post(s.env.url(&format!("/v1/operator/labs/{lab}/key")));
    if let Some(k) = operator {
        req = req.header("x-operator-key", k);
    }
    if let Some(t) = bearer {
        req = req.bearer_auth(t);
    }
    let res = req.send().await.unwrap();
    let status = res.status();
    (status, res.json().await.expect("a JSON body"))
}

async fn report(s: &Shop, key: &str, order: &str, stage: &str) -> (StatusCode, Value) {
    let res = s
        .env
        .http
        .post(s.env.url(&format!("/v1/lab/orders/{order}/lines/1/reports")))
        .header("x-lab-key", key)
        .json(&json!({"stage": stage}))
        .send()
        .await
        .unwrap();
    let status = res.status();
    (status, res.json().await.expect("a JSON body"))
}

#[tokio::test]
async fn a_rotated_lab_key_retires_the_old_one_and_the_new_one_reports() {
    let s = shop().await;
    let old = s.env.lab("rotating-lab", &["rotating-store"]).await;
    let mine = s.image(&s.ann, 871, "private").await;
    let quote = s.env.quote_id(&s.ann, &[(&mine, "L", 1)], "rotating-store").await;
    let o = s
        .env
        .order(&s.ann, Some("rot-1"), &Shop::order_body(&quote, 0))
        .await;
    assert_eq!(o.status, StatusCode::CREATED, "{:?}", o.body);
    let order = o.body["order_id"].as_str().unwrap().to_owned();
    s.pay(&order, o.body["amount_due"].as_i64().unwrap()).await;
    s.wait_dispatched(&order).await;

    // Only the operator rotates, and only a lab that exists.
    for (op, bearer) in [
        (None, None),
        (Some("not-the-operator-key-0123456789abcdef"), None),
        (None, Some(s.ann.token.as_str())),
    ] {
        let (st, b) = rotate(&s, "rotating-lab", op, bearer).await;
        assert_eq!(st, StatusCode::UNAUTHORIZED, "{b}");
        assert!(b["error"]["message"].is_string(), "{b}");
    }
    for unknown in ["no-such-lab", "Not_A_Slug"] {
        let (st, b) = rotate(&s, unknown, Some(OPERATOR_KEY), None).await;
        assert_eq!(st, StatusCode::NOT_FOUND, "{unknown}: {b}");
        assert_eq!(b["error"]["code"], "not_found", "{b}");
    }
    // Refused attempts changed nothing: the old key still reports.
    let (st, b) = report(&s, &old, &order, "accepted").await;
    assert_eq!(st, StatusCode::OK, "{b}");

    let (st, lab) = rotate(&s, "rotating-lab", Some(OPERATOR_KEY), None).await;
    assert_eq!(st, StatusCode::OK, "{lab}");
    let new = lab["key"].as_str().expect("the new key, shown once").to_owned();
    assert_ne!(new, old);
    assert_eq!(lab["lab_id"], "rotating-lab");
    assert_eq!(lab["locations"], json!(["rotating-store"]), "{lab}");

    let (st, b) = report(&s, &old, &order, "printed").await;
    assert_eq!(st, StatusCode::UNAUTHORIZED, "the old key is retired: {b}");
    assert!(b["error"]["message"].is_string(), "{b}");
    let (st, b) = report(&s, &new, &order, "printed").await;
    assert_eq!(
        (st, b["stage"].as_str()),
        (StatusCode::OK, Some("printed")),
        "{b}"
    );

    // Registering the lab again keeps the rotated key; rotating again
    // retires it in turn.
    let res = s
        .env
        .http
        .put(s.env.url("/v1/operator/labs/rotating-lab"))
        .header("x-operator-key", OPERATOR_KEY)
        .json(&json!({"name": "Rotating Lab", "locations": ["rotating-store"]}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let (st, b) = report(&s, &new, &order, "printed").await;
    assert_eq!(st, StatusCode::OK, "{b}");
    let (st, again) = rotate(&s, "rotating-lab", Some(OPERATOR_KEY), None).await;
    assert_eq!(st, StatusCode::OK, "{again}");
    let newest = again["key"].as_str().unwrap();
    assert_eq!(
        report(&s, &new, &order, "printed").await.0,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(report(&s, newest, &order, "printed").await.0, StatusCode::OK);
}
