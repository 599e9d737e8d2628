//! M5, M8, M9 end to end: upload through the presigned URL with a real HTTP
//! PUT, finalise, list, fetch the renditions, edit, delete; and that nobody
//! but the owner reaches an image. Accounts and profiles are in
//! `accounts.rs`.

use integration_tests::{testkit, Customer, TestEnv};
use reqwest::StatusCode;
use serde_json::{json, Value};

/// Carol's 1200×800 JPEG, taken on 2024-05-03 with a Canon at Mt. Fuji and
/// turned on its side (EXIF orientation 6), once upload-finalise is done.
struct Uploaded {
    env: TestEnv,
    carol: Customer,
    jpeg: Vec<u8>,
    id: String,
    image: Value,
}

async fn uploaded() -> Uploaded {
    let env = TestEnv::start().await;
    let carol = env.new_customer().await;
    let jpeg = testkit::with_exif(
        &testkit::photo_jpeg(1200, 800, 1),
        &testkit::TestExif {
            taken_at: Some("2024:05:03 14:30:00".into()),
            make: Some("Canon".into()),
            model: Some("Canon EOS R6".into()),
            gps: Some((35.3606, 138.7274)),
            orientation: Some(6),
        },
    );
    let id = env.upload(&carol, &jpeg, "image/jpeg").await;
    let image = env.settled(&carol, &id).await;
    Uploaded {
        env,
        carol,
        jpeg,
        id,
        image,
    }
}

impl Uploaded {
    fn path(&self) -> String {
        format!("/v1/images/{}", self.id)
    }

    /// The bytes behind one of the image's URLs.
    async fn fetch(&self, urls: &Value, which: &str) -> Vec<u8> {
        let url = urls[which].as_str().unwrap();
        let res = self.env.http.get(url).send().await.unwrap();
        res.bytes().await.unwrap().to_vec()
    }
}

#[tokio::test]
async fn an_upload_is_finalised_with_its_exif_attributes_and_orientation() {
    let u = uploaded().await;
    let image = &u.image;
    assert_eq!(image["status"], "ready", "{image}");
    assert_eq!(image["format"], "jpeg");
    assert_eq!(image["bytes"], u.jpeg.len());
    // Orientation 6 turns 1200×800 into a portrait 800×1200.
    assert_eq!(
        (image["width"].as_u64(), image["height"].as_u64()),
        (Some(800), Some(1200))
    );
    let attrs = &image["attributes"];
    assert_eq!(attrs["taken_at"], "2024-05-03T14:30:00");
    assert_eq!(attrs["camera"], "Canon EOS R6");
    assert!(
        (attrs["place"]["latitude"].as_f64().unwrap() - 35.3606).abs() < 1e-3,
        "{attrs}"
    );
}

#[tokio::test]
async fn finalising_replaces_the_incoming_object_with_the_original_and_its_renditions() {
    let u = uploaded().await;
    let keys = u.env.settled_keys_of(&u.id).await;
    assert_eq!(keys.len(), 3, "{keys:?}");
    assert!(keys.iter().all(|k| !k.starts_with("incoming/")), "{keys:?}");
}

#[tokio::test]
async fn a_finalised_image_is_listed_with_its_status() {
    let u = uploaded().await;
    let (s, list) = u.env.get("/v1/images", &u.carol).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(list["images"][0]["image_id"], u.id.as_str());
    assert_eq!(list["images"][0]["status"], "ready");
}

#[tokio::test]
async fn the_urls_serve_an_oriented_thumbnail_a_preview_that_never_upscales_and_the_original() {
    let u = uploaded().await;
    let (s, urls) = u.env.get(&format!("{}/urls", u.path()), &u.carol).await;
    assert_eq!(s, StatusCode::OK, "{urls}");
    // An oriented JPEG about 256 px on the long edge.
    let thumb = u.fetch(&urls, "thumbnail").await;
    assert_eq!(&thumb[..2], &[0xFF, 0xD8], "thumbnail is a JPEG");
    let decoded = printvault_imaging::process(&thumb, &Default::default(), &Default::default()).unwrap();
    assert_eq!((decoded.width, decoded.height), (171, 256));
    let preview = u.fetch(&urls, "preview").await;
    let decoded = printvault_imaging::process(&preview, &Default::default(), &Default::default()).unwrap();
    assert_eq!(decoded.height, 1200, "a preview never upscales");
    assert_eq!(u.fetch(&urls, "original").await, u.jpeg);
}

