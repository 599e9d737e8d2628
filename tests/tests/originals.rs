//! The stored original is the checked one: an upload URL writes once, and
//! upload-finalise stores the very bytes it validated and screened, so an
//! original's SHA-256 always equals its record's.

use integration_tests::{testkit, TestEnv};
use reqwest::StatusCode;
use serde_json::json;

/// A stack whose uploads queue the test drives itself.
async fn manual() -> TestEnv {
    let env = TestEnv::with(|o| o.run_pollers = false).await;
    // Drop the s3:TestEvent that configuring the notification sent.
    env.drain(&env.stack.resources.uploads_queue_url).await;
    env
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[tokio::test]
async fn an_upload_url_writes_once_and_the_original_is_the_checked_bytes() {
    let env = manual().await;
    let ann = env.new_customer().await;
    let checked = testkit::photo_jpeg(640, 480, 71);
    // Other bytes of the same length: what a second PUT would try to slip in.
    let mut other = checked.clone();
    let middle = other.len() / 2;
    other[middle] ^= 0xff;

    let (s, up) = env
        .post(
            "/v1/uploads",
            &ann,
            json!({"file_name": "a.jpg", "content_type": "image/jpeg", "content_length": checked.len()}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{up}");
    assert_eq!(up["upload"]["headers"]["if-none-match"], "*", "{up}");
    env.put_presigned(&up["upload"], &checked).await;
    assert_eq!(
        env.try_put_presigned(&up["upload"], &other).await,
        StatusCode::PRECONDITION_FAILED,
        "a second PUT to the same URL is refused"
    );

    let mut events = Vec::new();
    for _ in 0..20 {
        events.extend(env.drain(&env.stack.resources.uploads_queue_url).await);
        if !events.is_empty() {
            break;
        }
    }
    let bodies: Vec<&str> = events.iter().map(String::as_str).collect();
    let r = env
        .stack
        .finaliser
        .handle_batch(integration_tests::sqs_event(&bodies))
        .await;
    assert!(r.batch_item_failures.is_empty());
    let id = up["image_id"].as_str().unwrap();
    let image = env.settled(&ann, id).await;
    assert_eq!(image["status"], "ready", "{image}");

    let owner = env.owner_id(&ann).await;
    let original = env
        .stack
        .clients
        .s3
        .get_object()
        .bucket(&env.stack.resources.names.photos_bucket)
        .key(printvault_adapters::keys::original_key(
            &owner,
            &integration_tests::image_id(id),
        ))
        .send()
        .await
        .unwrap()
        .body
        .collect()
        .await
        .unwrap()
        .into_bytes();
    assert_eq!(&original[..], &checked[..], "the original is the checked bytes");
    let fp = printvault_imaging::fingerprint(&original, &Default::default()).unwrap();
    assert_eq!(
        image["sha256"],
        hex(&fp.sha256),
        "the original's SHA-256 is the record's"
    );
}
