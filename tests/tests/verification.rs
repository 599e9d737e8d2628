//! Verified email addresses (issue 7, items 2 and 3), against moto, reading
//! the mail from moto's SES as the mailbox's holder would:
//! - an account exists only once the code sent to its address comes back,
//!   and each code works once, until it expires;
//! - registering a taken address answers exactly as a new one does, and
//!   tells the holder instead;
//! - moving an account to a new address waits for that address's code.
//!
//! What waits for an unverified address is in `waiting_shares.rs`.

use integration_tests::{unique_stage, TestEnv};
use reqwest::StatusCode;
use serde_json::{json, Value};

fn address() -> String {
    format!("{}@example.com", unique_stage())
}

fn creds(email: &str, password: &str) -> Value {
    json!({"email": email, "password": password})
}

#[tokio::test]
async fn a_taken_address_gets_the_same_answer_and_its_holder_is_told() {
    let env = TestEnv::start().await;
    let carol = env.new_customer().await;
    let fresh = address();
    let (s1, new) = env
        .post("/v1/accounts", None, creds(&fresh, "another long one"))
        .await;
    let before = env.mails_to(&carol.email).await.len();
    let (s2, taken) = env
        .post("/v1/accounts", None, creds(&carol.email, "another long one"))
        .await;
    assert_eq!((s1, s2), (StatusCode::ACCEPTED, StatusCode::ACCEPTED));
    let strip = |mut v: Value| {
        v.as_object_mut().unwrap().remove("email");
        v
    };
    assert_eq!(
        strip(new),
        strip(taken),
        "the same answer for a new and a taken address"
    );
    let mail = env.next_mail(&carol.email, before).await;
    assert!(mail.subject.contains("tried to register"), "{}", mail.subject);
    assert_eq!(mail.code(), None, "no code for a taken address");
    // The intruder's password opens nothing; Carol's still works.
    let (s, _) = env
        .post("/v1/sessions", None, creds(&carol.email, "another long one"))
        .await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    let (s, _) = env
        .post("/v1/sessions", None, creds(&carol.email, "correct horse battery"))
        .await;
    assert_eq!(s, StatusCode::CREATED);
}

#[tokio::test]
async fn a_code_works_once_and_a_forged_or_expired_one_never() {
    let env = TestEnv::with(|o| o.settings.accounts.verification_ttl_minutes = 1).await;
    let email = address();
    let (s, _) = env
        .post("/v1/accounts", None, creds(&email, "correct horse battery"))
        .await;
    assert_eq!(s, StatusCode::ACCEPTED);
    let code = env.next_mail(&email, 0).await.code().unwrap();
    // The real code with its last character changed.
    let last = if code.ends_with('A') { 'B' } else { 'A' };
    let near = format!("{}{last}", &code[..42]);
    for forged in ["", "x", &"A".repeat(43), &near] {
        let (s, b) = env
            .post("/v1/accounts/verify", None, json!({"code": forged}))
            .await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{forged:?}: {b}");
        assert!(
            b["error"]["message"]
                .as_str()
                .unwrap()
                .contains("unknown, used or expired"),
            "{b}"
        );
    }
    // Expired: the api's clock an hour on.
    let mut later = env.stack.api_state.clone();
    later.clock = printvault_domain::when::Clock::ahead_by(time::Duration::hours(1));
    let req = http::Request::post("/v1/accounts/verify")
        .header("content-type", "application/json")
        .body(axum::body::Body::from(json!({"code": code}).to_string()))
        .unwrap();
    use tower::ServiceExt;
    let res = api::router(later).oneshot(req).await.unwrap();
    assert_eq!(res.status(), StatusCode::BAD_REQUEST, "an expired code");
    let (s, b) = env.post("/v1/accounts/verify", None, json!({"code": code})).await;
    assert_eq!(s, StatusCode::CREATED, "{b}");
    let (s, b) = env.post("/v1/accounts/verify", None, json!({"code": code})).await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "used: {b}");
}

