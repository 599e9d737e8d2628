//! M13 image grants and X4 share links, against moto: each opens exactly
//! what it should, only the owner makes or revokes them, and revocation
//! takes effect at once. Groups are in `groups.rs`, album grants and links
//! in `album_sharing.rs`, profile shares in `accounts.rs`.

use integration_tests::{Customer, TestEnv};
use reqwest::StatusCode;
use serde_json::{json, Value};

/// Ann's two ready images; Bob is to be granted one, Eve is a stranger.
struct Granting {
    env: TestEnv,
    ann: Customer,
    bob: Customer,
    eve: Customer,
    granted: String,
    other: String,
}

async fn granting() -> Granting {
    let env = TestEnv::start().await;
    let (ann, bob, eve) = (
        env.new_customer().await,
        env.new_customer().await,
        env.new_customer().await,
    );
    let granted = env.ready_image(&ann, 81).await;
    let other = env.ready_image(&ann, 82).await;
    Granting {
        env,
        ann,
        bob,
        eve,
        granted,
        other,
    }
}

impl Granting {
    /// Grants Bob the image; returns the grant.
    async fn grant(&self) -> Value {
        let body = json!({"image_id": self.granted, "grantee_email": self.bob.email});
        let (s, g) = self.env.post("/v1/grants", &self.ann, body).await;
        assert_eq!(s, StatusCode::CREATED, "{g}");
        g
    }

    async fn bob_gets(&self, image: &str) -> StatusCode {
        self.env
            .get_status(&format!("/v1/images/{image}"), &self.bob)
            .await
    }
}

#[tokio::test]
async fn a_grant_needs_the_owner_someone_else_and_an_image() {
    let g = granting().await;
    for (body, want) in [
        (
            json!({"image_id": g.granted, "grantee_email": "not an address"}),
            StatusCode::BAD_REQUEST,
        ),
        (
            json!({"image_id": g.granted, "grantee_email": g.ann.email}),
            StatusCode::BAD_REQUEST,
        ),
        (
            json!({"image_id": "img_nope", "grantee_email": g.bob.email}),
            StatusCode::NOT_FOUND,
        ),
    ] {
        let (s, b) = g.env.post("/v1/grants", &g.ann, body).await;
        assert_eq!(s, want, "{b}");
    }
    let body = json!({"image_id": g.granted, "grantee_email": g.bob.email});
    let (s, _) = g.env.post("/v1/grants", &g.eve, body).await;
    assert_eq!(s, StatusCode::NOT_FOUND, "only the owner grants");
}

