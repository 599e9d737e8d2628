//! M1, M2, M5, M8, M9 end to end: register, log in, profile, upload through
//! the presigned URL with a real HTTP PUT, finalise, list, fetch the
//! thumbnail, edit, delete, log out.

use integration_tests::{testkit, TestEnv};
use reqwest::{Method, StatusCode};
use serde_json::json;

#[tokio::test]
async fn a_customer_uploads_a_photo_and_sees_it_finalised() {
    let env = TestEnv::start().await;
    let token = env.customer().await;

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
    let id = env.upload(&token, &jpeg, "image/jpeg").await;
    let image = env.settled(&token, &id).await;
    assert_eq!(image["status"], "ready", "{image}");
    assert_eq!(image["format"], "jpeg");
    assert_eq!(image["bytes"], jpeg.len());
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

    // The incoming object is gone; the original and renditions are stored.
    let keys = env.settled_keys_of(&id).await;
    assert_eq!(keys.len(), 3, "{keys:?}");
    assert!(keys.iter().all(|k| !k.starts_with("incoming/")), "{keys:?}");

    // Listing shows it, with its status.
    let (s, list) = env.call(Method::GET, "/v1/images", Some(&token), None).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(list["images"][0]["image_id"], id.as_str());
    assert_eq!(list["images"][0]["status"], "ready");

    // The thumbnail URL serves an oriented JPEG about 256 px on the long edge.
    let (s, urls) = env
        .call(Method::GET, &format!("/v1/images/{id}/urls"), Some(&token), None)
        .await;
    assert_eq!(s, StatusCode::OK, "{urls}");
    let thumb = env
        .http
        .get(urls["thumbnail"].as_str().unwrap())
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    assert_eq!(&thumb[..2], &[0xFF, 0xD8], "thumbnail is a JPEG");
    let processed = printvault_imaging::process(&thumb, &Default::default(), &Default::default()).unwrap();
    assert_eq!((processed.width, processed.height), (171, 256));
    let preview = env
        .http
        .get(urls["preview"].as_str().unwrap())
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    let processed = printvault_imaging::process(&preview, &Default::default(), &Default::default()).unwrap();
    assert_eq!(processed.height, 1200, "a preview never upscales");
    let original = env
        .http
        .get(urls["original"].as_str().unwrap())
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    assert_eq!(original.as_ref(), jpeg.as_slice());

    // M8 attributes and M9 selection.
    let (s, edited) = env
        .call(
            Method::PATCH,
            &format!("/v1/images/{id}"),
            Some(&token),
            Some(json!({"attributes": {"event": "Summer trip", "keywords": ["Mt. Fuji", "sunrise"], "people": ["Ann"]}, "selected": true})),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{edited}");
    assert_eq!(edited["attributes"]["keywords"], json!(["mt. fuji", "sunrise"]));
    assert_eq!(
        edited["attributes"]["camera"], "Canon EOS R6",
        "EXIF defaults stay"
    );
    let (_, again) = env
        .call(Method::GET, &format!("/v1/images/{id}"), Some(&token), None)
        .await;
    assert_eq!(again["selected"], true);
    assert_eq!(again["attributes"]["event"], "Summer trip");
    let (s, bad) = env
        .call(
            Method::PATCH,
            &format!("/v1/images/{id}"),
            Some(&token),
            Some(json!({"attributes": {"taken_at": "last tuesday"}})),
        )
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert!(
        bad["error"]["message"].as_str().unwrap().contains("taken_at"),
        "{bad}"
    );

    // Delete removes the record and every object.
    let (s, _) = env
        .call(Method::DELETE, &format!("/v1/images/{id}"), Some(&token), None)
        .await;
    assert_eq!(s, StatusCode::NO_CONTENT);
    assert!(env.keys_of(&id).await.is_empty());
    let (s, _) = env
        .call(Method::GET, &format!("/v1/images/{id}"), Some(&token), None)
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);

    // Uploading the same bytes after the delete is not a duplicate any more.
    let again = env.upload(&token, &jpeg, "image/jpeg").await;
    assert_eq!(env.settled(&token, &again).await["status"], "ready");
}