#[tokio::test]
async fn of_two_pending_registrations_the_first_verified_wins() {
    let env = TestEnv::start().await;
    let email = address();
    env.post("/v1/accounts", None, creds(&email, "first password!"))
        .await;
    let first = env.next_mail(&email, 0).await.code().unwrap();
    env.post("/v1/accounts", None, creds(&email, "second password"))
        .await;
    let second = env.next_mail(&email, 1).await.code().unwrap();
    let (s, _) = env
        .post("/v1/accounts/verify", None, json!({"code": second}))
        .await;
    assert_eq!(s, StatusCode::CREATED);
    let (s, b) = env
        .post("/v1/accounts/verify", None, json!({"code": first}))
        .await;
    assert_eq!(s, StatusCode::CONFLICT, "{b}");
    let (s, _) = env
        .post("/v1/sessions", None, creds(&email, "second password"))
        .await;
    assert_eq!(s, StatusCode::CREATED);
    let (s, _) = env
        .post("/v1/sessions", None, creds(&email, "first password!"))
        .await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn the_emailed_link_opens_a_page_that_confirms_by_post() {
    let env = TestEnv::start().await;
    let email = address();
    env.post("/v1/accounts", None, creds(&email, "correct horse battery"))
        .await;
    let mail = env.next_mail(&email, 0).await;
    let start = mail.body.find("href=\"").unwrap() + 6;
    let link = &mail.body[start..start + mail.body[start..].find('"').unwrap()];
    assert!(link.starts_with(&env.stack.api_url), "{link}");
    let res = env.http.get(link).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/html"));
    let page = res.text().await.unwrap();
    assert!(page.contains("method: \"POST\""), "{page}");
    // Opening the link (as a mail scanner would) used nothing up.
    let (s, _) = env
        .post("/v1/accounts/verify", None, json!({"code": mail.code().unwrap()}))
        .await;
    assert_eq!(s, StatusCode::CREATED);
}

#[tokio::test]
async fn a_new_address_replaces_the_old_only_once_verified() {
    let env = TestEnv::start().await;
    let carol = env.new_customer().await;
    let new = address();
    let (s, b) = env.put("/v1/profile/email", &carol, json!({"email": new})).await;
    assert_eq!(s, StatusCode::ACCEPTED, "{b}");
    assert_eq!(
        env.me(&carol).await["email"],
        carol.email.as_str(),
        "not moved yet"
    );
    let mail = env.next_mail(&new, 0).await;
    assert!(mail.subject.contains("new email address"), "{}", mail.subject);
    let (s, b) = env
        .post("/v1/accounts/verify", None, json!({"code": mail.code().unwrap()}))
        .await;
    assert_eq!(s, StatusCode::OK, "{b}");
    assert_eq!(b["outcome"], "email_changed");
    assert_eq!(env.me(&carol).await["email"], new.as_str());
    let (s, _) = env
        .post("/v1/sessions", None, creds(&new, "correct horse battery"))
        .await;
    assert_eq!(s, StatusCode::CREATED, "the password moved with the address");
    let (s, _) = env
        .post("/v1/sessions", None, creds(&carol.email, "correct horse battery"))
        .await;
    assert_eq!(s, StatusCode::UNAUTHORIZED, "the old address is free");
}

#[tokio::test]
async fn moving_to_a_taken_address_answers_the_same_and_changes_nothing() {
    let env = TestEnv::start().await;
    let (carol, dan) = (env.new_customer().await, env.new_customer().await);
    let before = env.mails_to(&dan.email).await.len();
    let (s, b) = env
        .put("/v1/profile/email", &carol, json!({"email": dan.email}))
        .await;
    assert_eq!(s, StatusCode::ACCEPTED, "{b}");
    assert!(env
        .next_mail(&dan.email, before)
        .await
        .subject
        .contains("tried to register"));
    assert_eq!(env.me(&carol).await["email"], carol.email.as_str());
    let (s, b) = env
        .put("/v1/profile/email", &carol, json!({"email": carol.email}))
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{b}");
    let (s, _) = env
        .put("/v1/profile/email", None, json!({"email": address()}))
        .await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
}
