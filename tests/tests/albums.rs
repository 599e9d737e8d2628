//! M12 manual albums: what an album holds, how it is named and listed, and
//! bulk attribute edits. Album grants and links are in `album_sharing.rs`.

use integration_tests::{page_ids, Customer, TestEnv, NO_BODY};
use reqwest::StatusCode;
use serde_json::json;

/// Ann's album named `name` holding `images`.
async fn album_of(env: &TestEnv, ann: &Customer, name: &str, images: &[&String]) -> String {
    let (s, album) = env.post("/v1/albums", ann, json!({"name": name})).await;
    assert_eq!(s, StatusCode::CREATED, "{album}");
    let aid = album["album_id"].as_str().unwrap().to_owned();
    for img in images {
        let (s, b) = env
            .put(&format!("/v1/albums/{aid}/images/{img}"), ann, NO_BODY)
            .await;
        assert_eq!(s, StatusCode::NO_CONTENT, "{b}");
    }
    aid
}

#[tokio::test]
async fn an_album_holds_each_of_its_owners_images_once() {
    let env = TestEnv::start().await;
    let (ann, bob) = (env.new_customer().await, env.new_customer().await);
    let (a1, a2) = (env.ready_image(&ann, 1).await, env.ready_image(&ann, 2).await);
    let bobs = env.ready_image(&bob, 4).await;

    // a2 is added twice.
    let aid = album_of(&env, &ann, "Kyoto", &[&a1, &a2, &a2]).await;
    let (s, _) = env
        .put(&format!("/v1/albums/{aid}/images/{bobs}"), &ann, NO_BODY)
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND, "only your own images");
    let (_, page) = env.get(&format!("/v1/albums/{aid}"), &ann).await;
    assert_eq!(page_ids(&page).len(), 2, "adding twice keeps one: {page}");
    let (_, list) = env.get("/v1/albums", &ann).await;
    assert_eq!(list["albums"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn an_album_is_renamed_and_a_blank_name_is_refused() {
    let env = TestEnv::start().await;
    let ann = env.new_customer().await;
    let (s, _) = env.post("/v1/albums", &ann, json!({"name": " "})).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    let aid = album_of(&env, &ann, "Kyoto", &[]).await;
    let (s, _) = env
        .patch(&format!("/v1/albums/{aid}"), &ann, json!({"name": "Kyoto 2024"}))
        .await;
    assert_eq!(s, StatusCode::OK);
    let (_, page) = env.get(&format!("/v1/albums/{aid}"), &ann).await;
    assert_eq!(page["name"], "Kyoto 2024");
}

#[tokio::test]
async fn a_bulk_attribute_edit_reports_an_outcome_per_image() {
    let env = TestEnv::start().await;
    let (ann, bob) = (env.new_customer().await, env.new_customer().await);
    let (a1, a2) = (env.ready_image(&ann, 1).await, env.ready_image(&ann, 2).await);
    let bobs = env.ready_image(&bob, 4).await;
    let (s, r) = env
        .post(
            "/v1/images/attributes",
            &ann,
            json!({"image_ids": [a1, a2, bobs], "attributes": {"event": "Kyoto trip", "keywords": ["Temple"]}}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{r}");
    assert_eq!(r["results"][0]["status"], "updated");
    assert_eq!(r["results"][1]["status"], "updated");
    assert_eq!(
        r["results"][2]["status"], 404,
        "another customer's image is not found: {r}"
    );
    let (_, img) = env.get(&format!("/v1/images/{a2}"), &ann).await;
    assert_eq!(img["attributes"]["keywords"], json!(["temple"]));
}

#[tokio::test]
async fn a_bulk_attribute_edit_is_checked_before_any_image_changes() {
    let env = TestEnv::start().await;
    let ann = env.new_customer().await;
    let a1 = env.ready_image(&ann, 1).await;
    for bad in [
        json!({"image_ids": [a1], "attributes": {"taken_at": "soon"}}),
        json!({"image_ids": [], "attributes": {}}),
    ] {
        let (s, b) = env.post("/v1/images/attributes", &ann, bad.clone()).await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{bad}: {b}");
    }
}

#[tokio::test]
async fn albums_are_listed_in_pages() {
    let env = TestEnv::start().await;
    let ann = env.new_customer().await;
    let mut made = Vec::new();
    for i in 0..5 {
        made.push(album_of(&env, &ann, &format!("Album {i}"), &[]).await);
    }
    let mut listed = Vec::new();
    let mut cursor: Option<String> = None;
    let mut pages = 0;
    loop {
        let path = match &cursor {
            Some(c) => format!("/v1/albums?limit=2&cursor={c}"),
            None => "/v1/albums?limit=2".to_string(),
        };
        let (s, page) = env.get(&path, &ann).await;
        assert_eq!(s, StatusCode::OK, "{page}");
        let albums = page["albums"].as_array().unwrap();
        assert!(albums.len() <= 2, "{page}");
        listed.extend(albums.iter().map(|a| a["album_id"].as_str().unwrap().to_owned()));
        pages += 1;
        match page["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_owned()),
            None => break,
        }
        assert!(pages < 10);
    }
    assert_eq!(pages, 3);
    listed.sort();
    made.sort();
    assert_eq!(listed, made, "every album once");
    for bad in ["/v1/albums?limit=0", "/v1/albums?cursor=not-an-album"] {
        let (s, b) = env.get(bad, &ann).await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{bad}: {b}");
    }
    // Another customer's cursor only ever continues the caller's own list.
    let (_, first) = env.get("/v1/albums?limit=2", &ann).await;
    let anns = first["next_cursor"].as_str().unwrap().to_owned();
    let bob = env.new_customer().await;
    let (s, b) = env.get(&format!("/v1/albums?cursor={anns}"), &bob).await;
    assert_eq!(s, StatusCode::OK, "{b}");
    assert_eq!(b["albums"], json!([]));
}
