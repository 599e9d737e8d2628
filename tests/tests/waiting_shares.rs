//! Invitations, grants and profile shares to an address nobody has verified
//! (issue 7, items 2 and 3), against moto: they are accepted exactly like
//! ones to a known customer, so they tell the sharer nothing, and they reach
//! only whoever verifies the address, by registering or by moving an
//! account to it.

use integration_tests::{unique_stage, Customer, TestEnv};
use reqwest::StatusCode;
use serde_json::{json, Value};

fn address() -> String {
    format!("{}@example.com", unique_stage())
}

fn creds(email: &str, password: &str) -> Value {
    json!({"email": email, "password": password})
}

/// Ann, with a ready image.
async fn ann_with_image(env: &TestEnv) -> (Customer, String) {
    let ann = env.new_customer().await;
    let image = env.ready_image(&ann, 61).await;
    (ann, image)
}

#[tokio::test]
async fn a_grant_to_an_unknown_address_answers_as_to_a_known_one_and_waits_for_it() {
    let env = TestEnv::start().await;
    let (ann, image) = ann_with_image(&env).await;
    let bob = env.new_customer().await;
    let newcomer = address();
    let (s1, known) = env
        .post(
            "/v1/grants",
            &ann,
            json!({"image_id": image, "grantee_email": bob.email}),
        )
        .await;
    let (s2, unknown) = env
        .post(
            "/v1/grants",
            &ann,
            json!({"image_id": image, "grantee_email": newcomer}),
        )
        .await;
    assert_eq!(
        (s1, s2),
        (StatusCode::CREATED, StatusCode::CREATED),
        "{known} {unknown}"
    );
    let keys = |v: &Value| v.as_object().unwrap().keys().cloned().collect::<Vec<_>>();
    assert_eq!(keys(&known), keys(&unknown), "the same shape, no customer ID");
    let (_, given) = env.get("/v1/grants", &ann).await;
    let emails: Vec<&str> = given["grants"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["grantee_email"].as_str().unwrap())
        .collect();
    assert_eq!(emails.len(), 2, "{given}");
    assert!(emails.contains(&newcomer.as_str()));
    assert!(given["grants"]
        .as_array()
        .unwrap()
        .iter()
        .all(|g| keys(g) == keys(&known)));

    // Someone registers the address but cannot verify it: nothing attaches.
    env.post("/v1/accounts", None, creds(&newcomer, "squatter password"))
        .await;
    let (s, _) = env
        .post("/v1/sessions", None, creds(&newcomer, "squatter password"))
        .await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    // The mailbox's holder verifies: the grant is theirs.
    let id = env.register_verified(&newcomer, "correct horse battery").await;
    let (_, session) = env
        .post("/v1/sessions", None, creds(&newcomer, "correct horse battery"))
        .await;
    let token = session["token"].as_str().unwrap();
    assert_eq!(
        env.get_status(&format!("/v1/images/{image}"), token).await,
        StatusCode::OK
    );
    let (_, got) = env.get("/v1/grants/received", token).await;
    assert_eq!(got["grants"].as_array().unwrap().len(), 1, "{got}");
    assert!(id.starts_with("cus_"));
}

#[tokio::test]
async fn a_waiting_grant_taken_back_never_attaches() {
    let env = TestEnv::start().await;
    let (ann, image) = ann_with_image(&env).await;
    let newcomer = address();
    env.post(
        "/v1/grants",
        &ann,
        json!({"image_id": image, "grantee_email": newcomer}),
    )
    .await;
    let path = format!("/v1/grants/{image}/{}", newcomer.replace('@', "%40"));
    let (s, b) = env.delete(&path, &ann).await;
    assert_eq!(s, StatusCode::NO_CONTENT, "{b}");
    let (s, _) = env.delete(&path, &ann).await;
    assert_eq!(s, StatusCode::NOT_FOUND, "gone");
    let (_, given) = env.get("/v1/grants", &ann).await;
    assert_eq!(given["grants"], json!([]));
    env.register_verified(&newcomer, "correct horse battery").await;
    let (_, session) = env
        .post("/v1/sessions", None, creds(&newcomer, "correct horse battery"))
        .await;
    let token = session["token"].as_str().unwrap();
    assert_eq!(
        env.get_status(&format!("/v1/images/{image}"), token).await,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn a_profile_share_and_an_invitation_wait_for_the_verified_address() {
    let env = TestEnv::start().await;
    let ann = env.new_customer().await;
    env.patch("/v1/profile", &ann, json!({"name": "Ann Sato"})).await;
    let newcomer = address();
    let (s, share) = env
        .post(
            "/v1/profile/shares",
            &ann,
            json!({"reader_email": newcomer, "fields": ["name"]}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{share}");
    assert_eq!(share["reader_email"], newcomer.as_str());
    assert!(share.get("reader").is_none(), "no customer ID: {share}");
    let (_, group) = env.post("/v1/groups", &ann, json!({"name": "Trip"})).await;
    let gid = group["group_id"].as_str().unwrap();
    let (s, _) = env
        .post(
            &format!("/v1/groups/{gid}/invitations"),
            &ann,
            json!({"email": newcomer}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED);

    // Carol moves her account to the address: that verifies it too.
    let carol = env.new_customer().await;
    env.put("/v1/profile/email", &carol, json!({"email": newcomer}))
        .await;
    let code = env.next_mail(&newcomer, 0).await.code().unwrap();
    assert_eq!(
        env.get_status(&format!("/v1/customers/{}/profile", ann.id), &carol)
            .await,
        StatusCode::NOT_FOUND,
        "nothing before the address is verified"
    );
    let (s, _) = env.post("/v1/accounts/verify", None, json!({"code": code})).await;
    assert_eq!(s, StatusCode::OK);
    let (s, seen) = env
        .get(&format!("/v1/customers/{}/profile", ann.id), &carol)
        .await;
    assert_eq!(s, StatusCode::OK, "{seen}");
    assert_eq!(seen["name"], "Ann Sato");
    let (_, invitations) = env.get("/v1/invitations", &carol).await;
    assert_eq!(invitations["invitations"][0]["group_id"], gid, "{invitations}");
    let (s, _) = env
        .delete(
            &format!("/v1/profile/shares/{}", newcomer.replace('@', "%40")),
            &ann,
        )
        .await;
    assert_eq!(s, StatusCode::NO_CONTENT);
    assert_eq!(
        env.get_status(&format!("/v1/customers/{}/profile", ann.id), &carol)
            .await,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn deleting_an_image_drops_its_waiting_grants() {
    let env = TestEnv::start().await;
    let (ann, image) = ann_with_image(&env).await;
    let newcomer = address();
    let body = json!({"image_id": image, "grantee_email": newcomer});
    let (s, _) = env.post("/v1/grants", &ann, body).await;
    assert_eq!(s, StatusCode::CREATED);
    let (s, _) = env.delete(&format!("/v1/images/{image}"), &ann).await;
    assert_eq!(s, StatusCode::NO_CONTENT);
    let (_, given) = env.get("/v1/grants", &ann).await;
    assert_eq!(given["grants"], json!([]));
    env.register_verified(&newcomer, "correct horse battery").await;
    let (_, session) = env
        .post("/v1/sessions", None, creds(&newcomer, "correct horse battery"))
        .await;
    let (_, got) = env
        .get("/v1/grants/received", session["token"].as_str().unwrap())
        .await;
    assert_eq!(got["grants"], json!([]));
}
