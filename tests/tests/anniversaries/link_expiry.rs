//! An event notice's thumbnail links work `anniversaries.link_ttl_days`
//! (14) from the notice, counted from the sweep's "now" (its scheduled
//! event's time), and then answer 404 like a link that never existed.

use super::*;
use tower::ServiceExt;

/// The answer of the api, with its clock at `clock`, to a GET of `url`.
async fn status_then(env: &TestEnv, at: time::OffsetDateTime, url: &str) -> (StatusCode, String) {
    let mut state = env.stack.api_state.clone();
    state.clock = printvault_domain::when::Clock::stopped_at(at);
    let path = url.strip_prefix(&env.stack.api_url).expect("a link to this api");
    let req = http::Request::get(path).body(axum::body::Body::empty()).unwrap();
    let res = api::router(state).oneshot(req).await.unwrap();
    let status = res.status();
    let body = axum::body::to_bytes(res.into_body(), 1 << 16).await.unwrap();
    (status, String::from_utf8_lossy(&body).into_owned())
}

#[tokio::test]
async fn a_notice_link_works_for_14_days_from_the_notice_and_then_answers_404() {
    let env = TestEnv::start().await;
    let cat = env.new_customer().await;
    set_birthday(&env, &cat, "1992-09-15").await;
    photo_taken(&env, &cat, 9301, "2020-09-15").await;
    // The sweep of 2027-09-08 (00:05 UTC) notices the birthday a week ahead.
    assert_eq!(sweep(&env, "2027-09-08").await.get("noticed"), 1);
    // The welcome code, then the notice.
    let got = mails(&env, &cat, 2).await;
    let notice = got
        .iter()
        .find(|m| m.subject.starts_with("Coming up"))
        .expect("the birthday notice");
    let thumb = links(&notice.body).pop().expect("a thumbnail link");

    // 14 days later, to the second: the last moment it works.
    let (s, b) = status_then(
        &env,
        local_runner::schedule::day_time("2027-09-22").unwrap() - time::Duration::seconds(1),
        &thumb,
    )
    .await;
    assert_eq!(s, StatusCode::FOUND, "{b}");
    // From then on, 404 with the usual JSON error, as for any unknown link.
    for day in ["2027-09-22", "2028-01-01"] {
        let at = local_runner::schedule::day_time(day).unwrap();
        let (s, b) = status_then(&env, at, &thumb).await;
        assert_eq!(s, StatusCode::NOT_FOUND, "{b}");
        let body: serde_json::Value = serde_json::from_str(&b).unwrap();
        assert_eq!(body["error"]["code"], "not_found", "{body}");
        assert!(body["error"]["message"].is_string(), "{body}");
    }
}
