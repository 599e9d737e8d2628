//! M1 accounts and sessions and M2 profiles, against moto: registering,
//! logging in and out, what is stored, session expiry, editing a profile and
//! sharing chosen fields of it with one named customer.

use integration_tests::{Customer, TestEnv};
use reqwest::StatusCode;
use serde_json::{json, Value};

#[path = "accounts/archive_thresholds.rs"]
mod archive_thresholds;
#[path = "accounts/mail_limits.rs"]
mod mail_limits;

#[tokio::test]
async fn registering_normalises_the_email_and_the_account_exists_once_verified() {
    let env = TestEnv::start().await;
    let email = format!("Carol.{}@Example.com", integration_tests::unique_stage());
    let lower = email.to_lowercase();
    let creds = json!({"email": email, "password": "correct horse battery"});
    let (s, b) = env.post("/v1/accounts", None, creds.clone()).await;
    assert_eq!(s, StatusCode::ACCEPTED, "{b}");
    assert_eq!(b["email"], lower.as_str());
    assert_eq!(b["status"], "verification_sent");
    let (s, _) = env.post("/v1/sessions", None, creds.clone()).await;
    assert_eq!(
        s,
        StatusCode::UNAUTHORIZED,
        "no account before the address is verified"
    );
    let mail = env.next_mail(&lower, 0).await;
    assert!(mail.subject.contains("Confirm"), "{}", mail.subject);
    let (s, b) = env
        .post("/v1/accounts/verify", None, json!({"code": mail.code().unwrap()}))
        .await;
    assert_eq!(s, StatusCode::CREATED, "{b}");
    assert_eq!(b["email"], lower.as_str());
    assert_eq!(b["outcome"], "registered");
    let (s, b) = env.post("/v1/sessions", None, creds).await;
    assert_eq!(s, StatusCode::CREATED, "{b}");
}

