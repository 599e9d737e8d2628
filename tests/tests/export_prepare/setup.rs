//! The accounts the export is prepared from, made through the api as their
//! owners would: Ann's with something in every section, and Bob's, whose
//! things must stay out of hers.

#![allow(dead_code)] // Shared with `export_jobs`, which reads other fields.

use integration_tests::orders::address;
use integration_tests::{Customer, TestEnv, NO_BODY};
use printvault_domain::billing::Month;
use reqwest::StatusCode;
use serde_json::{json, Value};
use sweeps::Sweep;

const LOCATION: &str = "tokyo-shibuya";

/// What the accounts hold, by the IDs the api gave.
pub struct Accounts {
    pub env: TestEnv,
    pub ann: Customer,
    pub bob: Customer,
    /// In Ann's group, and granted her first photo.
    pub carol: Customer,
    /// Ann's ready photos, oldest first: the first with attributes (GPS
    /// included) and printable.
    pub photos: [String; 3],
    /// Ann's photo in the trash, and her upload that never came.
    pub trashed: String,
    pub pending: String,
    pub album: String,
    pub link_id: String,
    pub link_token: String,
    pub group: String,
    pub order: String,
    /// Bob's image, album, link, group and order (of Ann's photo).
    pub bobs: Vec<String>,
}

async fn created(env: &TestEnv, path: &str, who: &Customer, body: Value) -> Value {
    let (s, b) = env.post(path, who, body).await;
    assert_eq!(s, StatusCode::CREATED, "{path}: {b}");
    b
}

fn text(v: &Value, field: &str) -> String {
    v[field]
        .as_str()
        .unwrap_or_else(|| panic!("{field} in {v}"))
        .to_owned()
}

/// An album of `who`'s named `name` holding `images`; its ID.
async fn album(env: &TestEnv, who: &Customer, name: &str, images: &[&String]) -> String {
    let aid = text(
        &created(env, "/v1/albums", who, json!({"name": name})).await,
        "album_id",
    );
    for img in images {
        let (s, b) = env
            .put(&format!("/v1/albums/{aid}/images/{img}"), who, NO_BODY)
            .await;
        assert_eq!(s, StatusCode::NO_CONTENT, "{b}");
    }
    aid
}

/// An order by `who` of `copies` L prints of `image`, placed and paid; its ID.
async fn order(env: &TestEnv, who: &Customer, image: &str, copies: u32, key: &str) -> String {
    let quote = env.quote_id(who, &[(image, "L", copies)], LOCATION).await;
    let body = json!({"quote_id": quote, "points": 0, "address": address()});
    let o = env.order(who, Some(key), &body).await;
    assert_eq!(o.status, StatusCode::CREATED, "{:?}", o.body);
    let id = text(&o.body, "order_id");
    let due = o.body["amount_due"].as_i64().expect("amount_due");
    let (s, paid) = env
        .pay_as(&id, due, &format!("wh_{key}"), &format!("pay_{key}"))
        .await;
    assert_eq!(s, 200, "{paid}");
    id
}

/// The accounts, on a stack adjusted by `f`.
pub async fn accounts_with(f: impl FnOnce(&mut local_runner::stack::StackOptions)) -> Accounts {
    let env = TestEnv::with(f).await;
    env.lab("shibuya-lab", &[LOCATION]).await;
    let (ann, bob, carol) = (
        env.new_customer().await,
        env.new_customer().await,
        env.new_customer().await,
    );
    let attributes = json!({"taken_at": "2024-05-03T10:00:00", "event": "Hanami",
        "place": {"name": "Kyoto", "latitude": 35.0116, "longitude": 135.7681},
        "people": ["Ann"], "keywords": ["sakura", "temple"]});
    let printable = json!({"class": "printable", "prices": {"L": 150, "2L": 400}});
    let first = env.ready_image_with(&ann, 9601, attributes, printable).await;
    let photos = [
        first,
        env.ready_image(&ann, 9602).await,
        env.ready_image(&ann, 9603).await,
    ];
    let trashed = env.ready_image(&ann, 9604).await;
    let pending = text(
        &created(
            &env,
            "/v1/uploads",
            &ann,
            json!({"file_name": "never.jpg", "content_type": "image/jpeg", "content_length": 1000}),
        )
        .await,
        "image_id",
    );
    let album_id = album(&env, &ann, "Kyoto", &[&photos[0], &photos[1], &trashed]).await;
    let (s, b) = env.delete(&format!("/v1/images/{trashed}"), &ann).await;
    assert_eq!(s, StatusCode::NO_CONTENT, "{b}");
    created(
        &env,
        "/v1/grants",
        &ann,
        json!({"image_id": photos[0], "grantee_email": carol.email}),
    )
    .await;
    let link = created(&env, "/v1/links", &ann, json!({"album_id": album_id})).await;
    let group = text(
        &created(&env, "/v1/groups", &ann, json!({"name": "Family"})).await,
        "group_id",
    );
    created(
        &env,
        &format!("/v1/groups/{group}/invitations"),
        &ann,
        json!({"email": carol.email}),
    )
    .await;
    let (s, b) = env
        .post(&format!("/v1/groups/{group}/accept"), &carol, NO_BODY)
        .await;
    assert_eq!(s, StatusCode::OK, "{b}");
    let order_id = order(&env, &ann, &photos[0], 2, "ann").await;
    env.give_points(&ann.customer_id(), 5).await;

    // Bob's own things, a grant to Ann and an order of her photo.
    let bobs_photo = env.ready_image(&bob, 9605).await;
    let bobs_album = album(&env, &bob, "Bob's", &[&bobs_photo]).await;
    let bobs_link = created(&env, "/v1/links", &bob, json!({"image_id": bobs_photo})).await;
    let bobs_group = created(&env, "/v1/groups", &bob, json!({"name": "Bob's"})).await;
    created(
        &env,
        "/v1/grants",
        &bob,
        json!({"image_id": bobs_photo, "grantee_email": ann.email}),
    )
    .await;
    let bobs_order = order(&env, &bob, &photos[0], 1, "bob").await;
    env.give_points(&bob.customer_id(), 7).await;

    // Next month's billing sweep invoices this month's storage.
    let month = Month::of(time::OffsetDateTime::now_utc().unix_timestamp()).next();
    let day = local_runner::schedule::day_time(&format!("{month}-01")).expect("a day");
    env.stack
        .sweep(Sweep::Billing, day)
        .await
        .expect("the sweep runs");

    let bobs = vec![
        bobs_photo,
        bobs_album,
        text(&bobs_link, "link_id"),
        text(&bobs_link, "token"),
        text(&bobs_group, "group_id"),
        bobs_order,
        bob.id.clone(),
        bob.email.clone(),
    ];
    Accounts {
        env,
        ann,
        bob,
        carol,
        photos,
        trashed,
        pending,
        album: album_id,
        link_id: text(&link, "link_id"),
        link_token: text(&link, "token"),
        group,
        order: order_id,
        bobs,
    }
}