#[tokio::test]
async fn accounts_sessions_and_profile() {
    let env = TestEnv::start().await;
    let creds = json!({"email": "Carol@Example.com", "password": "correct horse battery"});
    let (s, b) = env
        .call(Method::POST, "/v1/accounts", None, Some(creds.clone()))
        .await;
    assert_eq!(s, StatusCode::CREATED, "{b}");
    assert_eq!(b["email"], "carol@example.com");
    let (s, b) = env
        .call(
            Method::POST,
            "/v1/accounts",
            None,
            Some(json!({"email": "carol@example.com", "password": "another long one"})),
        )
        .await;
    assert_eq!(s, StatusCode::CONFLICT, "{b}");

    for (body, status) in [
        (
            json!({"email": "nope", "password": "correct horse battery"}),
            StatusCode::BAD_REQUEST,
        ),
        (
            json!({"email": "dan@example.com", "password": "short"}),
            StatusCode::BAD_REQUEST,
        ),
        (json!({"email": "dan@example.com"}), StatusCode::BAD_REQUEST),
    ] {
        let (s, b) = env.call(Method::POST, "/v1/accounts", None, Some(body)).await;
        assert_eq!(s, status, "{b}");
        assert!(
            b["error"]["code"].is_string() && b["error"]["message"].is_string(),
            "{b}"
        );
    }
    let res = env
        .http
        .post(env.url("/v1/accounts"))
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);

    let (s, _) = env
        .call(
            Method::POST,
            "/v1/sessions",
            None,
            Some(json!({"email": "carol@example.com", "password": "wrong password!"})),
        )
        .await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    let (s, _) = env
        .call(
            Method::POST,
            "/v1/sessions",
            None,
            Some(json!({"email": "nobody@example.com", "password": "wrong password!"})),
        )
        .await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    let (s, login) = env.call(Method::POST, "/v1/sessions", None, Some(creds)).await;
    assert_eq!(s, StatusCode::CREATED);
    let token = login["token"].as_str().unwrap().to_owned();

    // The token is stored hashed: the raw token appears nowhere in the table.
    let scan = env
        .stack
        .clients
        .dynamodb
        .scan()
        .table_name(&env.stack.resources.names.accounts_table)
        .send()
        .await
        .unwrap();
    let dump = format!("{:?}", scan.items());
    assert!(!dump.contains(&token));
    assert!(dump.contains("$argon2id$"), "passwords are argon2id hashes");

    // M2 profile.
    let (s, p) = env.call(Method::GET, "/v1/profile", Some(&token), None).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(p["email"], "carol@example.com");
    let update = json!({
        "name": "Carol Tanaka",
        "contact_email": "carol.t@example.org",
        "postal_address": {"lines": ["1-1 Chiyoda"], "city": "Tokyo", "postal_code": "100-0001", "country": "JP"},
        "birthday": "1990-04-01",
        "named_dates": [{"label": "Wedding anniversary", "date": "2015-06-20"}]
    });
    let (s, p) = env
        .call(Method::PATCH, "/v1/profile", Some(&token), Some(update))
        .await;
    assert_eq!(s, StatusCode::OK, "{p}");
    let (_, p) = env.call(Method::GET, "/v1/profile", Some(&token), None).await;
    assert_eq!(p["name"], "Carol Tanaka");
    assert_eq!(p["postal_address"]["city"], "Tokyo");
    assert_eq!(p["named_dates"][0]["date"], "2015-06-20");
    let (s, b) = env
        .call(
            Method::PATCH,
            "/v1/profile",
            Some(&token),
            Some(json!({"birthday": "3000-01-01"})),
        )
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{b}");
    let (_, p) = env.call(Method::GET, "/v1/profile", Some(&token), None).await;
    assert_eq!(p["birthday"], "1990-04-01", "a refused update changes nothing");

    // Log out: the token stops working at once.
    let (s, _) = env
        .call(Method::DELETE, "/v1/sessions/current", Some(&token), None)
        .await;
    assert_eq!(s, StatusCode::NO_CONTENT);
    let (s, b) = env.call(Method::GET, "/v1/profile", Some(&token), None).await;
    assert_eq!(s, StatusCode::UNAUTHORIZED, "{b}");
    let (s, _) = env.call(Method::GET, "/v1/profile", None, None).await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    let (s, _) = env
        .call(Method::GET, "/v1/profile", Some("forged-token"), None)
        .await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn sessions_expire() {
    let env = TestEnv::with(|o| o.settings.sessions.ttl_hours = 1).await;
    let token = env.customer().await;
    let mut later = env.stack.api_state.clone();
    later.clock = || time::OffsetDateTime::now_utc() + time::Duration::hours(2);
    let app = api::router(later);
    use tower::ServiceExt;
    let req = http::Request::get("/v1/profile")
        .header("authorization", format!("Bearer {token}"))
        .body(axum::body::Body::empty())
        .unwrap();
    let res = app.oneshot(req).await.unwrap();
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn images_are_listed_in_pages_and_only_to_their_owner() {
    let env = TestEnv::start().await;
    let ann = env.customer().await;
    let bob = env.customer().await;
    let mut ids = Vec::new();
    for seed in 0..3 {
        ids.push(
            env.upload(&ann, &testkit::photo_png(64, 48, 100 + seed), "image/png")
                .await,
        );
    }
    for id in &ids {
        assert_eq!(env.settled(&ann, id).await["status"], "ready");
    }
    let (s, p1) = env
        .call(Method::GET, "/v1/images?limit=2", Some(&ann), None)
        .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(p1["images"].as_array().unwrap().len(), 2);
    assert_eq!(p1["images"][0]["image_id"], ids[2].as_str(), "newest first");
    let cursor = p1["next_cursor"].as_str().expect("a next page");
    let (_, p2) = env
        .call(
            Method::GET,
            &format!("/v1/images?limit=2&cursor={cursor}"),
            Some(&ann),
            None,
        )
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
        let (s, b) = env.call(Method::GET, bad, Some(&ann), None).await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{bad}: {b}");
    }

    // Bob sees none of Ann's images: every route answers 404, as for an ID
    // that does not exist, and his cursor cannot walk her partition.
    let (_, bl) = env
        .call(
            Method::GET,
            &format!("/v1/images?cursor={cursor}"),
            Some(&bob),
            None,
        )
        .await;
    assert_eq!(bl["images"], json!([]));
    let id = &ids[0];
    for (m, path, body) in [
        (Method::GET, format!("/v1/images/{id}"), None),
        (Method::GET, format!("/v1/images/{id}/urls"), None),
        (
            Method::PATCH,
            format!("/v1/images/{id}"),
            Some(json!({"selected": true})),
        ),
        (Method::DELETE, format!("/v1/images/{id}"), None),
        (Method::GET, "/v1/images/img_not-an-id".to_string(), None),
    ] {
        let (s, b) = env.call(m.clone(), &path, Some(&bob), body).await;
        assert_eq!(s, StatusCode::NOT_FOUND, "{m} {path}: {b}");
        assert_eq!(b["error"]["code"], "not_found");
        assert!(
            !b.to_string().contains(id.as_str()) || path.contains("not-an-id"),
            "404 leaks nothing: {b}"
        );
    }
    let (_, still) = env
        .call(Method::GET, &format!("/v1/images/{id}"), Some(&ann), None)
        .await;
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
        let (s, b) = env
            .call(Method::POST, "/v1/uploads", Some(&token), Some(body.clone()))
            .await;
        assert_eq!(s, status, "{body}: {b}");
        assert!(b["error"]["message"].is_string());
    }
    let (s, _) = env
        .call(
            Method::POST,
            "/v1/uploads",
            None,
            Some(json!({"content_type": "image/jpeg", "content_length": 10})),
        )
        .await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    let (s, b) = env
        .call(
            Method::POST,
            "/v1/uploads",
            Some(&token),
            Some(json!({"content_type": "image/png", "content_length": 10})),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED);
    assert_eq!(b["status"], "pending");
    let url = b["upload"]["url"].as_str().unwrap();
    assert!(
        url.contains("/incoming/cus_"),
        "bound to the caller's incoming/ prefix: {url}"
    );
    let (_, img) = env
        .call(
            Method::GET,
            &format!("/v1/images/{}", b["image_id"].as_str().unwrap()),
            Some(&token),
            None,
        )
        .await;
    assert_eq!(img["status"], "pending");
    let (s, _) = env
        .call(
            Method::GET,
            &format!("/v1/images/{}/urls", b["image_id"].as_str().unwrap()),
            Some(&token),
            None,
        )
        .await;
    assert_eq!(s, StatusCode::CONFLICT, "no URLs before the image is ready");
}
