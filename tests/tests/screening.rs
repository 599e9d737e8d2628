//! M6 screening, M5 refusals and M7 duplicates, through the real pipeline.

use integration_tests::{testkit, TestEnv, OPERATOR_KEY};
use reqwest::{Method, StatusCode};

async fn add_to_blocklist(env: &TestEnv, bytes: &[u8], key: &str) -> (StatusCode, serde_json::Value) {
    let res = env
        .http
        .post(env.url("/v1/operator/blocklist?reason=copyright%20claim"))
        .header("x-operator-key", key)
        .header("content-type", "application/octet-stream")
        .body(bytes.to_vec())
        .send()
        .await
        .unwrap();
    let status = res.status();
    (status, res.json().await.unwrap())
}

/// Lambda takes at most 6 MB and the body arrives base64-encoded, so the
/// api refuses more than 4 MiB itself, with a JSON error that says why
/// (issue 7, item 8).
#[tokio::test]
async fn a_blocklist_image_over_the_real_request_limit_is_refused_with_the_reason() {
    let env = TestEnv::start().await;
    let (s, b) = add_to_blocklist(&env, &vec![0u8; api::BLOCKLIST_BODY_LIMIT + 1], OPERATOR_KEY).await;
    assert_eq!(s, StatusCode::PAYLOAD_TOO_LARGE, "{b}");
    assert_eq!(b["error"]["code"], "too_large");
    assert!(b["error"]["message"].as_str().unwrap().contains("base64"), "{b}");
    let (s, b) = add_to_blocklist(&env, &vec![0u8; api::BLOCKLIST_BODY_LIMIT], OPERATOR_KEY).await;
    assert_eq!(
        s,
        StatusCode::BAD_REQUEST,
        "at the limit it is read, and judged as an image: {b}"
    );
}

#[tokio::test]
async fn blocklisted_images_and_resized_copies_are_rejected_and_never_visible() {
    let env = TestEnv::start().await;
    let token = env.customer().await;
    let banned = testkit::photo_jpeg(1600, 1200, 7);

    let (s, b) = add_to_blocklist(&env, &banned, "wrong-key").await;
    assert_eq!(s, StatusCode::UNAUTHORIZED, "{b}");
    let (s, entry) = add_to_blocklist(&env, &banned, OPERATOR_KEY).await;
    assert_eq!(s, StatusCode::CREATED, "{entry}");
    assert_eq!(entry["reason"], "copyright claim");
    let (s, again) = add_to_blocklist(&env, &banned, OPERATOR_KEY).await;
    assert_eq!(s, StatusCode::CREATED);
    assert_eq!(
        again["entry_id"], entry["entry_id"],
        "adding the same image twice keeps one entry"
    );
    let (s, b) = add_to_blocklist(&env, b"not an image at all", OPERATOR_KEY).await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{b}");

    let exact = env.upload(&token, &banned, "image/jpeg").await;
    let resized = env
        .upload(&token, &testkit::resized_copy(&banned, 0.5, 70), "image/jpeg")
        .await;
    let unrelated = env
        .upload(&token, &testkit::photo_jpeg(1600, 1200, 8), "image/jpeg")
        .await;

    for id in [&exact, &resized] {
        let img = env.settled(&token, id).await;
        assert_eq!(img["status"], "rejected", "{img}");
        assert_eq!(img["rejection"]["code"], "blocklisted");
        assert!(img["rejection"]["reason"].as_str().unwrap().contains("blocklist"));
        assert!(
            env.settled_keys_of(id).await.is_empty(),
            "a rejected upload leaves no object"
        );
        let (s, _) = env
            .call(Method::GET, &format!("/v1/images/{id}/urls"), Some(&token), None)
            .await;
        assert_eq!(s, StatusCode::CONFLICT, "never visible");
    }
    assert_eq!(env.settled(&token, &unrelated).await["status"], "ready");
}

