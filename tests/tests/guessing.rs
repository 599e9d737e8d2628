//! Password guessing limits (issue 7, item 4), against moto: failed logins
//! are counted per address and per source address; past the free ones each
//! failure locks logins for a delay that doubles, answered 429 with
//! `Retry-After`, before any password is checked; the right password works
//! once the lock has passed, and forgets the address's failures.
//!
//! The api's clock is frozen at the first login and moved by hand
//! (`CLOCK_OFFSET` seconds on), instead of sleeping.

use integration_tests::TestEnv;
use reqwest::StatusCode;
use serde_json::{json, Value};
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::OnceLock;
use tower::ServiceExt;

static CLOCK_OFFSET: AtomicI64 = AtomicI64::new(0);
static FROZEN_AT: OnceLock<time::OffsetDateTime> = OnceLock::new();

fn moved_clock() -> time::OffsetDateTime {
    *FROZEN_AT.get_or_init(time::OffsetDateTime::now_utc)
        + time::Duration::seconds(CLOCK_OFFSET.load(Ordering::SeqCst))
}

/// One login through the api's router with the moved clock: the status,
/// `Retry-After` if any, and the body.
async fn login(env: &TestEnv, email: &str, password: &str) -> (StatusCode, Option<u64>, Value) {
    let mut state = env.stack.api_state.clone();
    state.clock = moved_clock;
    let req = http::Request::post("/v1/sessions")
        .header("content-type", "application/json")
        .body(axum::body::Body::from(
            json!({"email": email, "password": password}).to_string(),
        ))
        .unwrap();
    let res = api::router(state).oneshot(req).await.unwrap();
    let status = res.status();
    let retry = res
        .headers()
        .get("retry-after")
        .map(|v| v.to_str().unwrap().parse().unwrap());
    let body = axum::body::to_bytes(res.into_body(), 1 << 16).await.unwrap();
    (status, retry, serde_json::from_slice(&body).unwrap())
}

#[tokio::test]
async fn two_hundred_guesses_are_throttled_and_the_right_password_works_after_the_wait() {
    let env = TestEnv::start().await;
    let carol = env.new_customer().await;
    let g = env.stack.api_state.settings.accounts.guessing.clone();
    let (mut unauthorised, mut throttled) = (0, 0);
    for i in 0..200 {
        match login(&env, &carol.email, &format!("wrong guess {i}")).await {
            (StatusCode::UNAUTHORIZED, None, _) => unauthorised += 1,
            (StatusCode::TOO_MANY_REQUESTS, Some(secs), b) => {
                assert!(secs >= 1 && secs <= g.base_delay_secs, "{secs}");
                assert_eq!(b["error"]["code"], "too_many_requests", "{b}");
                throttled += 1;
            }
            other => panic!("guess {i}: {other:?}"),
        }
    }
    let free = g.free_failures_per_account;
    assert_eq!(
        unauthorised,
        free + 1,
        "the free failures, then the one that locks"
    );
    assert_eq!(throttled, 200 - free - 1, "every later guess refused unchecked");

    // Each failure after a lock doubles the next lock.
    let mut lock = g.base_delay_secs;
    for _ in 0..3 {
        CLOCK_OFFSET.fetch_add(lock as i64, Ordering::SeqCst);
        let (s, _, _) = login(&env, &carol.email, "wrong again!!").await;
        assert_eq!(s, StatusCode::UNAUTHORIZED);
        let (s, retry, _) = login(&env, &carol.email, "correct horse battery").await;
        assert_eq!(s, StatusCode::TOO_MANY_REQUESTS, "even the right password waits");
        assert_eq!(retry, Some(2 * lock), "the lock doubled");
        lock *= 2;
    }
    CLOCK_OFFSET.fetch_add(lock as i64, Ordering::SeqCst);
    let (s, _, b) = login(&env, &carol.email, "correct horse battery").await;
    assert_eq!(s, StatusCode::CREATED, "{b}");
    // The success forgot the failures: the free ones are free again.
    for _ in 0..free {
        assert_eq!(
            login(&env, &carol.email, "wrong once more").await.0,
            StatusCode::UNAUTHORIZED
        );
    }
}

#[tokio::test]
async fn one_source_guessing_across_many_addresses_is_throttled_too() {
    let env = TestEnv::start().await;
    let carol = env.new_customer().await;
    let free = env
        .stack
        .api_state
        .settings
        .accounts
        .guessing
        .free_failures_per_source;
    // Over real HTTP from one address, one guess per address: no address
    // reaches its own limit, the source does.
    for i in 0..=free {
        let body = json!({"email": format!("someone{i}@example.com"), "password": "guess guess guess"});
        let (s, b) = env.post("/v1/sessions", None, body).await;
        assert_eq!(s, StatusCode::UNAUTHORIZED, "guess {i}: {b}");
    }
    let res = env
        .http
        .post(env.url("/v1/sessions"))
        .json(&json!({"email": carol.email, "password": "correct horse battery"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(res.headers().contains_key("retry-after"));
}
