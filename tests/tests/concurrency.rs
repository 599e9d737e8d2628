//! Concurrent changes to one image, against moto: no change overwrites
//! another, and nothing written for an image outlives its deletion.
//!
//! The races are replayed step by step (a change made from an image read
//! before another change landed) rather than run as truly parallel requests:
//! moto's server evaluates two concurrent transactions' conditions without
//! isolating them from each other (measured here: two parallel conditional
//! transactions on one item both succeed), which DynamoDB never does, so a
//! parallel test would measure moto.

use classify::Classified;
use integration_tests::{image_id, TestEnv};
use printvault_adapters::image_events::ImageEvent;
use printvault_adapters::images::Saved;
use printvault_domain::access::Class;
use printvault_domain::ids::{CustomerId, ImageId};
use printvault_domain::image::Image;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

/// A ready image of the caller's, with typed IDs for the stores.
async fn ready_image(env: &TestEnv, token: &str, seed: u64) -> (CustomerId, ImageId) {
    let id = env.ready_image(token, seed).await;
    (env.owner_id(token).await, image_id(&id))
}

async fn record(env: &TestEnv, owner: &CustomerId, id: &ImageId) -> Option<Image> {
    env.record(owner, id).await
}

async fn call(
    env: &TestEnv,
    method: Method,
    path: &str,
    token: Option<&str>,
    body: Value,
) -> (StatusCode, Value) {
    env.call(method, path, token, Some(body)).await
}

