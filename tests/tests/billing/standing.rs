//! M24: while an owner is in arrears, nothing of theirs serves anyone
//! else: image grants, album grants (the album and its images) and public
//! images found by search all answer as if there were nothing there; after
//! payment they serve again at once.

use super::arrears::payment;
use super::*;
use local_runner::pay;
use printvault_domain::billing::day_str;
use serde_json::json;
use time::Duration;

/// Runs the billing sweep day by day from the 1st of the month after
/// `month` until `who` is in arrears (unpaid 14 days past the due date);
/// returns the invoice's ID and amount.
async fn into_arrears(env: &TestEnv, who: &Customer, month: Month) -> (String, i64) {
    let first = month.next().first_day();
    let mut locked = false;
    for d in 0..=28 {
        if sweep(env, &day_str(first + Duration::days(d)))
            .await
            .get("arrears")
            == 1
        {
            locked = true;
            break;
        }
    }
    assert!(locked, "in arrears within 28 days of the invoice");
    let inv = &invoices(env, who).await[0];
    assert_eq!(inv["status"], "overdue", "{inv}");
    let id = inv["invoice_id"].as_str().unwrap().to_owned();
    (id, inv["amount_due"].as_i64().unwrap())
}

/// Each of `paths` answers `who` with `expect`.
async fn serves(env: &TestEnv, who: &Customer, paths: &[String], expect: StatusCode) {
    for path in paths {
        assert_eq!(env.get_status(path, who).await, expect, "{path}");
    }
}

#[tokio::test]
async fn grants_and_search_stop_serving_an_owner_in_arrears_and_serve_again_once_paid() {
    let env = TestEnv::start().await;
    let (bob, eve, dan) = (
        env.new_customer().await,
        env.new_customer().await,
        env.new_customer().await,
    );
    let month = Month::of(OffsetDateTime::now_utc().unix_timestamp());
    store_since(&env, &bob.customer_id(), &month.to_string(), 1 << 30).await;
    let harbour = json!({"keywords": ["harbour"]});
    let public = env
        .ready_image_with(&bob, 3301, harbour.clone(), json!({"class": "viewable"}))
        .await;
    let granted = env
        .ready_image_with(&bob, 3302, harbour.clone(), json!({"class": "private"}))
        .await;
    let in_album = env
        .ready_image_with(&bob, 3303, harbour, json!({"class": "private"}))
        .await;
    let (s, album) = env.post("/v1/albums", &bob, json!({"name": "Harbour"})).await;
    assert_eq!(s, StatusCode::CREATED, "{album}");
    let aid = album["album_id"].as_str().unwrap().to_owned();
    let (s, b) = env
        .put(&format!("/v1/albums/{aid}/images/{in_album}"), &bob, json!(null))
        .await;
    assert_eq!(s, StatusCode::NO_CONTENT, "{b}");
    for target in [json!({"image_id": granted}), json!({"album_id": aid})] {
        let mut body = target.clone();
        body["grantee_email"] = json!(eve.email);
        let (s, g) = env.post("/v1/grants", &bob, body).await;
        assert_eq!(s, StatusCode::CREATED, "{g}");
    }

    // What Eve (a grantee) is served of Bob's.
    let shared = [
        format!("/v1/images/{granted}"),
        format!("/v1/images/{granted}/urls"),
        format!("/v1/albums/{aid}"),
        format!("/v1/images/{in_album}"),
        format!("/v1/images/{in_album}/urls"),
    ];
    serves(&env, &eve, &shared, StatusCode::OK).await;
    let mut all = vec![public.clone(), granted.clone(), in_album.clone()];
    all.sort();
    let mut eve_finds = env.search_ids("q=harbour", &eve).await;
    eve_finds.sort();
    assert_eq!(eve_finds, all);
    assert_eq!(env.search_ids("q=harbour", &dan).await, [public.as_str()]);
    assert_eq!(env.search_ids("q=harbour", None).await, [public.as_str()]);

    // In arrears: the grants stop, and search shows others nothing of Bob's.
    let (invoice, amount) = into_arrears(&env, &bob, month).await;
    serves(&env, &eve, &shared, StatusCode::NOT_FOUND).await;
    assert!(env.search_ids("q=harbour", &eve).await.is_empty());
    assert!(env.search_ids("q=harbour", &dan).await.is_empty());
    assert!(env.search_ids("q=harbour", None).await.is_empty());
    // Nothing is deleted, and Bob's own calls say why they fail.
    assert!(env
        .record(&bob.customer_id(), &integration_tests::image_id(&granted))
        .await
        .is_some());
    assert_eq!(
        env.get_status("/v1/search?q=harbour", &bob).await,
        StatusCode::PAYMENT_REQUIRED
    );

    // Paid: everything serves again at once.
    let api = env.stack.api_url.clone();
    let (s, a) = pay::send(&payment(&api, &invoice, amount, "msg_standing"))
        .await
        .unwrap();
    assert_eq!((s, a["status"].as_str()), (200, Some("paid")), "{a}");
    serves(&env, &eve, &shared, StatusCode::OK).await;
    let mut eve_finds = env.search_ids("q=harbour", &eve).await;
    eve_finds.sort();
    assert_eq!(eve_finds, all);
    assert_eq!(env.search_ids("q=harbour", &dan).await, [public.as_str()]);
    assert_eq!(env.search_ids("q=harbour", None).await, [public]);
}
