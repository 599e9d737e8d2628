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

/// Whether `header` matches a CORS `AllowedHeaders` entry (case-insensitive,
/// `*` as a wildcard, as S3 matches them).
fn cors_allows(allowed: &[String], header: &str) -> bool {
    allowed.iter().any(|a| {
        let a = a.to_ascii_lowercase();
        match a.split_once('*') {
            Some((head, tail)) => {
                header.len() >= head.len() + tail.len() && header.starts_with(head) && header.ends_with(tail)
            }
            None => a == header,
        }
    })
}

/// A browser PUTs to the presigned URL itself, after a CORS preflight that
/// names every header it will send. moto does not evaluate preflights, so
/// this checks the headers an upload URL really signs against the bucket's
/// CORS rule in the template: one missing there fails every browser upload
/// on AWS.
#[tokio::test]
async fn a_browser_may_send_every_header_an_upload_url_signs() {
    let env = TestEnv::start().await;
    let ann = env.new_customer().await;
    let (s, up) = env
        .post(
            "/v1/uploads",
            &ann,
            json!({"file_name": "a.jpg", "content_type": "image/jpeg", "content_length": 1000}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{up}");
    let t = integration_tests::template::load();
    let rules = &t["Resources"]["PhotosBucket"]["Properties"]["CorsConfiguration"]["CorsRules"];
    let put_rule = rules
        .as_sequence()
        .expect("CORS rules")
        .iter()
        .find(|r| {
            integration_tests::template::list(&r["AllowedMethods"])
                .iter()
                .any(|m| m == "PUT")
        })
        .expect("a CORS rule for PUT");
    let allowed = integration_tests::template::list(&put_rule["AllowedHeaders"]);
    // The browser sets these itself; a preflight never asks for them.
    let browser_set = ["host", "content-length"];
    let headers = up["upload"]["headers"].as_object().expect("the headers to send");
    assert!(headers.contains_key("if-none-match"), "{up}");
    for name in headers.keys().map(|h| h.to_ascii_lowercase()) {
        if browser_set.contains(&name.as_str()) {
            continue;
        }
        assert!(
            cors_allows(&allowed, &name),
            "a browser's preflight for `{name}` would be refused: add it to the bucket's AllowedHeaders ({allowed:?})"
        );
    }
}