#[tokio::test]
async fn a_bad_registration_is_refused_with_a_code_and_a_message() {
    let env = TestEnv::start().await;
    for body in [
        json!({"email": "nope", "password": "correct horse battery"}),
        json!({"email": "dan@example.com", "password": "short"}),
        json!({"email": "dan@example.com", "password": "password1234"}),
        json!({"email": "dan@example.com", "password": "dan@example.com"}),
        json!({"email": "dan@example.com"}),
    ] {
        let (s, b) = env.post("/v1/accounts", None, body).await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{b}");
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
}

#[tokio::test]
async fn logging_in_needs_the_right_password_of_a_known_account() {
    let env = TestEnv::start().await;
    let carol = env.new_customer().await;
    for (email, password) in [
        (carol.email.as_str(), "wrong password!"),
        ("nobody@example.com", "wrong password!"),
    ] {
        let (s, _) = env
            .post(
                "/v1/sessions",
                None,
                json!({"email": email, "password": password}),
            )
            .await;
        assert_eq!(s, StatusCode::UNAUTHORIZED, "{email}");
    }
    let creds = json!({"email": carol.email, "password": "correct horse battery"});
    let (s, login) = env.post("/v1/sessions", None, creds).await;
    assert_eq!(s, StatusCode::CREATED);
    assert!(login["token"].is_string(), "{login}");
}

#[tokio::test]
async fn tokens_and_passwords_are_stored_hashed() {
    let env = TestEnv::start().await;
    let carol = env.new_customer().await;
    // The raw token appears nowhere in the table.
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
    assert!(!dump.contains(&carol.token));
    assert!(dump.contains("$argon2id$"), "passwords are argon2id hashes");
}

#[tokio::test]
async fn logging_out_ends_the_session_at_once() {
    let env = TestEnv::start().await;
    let carol = env.new_customer().await;
    let (s, _) = env.delete("/v1/sessions/current", &carol).await;
    assert_eq!(s, StatusCode::NO_CONTENT);
    let (s, b) = env.get("/v1/profile", &carol).await;
    assert_eq!(s, StatusCode::UNAUTHORIZED, "{b}");
}

#[tokio::test]
async fn a_call_without_a_valid_session_is_unauthorised() {
    let env = TestEnv::start().await;
    for who in [None, Some("forged-token")] {
        assert_eq!(
            env.get_status("/v1/profile", who).await,
            StatusCode::UNAUTHORIZED,
            "{who:?}"
        );
    }
}

#[tokio::test]
async fn sessions_expire() {
    let env = TestEnv::with(|o| o.settings.sessions.ttl_hours = 1).await;
    let token = env.customer().await;
    let mut later = env.stack.api_state.clone();
    later.clock = printvault_domain::when::Clock::ahead_by(time::Duration::hours(2));
    let app = api::router(later);
    use tower::ServiceExt;
    let req = http::Request::get("/v1/profile")
        .header("authorization", format!("Bearer {token}"))
        .body(axum::body::Body::empty())
        .unwrap();
    let res = app.oneshot(req).await.unwrap();
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
}

/// A full profile update.
fn carols_profile() -> Value {
    json!({
        "name": "Carol Tanaka",
        "contact_email": "carol.t@example.org",
        "postal_address": {"lines": ["1-1 Chiyoda"], "city": "Tokyo", "postal_code": "100-0001", "country": "JP"},
        "birthday": "1990-04-01",
        "named_dates": [{"label": "Wedding anniversary", "date": "2015-06-20"}]
    })
}

#[tokio::test]
async fn a_customer_reads_and_edits_their_profile() {
    let env = TestEnv::start().await;
    let carol = env.new_customer().await;
    let p = env.me(&carol).await;
    assert_eq!(p["email"], carol.email.as_str());
    let (s, p) = env.patch("/v1/profile", &carol, carols_profile()).await;
    assert_eq!(s, StatusCode::OK, "{p}");
    let p = env.me(&carol).await;
    assert_eq!(p["name"], "Carol Tanaka");
    assert_eq!(p["postal_address"]["city"], "Tokyo");
    assert_eq!(p["named_dates"][0]["date"], "2015-06-20");
}

#[tokio::test]
async fn a_refused_profile_update_changes_nothing() {
    let env = TestEnv::start().await;
    let carol = env.new_customer().await;
    let (s, _) = env.patch("/v1/profile", &carol, carols_profile()).await;
    assert_eq!(s, StatusCode::OK);
    let (s, b) = env
        .patch("/v1/profile", &carol, json!({"birthday": "3000-01-01"}))
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{b}");
    assert_eq!(env.me(&carol).await["birthday"], "1990-04-01");
}

/// Ann with a name, birthday and address; Bob to share them with; Eve not.
async fn profiles() -> (TestEnv, Customer, Customer, Customer) {
    let env = TestEnv::start().await;
    let (ann, bob, eve) = (
        env.new_customer().await,
        env.new_customer().await,
        env.new_customer().await,
    );
    let update = json!({"name": "Ann Sato", "birthday": "1990-04-01",
        "postal_address": {"lines": ["1-1 Chiyoda"], "city": "Tokyo", "postal_code": "100-0001", "country": "JP"}});
    let (s, b) = env.patch("/v1/profile", &ann, update).await;
    assert_eq!(s, StatusCode::OK, "{b}");
    (env, ann, bob, eve)
}

async fn share_name_and_birthday(env: &TestEnv, ann: &Customer, bob: &Customer) {
    let body = json!({"reader_email": bob.email, "fields": ["name", "birthday"]});
    let (s, b) = env.post("/v1/profile/shares", ann, body).await;
    assert_eq!(s, StatusCode::CREATED, "{b}");
}

#[tokio::test]
async fn a_profile_share_needs_known_fields_and_someone_else() {
    let (env, ann, bob, _) = profiles().await;
    let path = format!("/v1/customers/{}/profile", ann.id);
    assert_eq!(
        env.get_status(&path, &bob).await,
        StatusCode::NOT_FOUND,
        "not shared yet"
    );
    for bad in [
        json!({"reader_email": bob.email, "fields": ["password"]}),
        json!({"reader_email": bob.email, "fields": []}),
        json!({"reader_email": ann.email}),
        json!({"reader_email": "not an address"}),
    ] {
        let (s, b) = env.post("/v1/profile/shares", &ann, bad.clone()).await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{bad}: {b}");
    }
}

#[tokio::test]
async fn a_shared_profile_shows_one_named_customer_only_the_chosen_fields() {
    let (env, ann, bob, eve) = profiles().await;
    share_name_and_birthday(&env, &ann, &bob).await;
    let path = format!("/v1/customers/{}/profile", ann.id);
    let (s, seen) = env.get(&path, &bob).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(
        seen,
        json!({"customer_id": ann.id, "name": "Ann Sato", "birthday": "1990-04-01"}),
        "chosen fields only"
    );
    assert_eq!(
        env.get_status(&path, &eve).await,
        StatusCode::NOT_FOUND,
        "nobody else"
    );
    assert_eq!(env.get_status(&path, None).await, StatusCode::UNAUTHORIZED);
    let (_, mine) = env.get("/v1/profile/shared-with-me", &bob).await;
    assert_eq!(mine["profiles"][0]["customer_id"], ann.id.as_str());
}

#[tokio::test]
async fn revoking_a_profile_share_is_immediate() {
    let (env, ann, bob, _) = profiles().await;
    share_name_and_birthday(&env, &ann, &bob).await;
    let (s, _) = env.delete(&format!("/v1/profile/shares/{}", bob.id), &ann).await;
    assert_eq!(s, StatusCode::NO_CONTENT);
    assert_eq!(
        env.get_status(&format!("/v1/customers/{}/profile", ann.id), &bob)
            .await,
        StatusCode::NOT_FOUND,
        "revoked at once"
    );
    let (_, listed) = env.get("/v1/profile/shares", &ann).await;
    assert_eq!(listed["shares"], json!([]));
}
