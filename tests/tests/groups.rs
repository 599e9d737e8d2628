//! M3 party groups, against moto: invitations, joining, and what members
//! see (each other's private images, as their own) until they leave or are
//! removed, which takes effect at once.

use integration_tests::{Customer, TestEnv, NO_BODY};
use reqwest::StatusCode;
use serde_json::json;

/// Ann's group "Family" and her private photo; Bob is to be invited, Eve
/// never is.
struct Family {
    env: TestEnv,
    ann: Customer,
    bob: Customer,
    eve: Customer,
    gid: String,
    photo: String,
}

async fn family() -> Family {
    let env = TestEnv::start().await;
    let (ann, bob, eve) = (
        env.new_customer().await,
        env.new_customer().await,
        env.new_customer().await,
    );
    let photo = env.ready_image(&ann, 71).await;
    let (s, g) = env.post("/v1/groups", &ann, json!({"name": "Family"})).await;
    assert_eq!(s, StatusCode::CREATED, "{g}");
    let gid = g["group_id"].as_str().unwrap().to_owned();
    Family {
        env,
        ann,
        bob,
        eve,
        gid,
        photo,
    }
}

impl Family {
    fn group(&self) -> String {
        format!("/v1/groups/{}", self.gid)
    }

    fn photo(&self) -> String {
        format!("/v1/images/{}", self.photo)
    }

    async fn invite_bob(&self) {
        let (s, b) = self
            .env
            .post(
                &format!("{}/invitations", self.group()),
                &self.ann,
                json!({"email": self.bob.email}),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{b}");
    }

    async fn accept(&self, who: &Customer) -> (StatusCode, serde_json::Value) {
        self.env
            .post(&format!("{}/accept", self.group()), who, NO_BODY)
            .await
    }

    async fn bob_joins(&self) {
        self.invite_bob().await;
        let (s, b) = self.accept(&self.bob).await;
        assert_eq!(s, StatusCode::OK, "{b}");
    }

    /// `by` removes `member` from the group.
    async fn remove(&self, by: &Customer, member: &Customer) -> StatusCode {
        let path = format!("{}/members/{}", self.group(), member.id);
        self.env.delete(&path, by).await.0
    }

    /// Whether Bob's search (no terms) finds Ann's photo.
    async fn bob_finds_the_photo(&self) -> bool {
        let (s, b) = self.env.get("/v1/search", &self.bob).await;
        assert_eq!(s, StatusCode::OK, "{b}");
        b["results"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["image_id"] == self.photo.as_str())
    }
}

#[tokio::test]
async fn a_group_needs_a_name() {
    let f = family().await;
    let (s, _) = f.env.post("/v1/groups", &f.ann, json!({"name": ""})).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn without_an_invitation_nobody_joins_or_sees_the_group() {
    let f = family().await;
    assert_eq!(f.env.get_status(&f.group(), &f.bob).await, StatusCode::NOT_FOUND);
    assert_eq!(f.env.get_status(&f.photo(), &f.bob).await, StatusCode::NOT_FOUND);
    let (s, _) = f.accept(&f.bob).await;
    assert_eq!(s, StatusCode::NOT_FOUND, "no invitation, no membership");
}

#[tokio::test]
async fn only_members_invite_and_an_invitation_is_for_its_email_only() {
    let f = family().await;
    f.invite_bob().await;
    let (s, _) = f
        .env
        .post(
            &format!("{}/invitations", f.group()),
            &f.eve,
            json!({"email": f.eve.email}),
        )
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND, "only members invite");
    let (_, inv) = f.env.get("/v1/invitations", &f.bob).await;
    assert_eq!(inv["invitations"][0]["group_id"], f.gid.as_str());
    let (_, inv) = f.env.get("/v1/invitations", &f.eve).await;
    assert_eq!(inv["invitations"], json!([]));
    let (s, _) = f.accept(&f.eve).await;
    assert_eq!(s, StatusCode::NOT_FOUND, "an invitation is for its email only");
}

#[tokio::test]
async fn accepting_an_invitation_joins_once_even_when_retried() {
    let f = family().await;
    f.invite_bob().await;
    let (s, joined) = f.accept(&f.bob).await;
    assert_eq!(s, StatusCode::OK, "{joined}");
    assert_eq!(joined["members"].as_array().unwrap().len(), 2);
    // A retried accept answers the same, and joins nobody twice.
    let (s, again) = f.accept(&f.bob).await;
    assert_eq!(s, StatusCode::OK, "{again}");
    assert_eq!(again["members"], joined["members"]);
}

#[tokio::test]
async fn a_member_sees_the_groups_private_images_as_their_own() {
    let f = family().await;
    f.bob_joins().await;
    let (s, seen) = f.env.get(&f.photo(), &f.bob).await;
    assert_eq!(s, StatusCode::OK, "{seen}");
    let (_, urls) = f.env.get(&format!("{}/urls", f.photo()), &f.bob).await;
    assert!(
        urls.get("original").is_some(),
        "clean preview and original: {urls}"
    );
    assert_eq!(
        f.env.get_status(&f.photo(), &f.eve).await,
        StatusCode::NOT_FOUND,
        "Eve is no member"
    );
}

#[tokio::test]
async fn leaving_a_group_ends_access_at_once() {
    let f = family().await;
    f.bob_joins().await;
    assert_eq!(f.remove(&f.bob, &f.bob).await, StatusCode::NO_CONTENT);
    assert_eq!(f.env.get_status(&f.photo(), &f.bob).await, StatusCode::NOT_FOUND);
    assert_eq!(f.env.get_status(&f.group(), &f.bob).await, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_owner_cannot_leave_their_group() {
    let f = family().await;
    assert_eq!(
        f.remove(&f.ann, &f.ann).await,
        StatusCode::CONFLICT,
        "the owner cannot leave"
    );
}

#[tokio::test]
async fn a_member_who_left_can_be_invited_and_join_again() {
    let f = family().await;
    f.bob_joins().await;
    assert_eq!(f.remove(&f.bob, &f.bob).await, StatusCode::NO_CONTENT);
    f.bob_joins().await;
    assert_eq!(f.env.get_status(&f.photo(), &f.bob).await, StatusCode::OK);
}

#[tokio::test]
async fn removal_by_the_owner_ends_access_and_search_results_at_once() {
    let f = family().await;
    f.bob_joins().await;
    assert!(
        f.bob_finds_the_photo().await,
        "a member finds the group's private image"
    );
    assert_eq!(
        f.remove(&f.eve, &f.bob).await,
        StatusCode::NOT_FOUND,
        "Eve is no member"
    );
    assert_eq!(f.remove(&f.ann, &f.bob).await, StatusCode::NO_CONTENT);
    assert_eq!(f.env.get_status(&f.photo(), &f.bob).await, StatusCode::NOT_FOUND);
    assert!(!f.bob_finds_the_photo().await, "removed: no longer in search");
}
