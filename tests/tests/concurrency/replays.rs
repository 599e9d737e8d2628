//! Each race replayed step by step: a change made from a read taken before
//! another change landed.

use crate::{hits, ready_image};
use classify::Classified;
use integration_tests::TestEnv;
use printvault_domain::access::Class;
use printvault_domain::image::Saved;
use printvault_domain::image_event::ImageEvent;
use reqwest::StatusCode;
use serde_json::json;

#[tokio::test]
async fn a_change_made_from_an_old_read_never_lands() {
    let env = TestEnv::serialised().await;
    let ann = env.customer().await;
    let (owner, id) = ready_image(&env, &ann, 401).await;
    let path = format!("/v1/images/{id}");
    let class = format!("{path}/class");
    env.patch(&path, &ann, json!({"attributes": {"keywords": ["beach"]}}))
        .await;
    env.put(&class, &ann, json!({"class": "viewable"})).await;
    assert_eq!(hits(&env, None, "q=beach").await, [id.to_string()]);

    // One request reads the image; another makes it private first.
    let stale = env.record(&owner, &id).await.unwrap();
    let (s, b) = env.put(&class, &ann, json!({"class": "private"})).await;
    assert_eq!(s, StatusCode::OK, "{b}");

    // The first one's keyword edit, made from its old read, must not write
    // the viewable class back, nor a public index item for its keyword.
    let mut edited = stale.clone();
    edited.attributes.keywords = vec!["beach".into(), "sunset".into()];
    let api = &env.stack.api_state;
    assert_eq!(
        api.stores
            .images
            .save_details(&stale, &edited, &api.stores.search)
            .await
            .unwrap(),
        Saved::Stale
    );
    let now = env.record(&owner, &id).await.unwrap();
    assert_eq!(now.class, Class::Private);
    assert_eq!(now.attributes.keywords, ["beach"]);
    assert!(hits(&env, None, "q=beach").await.is_empty());
    assert!(hits(&env, None, "q=sunset").await.is_empty());

    // Nor may a late image.ready index it as it was.
    assert!(!api.stores.search.add(&stale).await.unwrap());
    assert!(hits(&env, None, "q=beach").await.is_empty());

    // Through the api, the same edit reads again and lands on the private image.
    let (s, b) = env
        .patch(
            &path,
            &ann,
            json!({"attributes": {"keywords": ["beach", "sunset"]}}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{b}");
    assert_eq!(b["class"], "private");
    assert!(hits(&env, None, "q=sunset").await.is_empty());
}

#[tokio::test]
async fn a_deleted_image_leaves_nothing_behind_even_with_a_change_in_flight() {
    let env = TestEnv::serialised().await;
    let ann = env.customer().await;
    let (owner, id) = ready_image(&env, &ann, 403).await;
    let path = format!("/v1/images/{id}");
    env.patch(&path, &ann, json!({"attributes": {"keywords": ["harbour"]}}))
        .await;
    env.put(&format!("{path}/class"), &ann, json!({"class": "viewable"}))
        .await;
    assert_eq!(hits(&env, None, "q=harbour").await, [id.to_string()]);

    // An edit has read the image; the delete marks it before it cleans up.
    let stale = env.record(&owner, &id).await.unwrap();
    let api = &env.stack.api_state;
    let marked = api
        .stores
        .images
        .mark_deleting(&owner, &id)
        .await
        .unwrap()
        .unwrap();
    assert!(marked.deleting);
    assert_eq!(marked.rev, stale.rev + 1);
    let mut edited = stale.clone();
    edited.attributes.keywords = vec!["harbour".into(), "lighthouse".into()];
    let refused = api
        .stores
        .images
        .save_details(&stale, &edited, &api.stores.search)
        .await;
    assert!(
        matches!(refused, Err(printvault_domain::Error::NotFound(_))),
        "{refused:?}"
    );
    assert!(
        !api.stores.search.add(&marked).await.unwrap(),
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
    assert_eq!(env.get_status(&path, None).await, StatusCode::NOT_FOUND);
    let (s, _) = env.patch(&path, &ann, json!({"selected": true})).await;
    assert_eq!(
        s,
        StatusCode::NOT_FOUND,
        "no edit lands on an image being deleted"
    );
    let (s, _) = env.delete(&path, &ann).await;
    assert_eq!(s, StatusCode::NO_CONTENT);

    assert!(env.record(&owner, &id).await.is_none());
    assert!(hits(&env, None, "q=harbour").await.is_empty());
    assert!(hits(&env, None, "q=lighthouse").await.is_empty());
    assert!(env.keys_of(id.as_str()).await.is_empty());
    let (s, _) = env.delete(&path, &ann).await;
    assert_eq!(s, StatusCode::NOT_FOUND, "deleting twice finds nothing");
}

#[tokio::test]
async fn a_profile_change_made_from_an_old_read_never_lands() {
    let env = TestEnv::serialised().await;
    let ann = env.customer().await;
    let id = env.owner_id(&ann).await;
    let accounts = &env.stack.api_state.stores.accounts;

    // One request reads the profile; another saves a name first.
    let stale = accounts.customer(&id).await.unwrap().unwrap();
    let (s, b) = env
        .patch("/v1/profile", &ann, json!({"name": "Ann Example"}))
        .await;
    assert_eq!(s, StatusCode::OK, "{b}");
    let mut birthday = stale.profile.clone();
    birthday.birthday = Some(time::macros::date!(1990 - 04 - 01));
    assert!(
        !accounts.put_profile(&stale, &birthday).await.unwrap(),
        "the old read must not write the name back"
    );
    // Through the api the same change reads again: both stay.
    let (s, b) = env
        .patch("/v1/profile", &ann, json!({"birthday": "1990-04-01"}))
        .await;
    assert_eq!(s, StatusCode::OK, "{b}");
    let now = env.me(&ann).await;
    assert_eq!(now["name"], "Ann Example", "{now}");
    assert_eq!(now["birthday"], "1990-04-01", "{now}");
}
