//! Quotes (M15-M17, M19): terms from the permission model, never from the request.

use super::*;

#[tokio::test]
async fn an_own_image_costs_the_fixed_fee_and_earns_the_fixed_points() {
    let s = shop().await;
    let mine = s.image(&s.ann, 801, "private").await;
    let (st, q) = s
        .env
        .quote(&s.ann, &[(&mine, "L", 3), (&mine, "2L", 1)], LOCATION)
        .await;
    assert_eq!(st, StatusCode::CREATED, "{q}");
    // 3 × ¥20 earning 2 each; 1 × ¥50 earning 5 (SPEC M16 defaults).
    assert_eq!(q["lines"][0]["amount"], 60);
    assert_eq!(q["lines"][0]["points"], 6);
    assert_eq!(q["lines"][0]["terms"], "own");
    assert_eq!(q["lines"][0]["sku"], "L-photo_paper");
    assert_eq!(q["lines"][1]["amount"], 50);
    assert_eq!((q["total"].as_i64(), q["points"].as_i64()), (Some(110), Some(11)));
    assert!(q["quote_id"].as_str().unwrap().starts_with("quo_"));
    assert!(q["expires_at"].is_string());
}

#[tokio::test]
async fn a_strangers_printable_image_costs_its_price_plus_the_fee_and_earns_five_percent_more() {
    let s = shop().await;
    let theirs = s.image(&s.olive, 802, "printable").await;
    let (st, q) = s.env.quote(&s.ann, &[(&theirs, "2L", 2)], LOCATION).await;
    assert_eq!(st, StatusCode::CREATED, "{q}");
    // (¥400 + ¥50) × 2; (5 + 5% of 400) × 2.
    assert_eq!(q["lines"][0]["amount"], 900);
    assert_eq!(q["lines"][0]["points"], 50);
    assert_eq!(q["lines"][0]["terms"], "market");
    assert_eq!(q["lines"][0]["image_price"], 400);
    assert!(
        q["lines"][0].get("owner").is_none(),
        "the owner is not shown: {q}"
    );
}

#[tokio::test]
async fn a_viewable_strangers_image_is_refused_and_a_private_one_answers_like_none() {
    let s = shop().await;
    let viewable = s.image(&s.olive, 803, "viewable").await;
    let private = s.image(&s.olive, 804, "private").await;
    let (st, b) = s.env.quote(&s.ann, &[(&viewable, "L", 1)], LOCATION).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
    assert!(
        b["error"]["message"]
            .as_str()
            .unwrap()
            .contains("not offered for printing"),
        "{b}"
    );
    let (st, private_answer) = s.env.quote(&s.ann, &[(&private, "L", 1)], LOCATION).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
    let nobody = "img_01JDQ3V6ZK8R2M4N5P6Q7R8S9T";
    let (_, none_answer) = s.env.quote(&s.ann, &[(nobody, "L", 1)], LOCATION).await;
    let text = |v: &Value, id: &str| v["error"]["message"].as_str().unwrap().replace(id, "ID");
    assert_eq!(text(&private_answer, &private), text(&none_answer, nobody));
}

#[tokio::test]
async fn a_deleted_image_cannot_be_quoted() {
    let s = shop().await;
    let mine = s.image(&s.ann, 805, "private").await;
    let (st, _) = s.env.delete(&format!("/v1/images/{mine}"), &s.ann).await;
    assert!(st.is_success());
    let (st, b) = s.env.quote(&s.ann, &[(&mine, "L", 1)], LOCATION).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
}

#[tokio::test]
async fn bad_quotes_are_refused_with_what_is_wrong() {
    let s = shop().await;
    let mine = s.image(&s.ann, 806, "private").await;
    let (st, b) = s.env.quote(&s.ann, &[(&mine, "L", 1)], "atlantis").await;
    assert_eq!(st, StatusCode::BAD_REQUEST, "{b}");
    assert!(
        b["error"]["message"].as_str().unwrap().contains("no lab prints"),
        "{b}"
    );
    let (st, _) = s.env.quote(&s.ann, &[(&mine, "L", 0)], LOCATION).await;
    assert_eq!(st, StatusCode::BAD_REQUEST);
    let (st, _) = s.env.quote(&s.ann, &[(&mine, "A4", 1)], LOCATION).await;
    assert_eq!(st, StatusCode::BAD_REQUEST);
    let (st, b) = s
        .env
        .quote(&s.ann, &[(&mine, "L", 1), (&mine, "L", 2)], LOCATION)
        .await;
    assert_eq!(st, StatusCode::BAD_REQUEST, "{b}");
    let many: Vec<(&str, &str, u32)> = (0..41).map(|_| (mine.as_str(), "L", 1)).collect();
    let (st, _) = s.env.quote(&s.ann, &many, LOCATION).await;
    assert_eq!(st, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn a_guest_pays_the_same_and_earns_nothing() {
    let s = shop().await;
    let theirs = s.image(&s.olive, 807, "printable").await;
    let (st, q) = s.env.quote(None, &[(&theirs, "L", 1)], LOCATION).await;
    assert_eq!(st, StatusCode::CREATED, "{q}");
    assert_eq!((q["total"].as_i64(), q["points"].as_i64()), (Some(170), Some(0)));
}
