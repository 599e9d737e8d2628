//! M19 guests: no account, no points; the order goes ahead once the link
//! emailed to the address they gave is opened and confirmed.

use super::*;

/// The token in the link of the order email sent to `to`.
pub(super) async fn emailed_token(env: &TestEnv, to: &str) -> String {
    let mail = env.next_mail(to, 0).await;
    assert!(mail.subject.contains("Confirm your printvault order"), "{mail:?}");
    mail.param("token").expect("a link with the order's token")
}

#[tokio::test]
async fn a_guest_orders_with_an_email_and_confirms_by_the_emailed_link() {
    let s = shop().await;
    let theirs = s.image(&s.olive, 831, "printable").await;
    let quote = s.env.quote_id(None, &[(&theirs, "L", 2)], LOCATION).await;
    let mut body = Shop::order_body(&quote, 0);
    let no_email = s.env.order(None, Some("g1"), &body).await;
    assert_eq!(no_email.status, StatusCode::BAD_REQUEST, "{:?}", no_email.body);
    let guest = format!("guest-{}@example.com", rand::random::<u32>());
    body["email"] = json!(guest);
    let spend = {
        let mut b = body.clone();
        b["points"] = json!(5);
        s.env.order(None, Some("g2"), &b).await
    };
    assert_eq!(spend.status, StatusCode::BAD_REQUEST, "{:?}", spend.body);
    let o = s.env.order(None, Some("g3"), &body).await;
    assert_eq!(o.status, StatusCode::CREATED, "{:?}", o.body);
    assert_eq!(
        (o.body["status"].as_str(), o.body["buyer"].as_str()),
        (Some("awaiting_email"), Some("guest"))
    );
    assert_eq!(o.body["points_earned"], 0);
    assert!(
        o.body.get("token").is_none(),
        "the token goes to the mailbox only"
    );

    let token = emailed_token(&s.env, &guest).await;
    let page = s
        .env
        .http
        .get(s.env.url(&format!("/v1/orders/guest?token={token}")))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    assert!(page.text().await.unwrap().contains("Confirm"));
    let (st, c) = s
        .env
        .post("/v1/orders/guest/confirm", None, json!({"token": token}))
        .await;
    assert_eq!(
        (st, c["status"].as_str()),
        (StatusCode::OK, Some("placed")),
        "{c}"
    );
    let (st, again) = s
        .env
        .post("/v1/orders/guest/confirm", None, json!({"token": token}))
        .await;
    assert_eq!((st, again["status"].as_str()), (StatusCode::OK, Some("placed")));
    let (st, _) = s
        .env
        .post("/v1/orders/guest/confirm", None, json!({"token": "x".repeat(43)}))
        .await;
    assert_eq!(st, StatusCode::NOT_FOUND);

    let (st, c) = s
        .env
        .post("/v1/orders/guest/cancel", None, json!({"token": token}))
        .await;
    assert_eq!(
        (st, c["status"].as_str()),
        (StatusCode::OK, Some("cancelled")),
        "{c}"
    );
}