#[tokio::test]
async fn the_owner_edits_attributes_and_selection_and_exif_values_stay_unless_changed() {
    let u = uploaded().await;
    let edit = json!({"attributes": {"event": "Summer trip", "keywords": ["Mt. Fuji", "sunrise"], "people": ["Ann"]}, "selected": true});
    let (s, edited) = u.env.patch(&u.path(), &u.carol, edit).await;
    assert_eq!(s, StatusCode::OK, "{edited}");
    assert_eq!(edited["attributes"]["keywords"], json!(["mt. fuji", "sunrise"]));
    assert_eq!(
        edited["attributes"]["camera"], "Canon EOS R6",
        "EXIF defaults stay"
    );
    let (_, again) = u.env.get(&u.path(), &u.carol).await;
    assert_eq!(again["selected"], true);
    assert_eq!(again["attributes"]["event"], "Summer trip");
}

#[tokio::test]
async fn an_edit_with_a_bad_date_is_refused_naming_the_field() {
    let u = uploaded().await;
    let (s, bad) = u
        .env
        .patch(
            &u.path(),
            &u.carol,
            json!({"attributes": {"taken_at": "last tuesday"}}),
        )
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert!(
        bad["error"]["message"].as_str().unwrap().contains("taken_at"),
        "{bad}"
    );
}

