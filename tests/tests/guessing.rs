//! Password guessing limits (issue 7, item 4), against moto: failed logins
//! are counted per address and per source address; past the free ones each
//! failure locks logins for a delay that doubles, answered 429 with
//! `Retry-After`, before any password is checked; the right password works
//! once the lock has passed, and forgets the address's failures.
//!
//! The api's clock is frozen at the first login and moved by hand
//! (`move_clock`), instead of sleeping.
//!
//! Behind CloudFront, the source is the viewer, not the edge server: the
//! last test plays the distribution (its secret and viewer header) over
//! one connection, as an edge server would.

use integration_tests::TestEnv;
use printvault_domain::when::Clock;
use reqwest::StatusCode;
use serde_json::{json, Value};
use std::sync::OnceLock;
use tower::ServiceExt;

static CLOCK: OnceLock<Clock> = OnceLock::new();

/// The api's clock in these tests: stopped at the first login.
fn moved_clock() -> Clock {
    CLOCK
        .get_or_init(|| Clock::stopped_at(time::OffsetDateTime::now_utc()))
        .clone()
}

/// Moves the stopped clock `secs` on.
fn move_clock(secs: u64) {
    let clock = moved_clock();
    clock.set_ahead(clock.ahead() + secs as i64);
}

/// One login through the api's router with the moved clock: the status,
/// `Retry-After` if any, and the body.
async fn login(env: &TestEnv, email: &str, password: &str) -> (StatusCode, Option<u64>, Value) {
    let mut state = env.stack.api_state.clone();
    state.clock = moved_clock();
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
        move_clock(lock);
        let (s, _, _) = login(&env, &carol.email, "wrong again!!").await;
        assert_eq!(s, StatusCode::UNAUTHORIZED);
        let (s, retry, _) = login(&env, &carol.email, "correct horse battery").await;
        assert_eq!(s, StatusCode::TOO_MANY_REQUESTS, "even the right password waits");
        assert_eq!(retry, Some(2 * lock), "the lock doubled");
        lock *= 2;
    }
    move_clock(lock);
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

/// The distribution's proof, in the stack that plays CloudFront.
const ORIGIN_SECRET: &str = "test-origin-verify-0123456789abcdef0123456789";

/// One wrong password over HTTP for the address `who`, with `headers`.
async fn guess(env: &TestEnv, who: &str, headers: &[(&str, &str)]) -> StatusCode {
    let body = json!({"email": format!("{who}@example.com"), "password": "guess guess guess"});
    let mut req = env.http.post(env.url("/v1/sessions")).json(&body);
    for (name, value) in headers {
        req = req.header(*name, *value);
    }
    req.send().await.unwrap().status()
}

#[tokio::test]
async fn behind_cloudfront_each_viewer_is_a_source_and_a_forged_viewer_is_not() {
    let free = 5;
    let env = TestEnv::with(|o| {
        o.origin_verify = Some(ORIGIN_SECRET.into());
        o.settings.accounts.guessing.free_failures_per_source = free;
        // No lock passes while the test runs.
        o.settings.accounts.guessing.base_delay_secs = 600;
    })
    .await;
    let carol = env.new_customer().await;
    // What the distribution adds; every request here comes over one
    // connection, as through one edge server.
    let via_cloudfront = |viewer| {
        [
            (api::ORIGIN_VERIFY_HEADER, ORIGIN_SECRET),
            (api::VIEWER_IP_HEADER, viewer),
        ]
    };
    let a = via_cloudfront("198.51.100.7");
    let b = via_cloudfront("2001:db8::b");

    // Viewer A guesses at a different address each time: its free failures,
    // then the one that locks it.
    for i in 0..=free {
        assert_eq!(
            guess(&env, &format!("a{i}"), &a).await,
            StatusCode::UNAUTHORIZED,
            "A's guess {i}"
        );
    }
    assert_eq!(
        guess(&env, "a-last", &a).await,
        StatusCode::TOO_MANY_REQUESTS,
        "A is locked"
    );
    // Viewer B, through the same edge, is counted on its own.
    assert_eq!(
        guess(&env, "b0", &b).await,
        StatusCode::UNAUTHORIZED,
        "B is not locked"
    );

    // A stranger calling the api directly forges the viewer header, without
    // the secret or with a guess at it, varying it each time: it is counted
    // by the address it connects from, and locked like any one source.
    for i in 0..=free {
        let forged = format!("203.0.113.{i}");
        let headers = match i % 3 {
            0 => vec![(api::VIEWER_IP_HEADER, forged.as_str())],
            1 => vec![
                (api::ORIGIN_VERIFY_HEADER, "a guess at the secret"),
                (api::VIEWER_IP_HEADER, &forged),
            ],
            _ => vec![
                ("cloudfront-viewer-address", "203.0.113.99:443"),
                (api::VIEWER_IP_HEADER, &forged),
            ],
        };
        assert_eq!(
            guess(&env, &format!("s{i}"), &headers).await,
            StatusCode::UNAUTHORIZED,
            "forged guess {i}"
        );
    }
    let forged = [(api::VIEWER_IP_HEADER, "203.0.113.200")];
    assert_eq!(
        guess(&env, "s-last", &forged).await,
        StatusCode::TOO_MANY_REQUESTS,
        "the stranger is locked"
    );

    // That lock is the connection's own: viewers through CloudFront were
    // never counted there, and B still logs in.
    let mut login = env.http.post(env.url("/v1/sessions"));
    for (name, value) in b {
        login = login.header(name, value);
    }
    let res = login
        .json(&json!({"email": carol.email, "password": "correct horse battery"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::CREATED);
}