#[tokio::test]
async fn a_grant_opens_exactly_one_image_to_its_grantee() {
    let g = granting().await;
    g.grant().await;
    assert_eq!(g.bob_gets(&g.granted).await, StatusCode::OK);
    let (_, urls) = g.env.get(&format!("/v1/images/{}/urls", g.granted), &g.bob).await;
    assert!(urls.get("original").is_some(), "{urls}");
    assert_eq!(g.bob_gets(&g.other).await, StatusCode::NOT_FOUND, "nothing else");
    assert_eq!(
        g.env
            .get_status(&format!("/v1/images/{}", g.granted), &g.eve)
            .await,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn grants_are_listed_to_the_owner_and_to_the_grantee_without_owner_details() {
    let g = granting().await;
    let grant = g.grant().await;
    let (_, given) = g.env.get("/v1/grants", &g.ann).await;
    assert_eq!(given["grants"].as_array().unwrap().len(), 1);
    let (_, got) = g.env.get("/v1/grants/received", &g.bob).await;
    assert_eq!(
        got["grants"],
        json!([{"target": {"kind": "image", "id": g.granted}, "created_at": grant["created_at"]}]),
        "no owner details"
    );
}

#[tokio::test]
async fn only_the_owner_revokes_a_grant_and_revocation_is_immediate() {
    let g = granting().await;
    g.grant().await;
    // By address (as the owner's list shows it), URL-encoded.
    let path = format!("/v1/grants/{}/{}", g.granted, g.bob.email.replace('@', "%40"));
    let (s, _) = g.env.delete(&path, &g.eve).await;
    assert_eq!(s, StatusCode::NOT_FOUND, "only the owner revokes");
    let (s, _) = g.env.delete(&path, &g.ann).await;
    assert_eq!(s, StatusCode::NO_CONTENT);
    assert_eq!(g.bob_gets(&g.granted).await, StatusCode::NOT_FOUND);
    let (_, got) = g.env.get("/v1/grants/received", &g.bob).await;
    assert_eq!(got["grants"], json!([]));
}

/// Ann's ready photo and Eve, a stranger.
async fn linking() -> (TestEnv, Customer, Customer, String) {
    let env = TestEnv::start().await;
    let (ann, eve) = (env.new_customer().await, env.new_customer().await);
    let photo = env.ready_image(&ann, 91).await;
    (env, ann, eve, photo)
}

/// Ann's link to `photo` with `options`; returns the link.
async fn link(env: &TestEnv, ann: &Customer, photo: &str, options: Value) -> Value {
    let mut body = options;
    body["image_id"] = json!(photo);
    let (s, link) = env.post("/v1/links", ann, body).await;
    assert_eq!(s, StatusCode::CREATED, "{link}");
    link
}

#[tokio::test]
async fn a_share_link_has_a_bounded_lifetime_and_only_the_owner_makes_one() {
    let (env, ann, eve, photo) = linking().await;
    for bad in [
        json!({"image_id": photo, "expires_in_hours": 0}),
        json!({"image_id": photo, "expires_in_hours": 100000}),
    ] {
        let (s, _) = env.post("/v1/links", &ann, bad).await;
        assert_eq!(s, StatusCode::BAD_REQUEST);
    }
    let (s, _) = env.post("/v1/links", &eve, json!({"image_id": photo})).await;
    assert_eq!(s, StatusCode::NOT_FOUND, "only the owner makes links");
}

#[tokio::test]
async fn anyone_with_a_link_sees_the_private_image_and_the_link_can_withhold_the_original() {
    let (env, ann, _, photo) = linking().await;
    let link = link(&env, &ann, &photo, json!({"allow_original": false})).await;
    let token = link["token"].as_str().unwrap();
    assert!(token.len() >= 43, "unguessable");
    let (s, seen) = env.get(&format!("/v1/shared/{token}"), None).await;
    assert_eq!(s, StatusCode::OK, "{seen}");
    assert_eq!(seen["original_available"], false);
    let (_, urls) = env.get(&format!("/v1/shared/{token}/urls"), None).await;
    assert!(
        urls.get("original").is_none() && urls.get("preview").is_some(),
        "{urls}"
    );
    assert_eq!(
        env.get_status(&format!("/v1/images/{photo}"), None).await,
        StatusCode::NOT_FOUND,
        "only through the link"
    );
    assert_eq!(
        env.get_status("/v1/shared/not-a-token", None).await,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn a_link_token_is_shown_once_and_never_listed() {
    let (env, ann, _, photo) = linking().await;
    let link = link(&env, &ann, &photo, json!({})).await;
    let (_, listed) = env.get("/v1/links", &ann).await;
    assert_eq!(listed["links"].as_array().unwrap().len(), 1);
    assert!(
        !listed.to_string().contains(link["token"].as_str().unwrap()),
        "the token is shown once, never listed"
    );
}

#[tokio::test]
async fn only_the_owner_revokes_a_link_and_revocation_is_immediate() {
    let (env, ann, eve, photo) = linking().await;
    let link = link(&env, &ann, &photo, json!({})).await;
    let (token, link_id) = (link["token"].as_str().unwrap(), link["link_id"].as_str().unwrap());
    let (s, _) = env.delete(&format!("/v1/links/{link_id}"), &eve).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (s, _) = env.delete(&format!("/v1/links/{link_id}"), &ann).await;
    assert_eq!(s, StatusCode::NO_CONTENT);
    assert_eq!(
        env.get_status(&format!("/v1/shared/{token}"), None).await,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn an_expired_link_answers_404() {
    let (env, ann, _, photo) = linking().await;
    let short = link(&env, &ann, &photo, json!({"expires_in_hours": 1})).await;
    let t = short["token"].as_str().unwrap();
    assert_eq!(
        env.get_status(&format!("/v1/shared/{t}"), None).await,
        StatusCode::OK
    );
    // Seen from two hours after the one-hour link was made.
    let mut later = env.stack.api_state.clone();
    later.clock = printvault_domain::when::Clock::ahead_by(time::Duration::hours(2));
    use tower::ServiceExt;
    let req = http::Request::get(format!("/v1/shared/{t}"))
        .body(axum::body::Body::empty())
        .unwrap();
    let res = api::router(later).oneshot(req).await.unwrap();
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
}