#[tokio::test]
async fn deleting_an_image_then_purging_it_from_the_trash_removes_its_record_and_every_object() {
    let u = uploaded().await;
    let (s, _) = u.env.delete(&u.path(), &u.carol).await;
    assert_eq!(s, StatusCode::NO_CONTENT);
    assert_eq!(u.env.get_status(&u.path(), &u.carol).await, StatusCode::NOT_FOUND);
    assert!(!u.env.keys_of(&u.id).await.is_empty(), "kept in the trash");
    let (s, _) = u.env.delete(&format!("/v1/trash/{}", u.id), &u.carol).await;
    assert_eq!(s, StatusCode::NO_CONTENT);
    assert!(u.env.keys_of(&u.id).await.is_empty());
    assert_eq!(u.env.get_status(&u.path(), &u.carol).await, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_same_bytes_uploaded_after_a_delete_are_not_a_duplicate() {
    let u = uploaded().await;
    let (s, _) = u.env.delete(&u.path(), &u.carol).await;
    assert_eq!(s, StatusCode::NO_CONTENT);
    let again = u.env.upload(&u.carol, &u.jpeg, "image/jpeg").await;
    assert_eq!(u.env.settled(&u.carol, &again).await["status"], "ready");
}

/// Ann's three ready images, oldest first.
async fn three_images(env: &TestEnv, ann: &Customer) -> Vec<String> {
    let mut ids = Vec::new();
    for seed in 0..3 {
        ids.push(
            env.upload(ann, &testkit::photo_png(64, 48, 100 + seed), "image/png")
                .await,
        );
    }
    for id in &ids {
        assert_eq!(env.settled(ann, id).await["status"], "ready");
    }
    ids
}

#[tokio::test]
async fn images_are_listed_newest_first_in_pages() {
    let env = TestEnv::start().await;
    let ann = env.new_customer().await;
    let ids = three_images(&env, &ann).await;
    let (s, p1) = env.get("/v1/images?limit=2", &ann).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(p1["images"].as_array().unwrap().len(), 2);
    assert_eq!(p1["images"][0]["image_id"], ids[2].as_str(), "newest first");
    let cursor = p1["next_cursor"].as_str().expect("a next page");
    let (_, p2) = env
        .get(&format!("/v1/images?limit=2&cursor={cursor}"), &ann)
        .await;
    assert_eq!(p2["images"].as_array().unwrap().len(), 1);
    assert_eq!(p2["images"][0]["image_id"], ids[0].as_str());
    assert!(p2["next_cursor"].is_null());
    for bad in [
        "/v1/images?limit=0",
        "/v1/images?limit=100000",
        "/v1/images?cursor=garbage",
        "/v1/images?limit=abc",
    ] {
        let (s, b) = env.get(bad, &ann).await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{bad}: {b}");
    }
}

#[tokio::test]
async fn another_customer_reaches_none_of_an_owners_images_and_changes_nothing() {
    let env = TestEnv::start().await;
    let (ann, bob) = (env.new_customer().await, env.new_customer().await);
    let ids = three_images(&env, &ann).await;
    // Every route answers 404, as for an ID that does not exist, and Bob's
    // cursor cannot walk Ann's partition.
    let (_, p1) = env.get("/v1/images?limit=2", &ann).await;
    let cursor = p1["next_cursor"].as_str().expect("a next page");
    let (_, listed) = env.get(&format!("/v1/images?cursor={cursor}"), &bob).await;
    assert_eq!(listed["images"], json!([]));
    let id = &ids[0];
    let path = format!("/v1/images/{id}");
    for (what, (s, b)) in [
        ("GET", env.get(&path, &bob).await),
        ("GET urls", env.get(&format!("{path}/urls"), &bob).await),
        ("PATCH", env.patch(&path, &bob, json!({"selected": true})).await),
        ("DELETE", env.delete(&path, &bob).await),
        ("GET unknown", env.get("/v1/images/img_not-an-id", &bob).await),
    ] {
        assert_eq!(s, StatusCode::NOT_FOUND, "{what}: {b}");
        assert_eq!(b["error"]["code"], "not_found");
        assert!(!b.to_string().contains(id.as_str()), "404 leaks nothing: {b}");
    }
    let (_, still) = env.get(&path, &ann).await;
    assert_eq!(still["selected"], false, "Bob's PATCH changed nothing");
    assert_eq!(
        env.settled_keys_of(id).await.len(),
        3,
        "Bob's DELETE removed nothing"
    );
}

#[tokio::test]
async fn upload_requests_are_validated() {
    let env = TestEnv::start().await;
    let token = env.customer().await;
    for (body, status) in [
        (
            json!({"content_type": "application/pdf", "content_length": 10}),
            StatusCode::BAD_REQUEST,
        ),
        (
            json!({"content_type": "image/jpeg", "content_length": 0}),
            StatusCode::BAD_REQUEST,
        ),
        (
            json!({"content_type": "image/jpeg", "content_length": 60 * 1024 * 1024}),
            StatusCode::PAYLOAD_TOO_LARGE,
        ),
        (json!({"content_type": "image/jpeg"}), StatusCode::BAD_REQUEST),
        (
            json!({"content_type": "image/jpeg", "content_length": -5}),
            StatusCode::BAD_REQUEST,
        ),
    ] {
        let (s, b) = env.post("/v1/uploads", &token, body.clone()).await;
        assert_eq!(s, status, "{body}: {b}");
        assert!(b["error"]["message"].is_string());
    }
    let valid = json!({"content_type": "image/jpeg", "content_length": 10});
    let (s, _) = env.post("/v1/uploads", None, valid).await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn an_upload_is_pending_and_has_no_urls_until_it_is_finalised() {
    let env = TestEnv::start().await;
    let token = env.customer().await;
    let (s, b) = env
        .post(
            "/v1/uploads",
            &token,
            json!({"content_type": "image/png", "content_length": 10}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED);
    assert_eq!(b["status"], "pending");
    let url = b["upload"]["url"].as_str().unwrap();
    assert!(
        url.contains("/incoming/cus_"),
        "bound to the caller's incoming/ prefix: {url}"
    );
    let path = format!("/v1/images/{}", b["image_id"].as_str().unwrap());
    let (_, img) = env.get(&path, &token).await;
    assert_eq!(img["status"], "pending");
    let (s, _) = env.get(&format!("{path}/urls"), &token).await;
    assert_eq!(s, StatusCode::CONFLICT, "no URLs before the image is ready");
}
