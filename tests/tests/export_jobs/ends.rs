//! How an export ends other than well: an original gone while it ran fails
//! it for good (the reason on the job and in an email, and the customer
//! may start another), and one abandoned past `exports.abandon_hours` no
//! longer stops a new one.

use integration_tests::{image_id, TestEnv};
use printvault_adapters::keys;
use reqwest::StatusCode;

use super::{post_export, run_to_the_end};

#[tokio::test]
async fn an_original_gone_while_it_ran_fails_the_export_and_says_why() {
    let env = TestEnv::with(|o| o.run_exporter = false).await;
    let ann = env.new_customer().await;
    let kept = env.ready_image(&ann, 9721).await;
    let gone = env.ready_image(&ann, 9722).await;
    let (_, view, _) = post_export(&env, &ann, Some("fails")).await;
    let id = view["export_id"].as_str().unwrap().to_owned();
    // One original disappears under the export; its record stays.
    env.stack
        .api_state
        .stores
        .objects
        .delete(&keys::original_key(&ann.customer_id(), &image_id(&gone)))
        .await
        .unwrap();
    let before = env.mails_to(&ann.email).await.len();
    let end = run_to_the_end(&env, &ann, &id).await;
    assert_eq!(end["state"], "failed", "{end}");
    let reason = end["reason"].as_str().unwrap();
    assert!(reason.contains(&gone) && reason.contains("missing"), "{reason}");
    assert!(!reason.contains(&kept));
    let mail = env.next_mail(&ann.email, before).await;
    assert_eq!(mail.subject, "Your printvault export could not be finished");
    let (s, b) = env.get(&format!("/v1/exports/{id}/urls"), &ann).await;
    assert_eq!(s, StatusCode::CONFLICT, "{b}");
    // Nothing of the failed part stays: its upload was abandoned.
    let uploads = env
        .stack
        .clients
        .s3
        .list_multipart_uploads()
        .bucket(&env.stack.resources.names.photos_bucket)
        .prefix("exports/")
        .send()
        .await
        .unwrap();
    assert!(uploads.uploads.unwrap_or_default().is_empty());
    let (s, again, _) = post_export(&env, &ann, Some("again")).await;
    assert_eq!(s, StatusCode::ACCEPTED, "another export may start: {again}");
}

#[tokio::test]
async fn an_export_abandoned_past_its_hours_no_longer_blocks_a_new_one() {
    let env = TestEnv::with(|o| o.run_exporter = false).await;
    let ann = env.new_customer().await;
    let (s, first, _) = post_export(&env, &ann, Some("first")).await;
    assert_eq!(s, StatusCode::ACCEPTED);
    let (s, _, _) = post_export(&env, &ann, Some("second")).await;
    assert_eq!(s, StatusCode::CONFLICT);
    let hours = env.stack.api_state.settings.exports.abandon_hours;
    let clock = &env.stack.api_state.clock;
    clock.set_ahead(clock.ahead() + i64::from(hours) * 3600 + 1);
    let (s, second, _) = post_export(&env, &ann, Some("second")).await;
    assert_eq!(s, StatusCode::ACCEPTED, "{second}");
    assert_ne!(second["export_id"], first["export_id"]);
}

#[tokio::test]
async fn exports_past_the_days_most_wait_and_a_replay_still_answers() {
    let env = TestEnv::with(|o| {
        o.run_exporter = false;
        o.settings.exports.per_day = 1;
    })
    .await;
    let ann = env.new_customer().await;
    let (_, first, _) = post_export(&env, &ann, Some("one")).await;
    let id = first["export_id"].as_str().unwrap().to_owned();
    run_to_the_end(&env, &ann, &id).await;
    let res = env
        .http
        .post(env.url("/v1/exports"))
        .bearer_auth(&ann.token)
        .header("idempotency-key", "two")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS);
    let wait: u64 = res.headers()["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((86_000..=86_400).contains(&wait), "{wait}");
    let body: serde_json::Value = res.json().await.unwrap();
    assert!(body.to_string().contains("the most allowed"), "{body}");
    let (s, again, replayed) = post_export(&env, &ann, Some("one")).await;
    assert_eq!(
        (s, &again["export_id"], replayed),
        (StatusCode::ACCEPTED, &first["export_id"], true)
    );
    let clock = &env.stack.api_state.clock;
    clock.set_ahead(clock.ahead() + 86_401);
    let (s, _, _) = post_export(&env, &ann, Some("two")).await;
    assert_eq!(s, StatusCode::ACCEPTED, "a day on");
}