#[tokio::test]
async fn hostile_and_broken_files_are_rejected_with_a_reason() {
    let env = TestEnv::start().await;
    let token = env.customer().await;
    let cases: Vec<(&str, Vec<u8>, &str, &str)> = vec![
        ("corrupt JPEG", testkit::corrupt_jpeg(3), "image/jpeg", "corrupt"),
        (
            "truncated JPEG",
            testkit::truncated(&testkit::photo_jpeg(800, 600, 4)),
            "image/jpeg",
            "truncated",
        ),
        (
            "not an image",
            testkit::not_an_image(),
            "image/jpeg",
            "not_an_image",
        ),
        (
            "PNG bomb",
            testkit::bomb_png(60_000, 60_000),
            "image/png",
            "too_many_pixels",
        ),
        (
            "JPEG claiming 12000×12000",
            testkit::jpeg_header_claiming(12_000, 12_000),
            "image/jpeg",
            "too_many_pixels",
        ),
    ];
    let mut ids = Vec::new();
    for (name, bytes, ct, _) in &cases {
        ids.push((name, env.upload(&token, bytes, ct).await));
    }
    let good = env
        .upload(&token, &testkit::photo_webp(300, 200, 5), "image/webp")
        .await;
    for ((name, id), (_, _, _, code)) in ids.iter().zip(&cases) {
        let img = env.settled(&token, id).await;
        assert_eq!(img["status"], "rejected", "{name}: {img}");
        let got = img["rejection"]["code"].as_str().unwrap();
        // A truncated or corrupt file may be reported as either.
        let ok = got == *code
            || (matches!(*code, "corrupt" | "truncated") && matches!(got, "corrupt" | "truncated"));
        assert!(ok, "{name}: expected {code}, got {img}");
        assert!(!img["rejection"]["reason"].as_str().unwrap().is_empty());
        assert!(env.settled_keys_of(id).await.is_empty(), "{name}: nothing stored");
    }
    let img = env.settled(&token, &good).await;
    assert_eq!(
        img["status"], "ready",
        "a hostile file never blocks the rest: {img}"
    );
    assert_eq!(img["format"], "webp");
}

#[tokio::test]
async fn the_real_size_is_checked_again() {
    let env = TestEnv::start().await;
    let token = env.customer().await;
    // moto does not enforce the signed Content-Length, so a client can send
    // other bytes than it declared; finalise measures what arrived.
    let (s, b) = env
        .call(
            Method::POST,
            "/v1/uploads",
            Some(&token),
            Some(serde_json::json!({"content_type": "image/jpeg", "content_length": 100})),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED);
    env.put_presigned(&b["upload"], &testkit::photo_jpeg(300, 200, 9))
        .await;
    let img = env.settled(&token, b["image_id"].as_str().unwrap()).await;
    assert_eq!(img["status"], "rejected");
    assert_eq!(img["rejection"]["code"], "size_mismatch", "{img}");
}

#[tokio::test]
async fn the_same_bytes_are_stored_once_per_customer() {
    let env = TestEnv::start().await;
    let ann = env.customer().await;
    let bob = env.customer().await;
    let jpeg = testkit::photo_jpeg(640, 480, 11);
    let first = env.upload(&ann, &jpeg, "image/jpeg").await;
    assert_eq!(env.settled(&ann, &first).await["status"], "ready");
    let second = env.upload(&ann, &jpeg, "image/jpeg").await;
    let dup = env.settled(&ann, &second).await;
    assert_eq!(dup["status"], "duplicate", "{dup}");
    assert_eq!(dup["duplicate_of"], first.as_str());
    assert!(
        env.settled_keys_of(&second).await.is_empty(),
        "the duplicate stores nothing"
    );
    let (s, b) = env
        .call(
            Method::GET,
            &format!("/v1/images/{second}/urls"),
            Some(&ann),
            None,
        )
        .await;
    assert_eq!(s, StatusCode::CONFLICT);
    assert!(b["error"]["message"].as_str().unwrap().contains(&first), "{b}");
    // Another customer's copy is theirs to keep.
    let bobs = env.upload(&bob, &jpeg, "image/jpeg").await;
    assert_eq!(env.settled(&bob, &bobs).await["status"], "ready");
}
