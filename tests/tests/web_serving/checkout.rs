//! The local stand-in for the provider's hosted checkout: it shows what an
//! order owes, pays it with the provider's signed webhook and sends the
//! browser back to the page, and refuses to send it anywhere else.

use super::{assert_secured, fetch, header, page};
use integration_tests::orders::address;
use integration_tests::TestEnv;
use reqwest::StatusCode;
use serde_json::{json, Value};

/// Ann's placed order of one print of her own photo, awaiting payment:
/// its ID and what it owes.
async fn placed_order(env: &TestEnv) -> (integration_tests::Customer, String, i64) {
    env.lab("shibuya-lab", &["tokyo-shibuya"]).await;
    let ann = env.new_customer().await;
    let image = env.ready_image(&ann, 7301).await;
    let quote = env.quote_id(&ann, &[(&image, "L", 2)], "tokyo-shibuya").await;
    let o = env
        .order(
            &ann,
            Some("k1"),
            &json!({"quote_id": quote, "points": 0, "address": address()}),
        )
        .await;
    assert_eq!(o.status, StatusCode::CREATED, "{:?}", o.body);
    assert_eq!(o.body["status"], "placed", "{:?}", o.body);
    let due = o.body["amount_due"].as_i64().unwrap();
    assert!(due > 0);
    (ann, o.body["order_id"].as_str().unwrap().to_owned(), due)
}

#[tokio::test]
async fn the_local_checkout_pays_an_order_and_returns_to_the_page() {
    let p = page().await;
    let env = &p.env;
    let (ann, order, due) = placed_order(env).await;
    let back = format!("/#/orders/{order}?paid=1");

    let page_url =
        format!("/_local/checkout?reference={order}&return_url=%2F%23%2Forders%2F{order}%3Fpaid%3D1");
    let (status, h, html) = fetch(env, &page_url).await;
    assert_eq!(status, StatusCode::OK, "{html}");
    assert_eq!(header(&h, "content-type"), "text/html; charset=utf-8");
    assert_secured(env, &h);
    assert!(
        html.contains("Local test checkout — not a real payment provider"),
        "{html}"
    );
    assert!(html.contains(&order), "{html}");
    assert!(html.contains(&format!("Pay ¥{due}")), "{html}");
    assert!(html.contains(&format!("value=\"{back}\"")), "{html}");
    assert!(!html.contains("<script") && !html.contains("style="), "{html}");
    let (status, h, _) = fetch(env, "/_local/checkout.css").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(header(&h, "content-type"), "text/css; charset=utf-8");

    // The browser submits the form; it is sent back, without following.
    let browser = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let res = browser
        .post(env.url("/_local/checkout"))
        .form(&[("reference", order.as_str()), ("return_url", back.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(header(res.headers(), "location"), back);

    let (status, o) = env.get(&format!("/v1/orders/{order}"), &ann).await;
    assert_eq!(status, StatusCode::OK, "{o}");
    assert!(
        ["paid", "dispatching", "dispatched"].contains(&o["status"].as_str().unwrap()),
        "{o}"
    );
    let (stored, _) = env.stored_order(&order).await;
    assert!(
        stored.status != printvault_domain::order::OrderStatus::Placed,
        "{stored:?}"
    );
}

#[tokio::test]
async fn the_checkout_refuses_other_sites_and_unknown_references() {
    let p = page().await;
    let env = &p.env;
    let (_, order, _) = placed_order(env).await;
    let browser = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let post = |reference: &str, return_url: &str| {
        browser
            .post(env.url("/_local/checkout"))
            .form(&[("reference", reference), ("return_url", return_url)])
            .send()
    };
    for elsewhere in [
        "https://evil.example/",
        "//evil.example",
        "/\\evil.example",
        "evil",
    ] {
        let res = post(&order, elsewhere).await.unwrap();
        assert_eq!(res.status(), StatusCode::BAD_REQUEST, "{elsewhere}");
        let body: Value = res.json().await.unwrap();
        assert_eq!(body["error"]["code"], "invalid_request", "{body}");
        assert!(
            body["error"]["message"].as_str().unwrap().ends_with('.'),
            "{body}"
        );
    }
    // Not paid by any of those.
    let (stored, _) = env.stored_order(&order).await;
    assert_eq!(stored.status, printvault_domain::order::OrderStatus::Placed);

    let unknown = "ord_01JDQ3V6ZK8R2M4N5P6Q7R8S9T";
    for (reference, status) in [
        (unknown, StatusCode::NOT_FOUND),
        ("ord_<script>", StatusCode::BAD_REQUEST),
        ("", StatusCode::BAD_REQUEST),
    ] {
        let res = post(reference, "/").await.unwrap();
        assert_eq!(res.status(), status, "{reference}");
        let body: Value = res.json().await.unwrap();
        let message = body["error"]["message"].as_str().unwrap();
        assert!(message.ends_with('.') && !message.contains('<'), "{body}");
        let (s, _, html) = fetch(env, &format!("/_local/checkout?reference={reference}")).await;
        assert_eq!(s, status, "{reference}: {html}");
        assert!(!html.contains("<script>"), "{html}");
    }
}