/// What an anonymous search for `q` finds.
async fn public_hits(env: &TestEnv, q: &str) -> Vec<String> {
    let (s, b) = env
        .call(Method::GET, &format!("/v1/search?q={q}"), None, None)
        .await;
    assert_eq!(s, StatusCode::OK, "{b}");
    b["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["image_id"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn a_change_made_from_an_old_read_never_lands() {
    let env = TestEnv::start().await;
    let ann = env.customer().await;
    let (owner, id) = ready_image(&env, &ann, 401).await;
    let path = format!("/v1/images/{id}");
    call(
        &env,
        Method::PATCH,
        &path,
        Some(&ann),
        json!({"attributes": {"keywords": ["beach"]}}),
    )
    .await;
    call(
        &env,
        Method::PUT,
        &format!("{path}/class"),
        Some(&ann),
        json!({"class": "viewable"}),
    )
    .await;
    assert_eq!(public_hits(&env, "beach").await, [id.to_string()]);

    // One request reads the image; another makes it private first.
    let stale = record(&env, &owner, &id).await.unwrap();
    let (s, b) = call(
        &env,
        Method::PUT,
        &format!("{path}/class"),
        Some(&ann),
        json!({"class": "private"}),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{b}");

    // The first one's keyword edit, made from its old read, must not write
    // the viewable class back, nor a public index item for its keyword.
    let mut edited = stale.clone();
    edited.attributes.keywords = vec!["beach".into(), "sunset".into()];
    let api = &env.stack.api_state;
    assert_eq!(
        api.images
            .save_details(&stale, &edited, &api.search)
            .await
            .unwrap(),
        Saved::Stale
    );
    let now = record(&env, &owner, &id).await.unwrap();
    assert_eq!(now.class, Class::Private);
    assert_eq!(now.attributes.keywords, ["beach"]);
    assert!(public_hits(&env, "beach").await.is_empty());
    assert!(public_hits(&env, "sunset").await.is_empty());

    // Nor may a late image.ready index it as it was.
    assert!(!api.search.add(&stale).await.unwrap());
    assert!(public_hits(&env, "beach").await.is_empty());

    // Through the api, the same edit reads again and lands on the private image.
    let (s, b) = call(
        &env,
        Method::PATCH,
        &path,
        Some(&ann),
        json!({"attributes": {"keywords": ["beach", "sunset"]}}),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{b}");
    assert_eq!(b["class"], "private");
    assert!(public_hits(&env, "sunset").await.is_empty());
}

#[tokio::test]
async fn a_deleted_image_leaves_nothing_behind_even_with_a_change_in_flight() {
    let env = TestEnv::start().await;
    let ann = env.customer().await;
    let (owner, id) = ready_image(&env, &ann, 403).await;
    let path = format!("/v1/images/{id}");
    call(
        &env,
        Method::PATCH,
        &path,
        Some(&ann),
        json!({"attributes": {"keywords": ["harbour"]}}),
    )
    .await;
    call(
        &env,
        Method::PUT,
        &format!("{path}/class"),
        Some(&ann),
        json!({"class": "viewable"}),
    )
    .await;
    assert_eq!(public_hits(&env, "harbour").await, [id.to_string()]);

    // An edit has read the image; the delete marks it before it cleans up.
    let stale = record(&env, &owner, &id).await.unwrap();
    let api = &env.stack.api_state;
    let marked = api.images.mark_deleting(&owner, &id).await.unwrap().unwrap();
    assert!(marked.deleting);
    assert_eq!(marked.rev, stale.rev + 1);
    let mut edited = stale.clone();
    edited.attributes.keywords = vec!["harbour".into(), "lighthouse".into()];
    let refused = api.images.save_details(&stale, &edited, &api.search).await;
    assert!(
        matches!(refused, Err(printvault_domain::Error::NotFound(_))),
        "{refused:?}"
    );
    assert!(
        !api.search.add(&marked).await.unwrap(),
        "no index write on a deleting image"
    );
    assert_eq!(
        env.stack
            .classifier
            .classify(&ImageEvent::ready(&owner, &id))
            .await
            .unwrap(),
        Classified::Skipped("gone")
    );
    // Strangers no longer see it; its owner can still finish the delete.
    let (s, _) = env.call(Method::GET, &path, None, None).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (s, _) = call(&env, Method::PATCH, &path, Some(&ann), json!({"selected": true})).await;
    assert_eq!(
        s,
        StatusCode::NOT_FOUND,
        "no edit lands on an image being deleted"
    );
    let (s, _) = env.call(Method::DELETE, &path, Some(&ann), None).await;
    assert_eq!(s, StatusCode::NO_CONTENT);

    assert!(record(&env, &owner, &id).await.is_none());
    assert!(public_hits(&env, "harbour").await.is_empty());
    assert!(public_hits(&env, "lighthouse").await.is_empty());
    assert!(env.keys_of(id.as_str()).await.is_empty());
    let (s, _) = env.call(Method::DELETE, &path, Some(&ann), None).await;
    assert_eq!(s, StatusCode::NOT_FOUND, "deleting twice finds nothing");
}

#[tokio::test]
async fn a_profile_change_made_from_an_old_read_never_lands() {
    let env = TestEnv::start().await;
    let ann = env.customer().await;
    let id = env.owner_id(&ann).await;
    let accounts = &env.stack.api_state.accounts;

    // One request reads the profile; another saves a name first.
    let stale = accounts.customer(&id).await.unwrap().unwrap();
    let (s, b) = call(
        &env,
        Method::PATCH,
        "/v1/profile",
        Some(&ann),
        json!({"name": "Ann Example"}),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{b}");
    let mut birthday = stale.profile.clone();
    birthday.birthday = Some(time::macros::date!(1990 - 04 - 01));
    assert!(
        !accounts.put_profile(&stale, &birthday).await.unwrap(),
        "the old read must not write the name back"
    );
    // Through the api the same change reads again: both stay.
    let (s, b) = call(
        &env,
        Method::PATCH,
        "/v1/profile",
        Some(&ann),
        json!({"birthday": "1990-04-01"}),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{b}");
    let (_, now) = env.call(Method::GET, "/v1/profile", Some(&ann), None).await;
    assert_eq!(now["name"], "Ann Example", "{now}");
    assert_eq!(now["birthday"], "1990-04-01", "{now}");
}
