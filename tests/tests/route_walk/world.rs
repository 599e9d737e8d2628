//! The roles, what each may see, and Ann's world with one customer per role.

use integration_tests::{Customer, TestEnv, NO_BODY, OPERATOR_KEY};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Role {
    Owner,
    GroupMember,
    ImageGrantee,
    OtherImageGrantee,
    AlbumGrantee,
    Stranger,
    Anonymous,
    Operator,
}

pub const ROLES: [Role; 8] = [
    Role::Owner,
    Role::GroupMember,
    Role::ImageGrantee,
    Role::OtherImageGrantee,
    Role::AlbumGrantee,
    Role::Stranger,
    Role::Anonymous,
    Role::Operator,
];

/// (sees it, gets the original, gets a marked preview) per role and class.
pub fn expected(role: Role, class: &str) -> (bool, bool, bool) {
    let public = class != "private";
    match role {
        Role::Owner | Role::GroupMember | Role::ImageGrantee | Role::AlbumGrantee => (true, true, false),
        // Operators have no image routes of their own: on customer routes they are anonymous.
        Role::OtherImageGrantee | Role::Stranger | Role::Anonymous | Role::Operator => {
            (public, false, class == "viewable")
        }
    }
}

/// The print terms a quote gives `role` for Ann's image of `class` (M16,
/// M17): `own` for her and her group, `market` for everyone else if it is
/// printable, and none (the quote is refused) otherwise. Grants and links
/// never change print terms.
pub fn expected_print(role: Role, class: &str) -> Option<&'static str> {
    match role {
        Role::Owner | Role::GroupMember => Some("own"),
        _ => (class == "printable").then_some("market"),
    }
}

/// The output location the world's lab prints for.
pub const LOCATION: &str = "walk-store";

/// Ann's image `id` (keyword "walk"), her `other` image, her album `aid`
/// holding `id`, a group, grants and a link: one customer per role.
pub struct World {
    pub env: TestEnv,
    pub ann: Customer,
    pub tokens: Vec<(Role, Option<String>)>,
    pub id: String,
    pub other: String,
    pub aid: String,
    pub link_token: String,
}

pub async fn world() -> World {
    let env = TestEnv::start().await;
    env.lab("walk-lab", &[LOCATION]).await;
    let ann = env.new_customer().await;
    let mut customers = Vec::new();
    for role in ROLES {
        let c = match role {
            Role::Owner => Some(ann.clone()),
            Role::Anonymous | Role::Operator => None,
            _ => Some(env.new_customer().await),
        };
        customers.push((role, c));
    }
    let of = |r: Role| {
        let (_, c) = customers.iter().find(|(x, _)| *x == r).unwrap();
        c.clone().expect("a role with a session")
    };
    let email = |r: Role| json!(of(r).email);

    let id = env.ready_image(&ann, 5).await;
    let other = env.ready_image(&ann, 6).await;
    let (s, _) = env
        .patch(
            &format!("/v1/images/{id}"),
            &ann,
            json!({"attributes": {"keywords": ["walk"]}}),
        )
        .await;
    assert_eq!(s, StatusCode::OK);

    // Relations: a group, a grant of this image, a grant of another, an album grant.
    let (_, g) = env.post("/v1/groups", &ann, json!({"name": "Family"})).await;
    let gid = g["group_id"].as_str().unwrap().to_owned();
    env.post(
        &format!("/v1/groups/{gid}/invitations"),
        &ann,
        json!({"email": email(Role::GroupMember)}),
    )
    .await;
    env.post(
        &format!("/v1/groups/{gid}/accept"),
        &of(Role::GroupMember),
        NO_BODY,
    )
    .await;
    for (role, target) in [
        (Role::ImageGrantee, json!({"image_id": id})),
        (Role::OtherImageGrantee, json!({"image_id": other})),
    ] {
        let mut body = target;
        body["grantee_email"] = email(role);
        let (s, _) = env.post("/v1/grants", &ann, body).await;
        assert_eq!(s, StatusCode::CREATED);
    }
    let (_, album) = env.post("/v1/albums", &ann, json!({"name": "Walk"})).await;
    let aid = album["album_id"].as_str().unwrap().to_owned();
    env.put(&format!("/v1/albums/{aid}/images/{id}"), &ann, NO_BODY)
        .await;
    let body = json!({"album_id": aid, "grantee_email": email(Role::AlbumGrantee)});
    let (s, _) = env.post("/v1/grants", &ann, body).await;
    assert_eq!(s, StatusCode::CREATED);

    let (_, link) = env
        .post(
            "/v1/links",
            &ann,
            json!({"image_id": id, "allow_original": false}),
        )
        .await;
    let link_token = link["token"].as_str().unwrap().to_owned();

    let tokens = customers
        .into_iter()
        .map(|(r, c)| (r, c.map(|c| c.token)))
        .collect();
    World {
        env,
        ann,
        tokens,
        id,
        other,
        aid,
        link_token,
    }
}

impl World {
    /// Calls the api as `role`: with its session if it has one, and the
    /// operator key if it is the operator.
    pub async fn send(
        &self,
        role: Role,
        token: Option<&str>,
        method: Method,
        path: &str,
        body: Option<Value>,
    ) -> (StatusCode, Value) {
        let mut req = self.env.http.request(method, self.env.url(path));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        if role == Role::Operator {
            req = req.header("x-operator-key", OPERATOR_KEY);
        }
        if let Some(b) = body {
            req = req.json(&b);
        }
        let res = req.send().await.unwrap();
        let status = res.status();
        (status, res.json().await.unwrap_or(Value::Null))
    }

    pub async fn read(&self, role: Role, token: Option<&str>, path: &str) -> (StatusCode, Value) {
        self.send(role, token, Method::GET, path, None).await
    }

    /// Ann sets the image's class.
    pub async fn classify(&self, class: &str) {
        let body = match class {
            "printable" => json!({"class": class, "prices": {"L": 100, "2L": 250}}),
            _ => json!({"class": class}),
        };
        let (s, b) = self
            .env
            .put(&format!("/v1/images/{}/class", self.id), &self.ann, body)
            .await;
        assert_eq!(s, StatusCode::OK, "{b}");
    }
}
