//! Where a photo was taken stays with its owner (issue 7, item 5), against
//! moto: others see a place's coordinates only when the owner shares the
//! location; an original fetched by anyone but its owner is a copy without
//! GPS tags, made once; share links give no original unless asked.

use integration_tests::{testkit, Customer, TestEnv};
use printvault_imaging::{process, Limits, Renditions};
use reqwest::StatusCode;
use serde_json::{json, Value};

/// Ann's photo with GPS in its EXIF, uploaded and made viewable; Bob holds
/// a grant of it.
async fn located() -> (TestEnv, Customer, Customer, String) {
    let env = TestEnv::start().await;
    let (ann, bob) = (env.new_customer().await, env.new_customer().await);
    let exif = testkit::TestExif {
        taken_at: Some("2024:07:14 18:30:05".into()),
        make: Some("FUJIFILM".into()),
        model: Some("X-T5".into()),
        gps: Some((35.0116, 135.7681)),
        orientation: Some(1),
    };
    let jpeg = testkit::with_exif(&testkit::photo_jpeg(640, 480, 71), &exif);
    let id = env.upload_ready(&ann, &jpeg, "image/jpeg").await;
    let (s, b) = env
        .put(
            &format!("/v1/images/{id}/class"),
            &ann,
            json!({"class": "viewable"}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{b}");
    let (s, b) = env
        .post(
            "/v1/grants",
            &ann,
            json!({"image_id": id, "grantee_email": bob.email}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{b}");
    (env, ann, bob, id)
}

async fn place(env: &TestEnv, id: &str, who: Option<&str>) -> Value {
    let (s, b) = env.get(&format!("/v1/images/{id}"), who).await;
    assert_eq!(s, StatusCode::OK, "{b}");
    b["attributes"]["place"].clone()
}

async fn download(env: &TestEnv, url: &str) -> Vec<u8> {
    let res = env.http.get(url).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    res.bytes().await.unwrap().to_vec()
}

fn gps_of(bytes: &[u8]) -> Option<printvault_imaging::GpsPosition> {
    process(bytes, &Limits::default(), &Renditions::default())
        .expect("an image")
        .exif
        .gps
}

#[tokio::test]
async fn coordinates_are_the_owners_unless_the_owner_shares_the_location() {
    let (env, ann, bob, id) = located().await;
    let own = place(&env, &id, Some(&ann.token)).await;
    assert!(own["latitude"].is_number(), "the owner sees GPS: {own}");
    for who in [None, Some(bob.token.as_str())] {
        assert_eq!(
            place(&env, &id, who).await,
            Value::Null,
            "{who:?}: no coordinates, no name"
        );
    }
    let path = format!("/v1/images/{id}");
    let (s, b) = env
        .patch(
            &path,
            &ann,
            json!({"attributes": {"place": {"name": "Kyoto", "latitude": 35.0116, "longitude": 135.7681}}}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{b}");
    assert_eq!(b["location_shared"], false);
    assert_eq!(
        place(&env, &id, None).await,
        json!({"name": "Kyoto"}),
        "the typed name only"
    );
    let (s, b) = env.patch(&path, &ann, json!({"location_shared": true})).await;
    assert_eq!(s, StatusCode::OK, "{b}");
    let shared = place(&env, &id, None).await;
    assert_eq!(shared["latitude"], 35.0116, "{shared}");
    env.patch(&path, &ann, json!({"location_shared": false})).await;
    assert_eq!(place(&env, &id, Some(&bob.token)).await, json!({"name": "Kyoto"}));
}

#[tokio::test]
async fn an_original_reaches_others_without_gps_made_once_and_the_owner_gets_the_upload() {
    let (env, ann, bob, id) = located().await;
    let urls = |who: String| {
        let env = &env;
        let id = id.clone();
        async move {
            let (s, u) = env.get(&format!("/v1/images/{id}/urls"), who.as_str()).await;
            assert_eq!(s, StatusCode::OK, "{u}");
            u["original"].as_str().expect("an original URL").to_owned()
        }
    };
    let own = download(&env, &urls(ann.token.clone()).await).await;
    assert!(gps_of(&own).is_some(), "the owner's own file, as uploaded");
    let (_, record) = env.get(&format!("/v1/images/{id}"), &ann).await;
    assert_eq!(record["sha256"], hex::encode(sha2_of(&own)));

    let url = urls(bob.token.clone()).await;
    assert!(url.contains("shared-originals/"), "{url}");
    let copy = download(&env, &url).await;
    assert_eq!(gps_of(&copy), None, "no GPS for anyone else");
    let key = env
        .keys("shared-originals/")
        .await
        .into_iter()
        .find(|k| k.ends_with(&id))
        .expect("the copy is kept");
    // Made once: the next request serves what is at the key, even when the
    // test has put other bytes there; a copy made again would replace them.
    let sentinel = b"the copy made the first time".to_vec();
    env.stack
        .clients
        .s3
        .put_object()
        .bucket(&env.stack.resources.names.photos_bucket)
        .key(&key)
        .body(sentinel.clone().into())
        .send()
        .await
        .unwrap();
    let again = download(&env, &urls(bob.token.clone()).await).await;
    assert_eq!(again, sentinel, "the copy is made once, not per request");

    let (s, _) = env.delete(&format!("/v1/images/{id}"), &ann).await;
    assert_eq!(s, StatusCode::NO_CONTENT);
    let (s, _) = env.delete(&format!("/v1/trash/{id}"), &ann).await;
    assert_eq!(s, StatusCode::NO_CONTENT);
    assert!(
        env.keys("shared-originals/")
            .await
            .iter()
            .all(|k| !k.ends_with(&id)),
        "purged with the image"
    );
}

fn sha2_of(bytes: &[u8]) -> Vec<u8> {
    use sha2::Digest;
    sha2::Sha256::digest(bytes).to_vec()
}

#[tokio::test]
async fn a_link_gives_no_original_unless_asked_and_then_a_copy_without_gps() {
    let (env, ann, _, id) = located().await;
    let (s, plain) = env.post("/v1/links", &ann, json!({"image_id": id})).await;
    assert_eq!(s, StatusCode::CREATED, "{plain}");
    assert_eq!(plain["allow_original"], false, "links default to no original");
    let (_, u) = env
        .get(&format!("{}/urls", plain["path"].as_str().unwrap()), None)
        .await;
    assert!(u.get("original").is_none_or(Value::is_null), "{u}");
    let (_, with) = env
        .post("/v1/links", &ann, json!({"image_id": id, "allow_original": true}))
        .await;
    let (_, u) = env
        .get(&format!("{}/urls", with["path"].as_str().unwrap()), None)
        .await;
    let copy = download(&env, u["original"].as_str().unwrap()).await;
    assert_eq!(gps_of(&copy), None);
}
