//! Walks every image-reading route with every role, for every class, against
//! moto. Each answer must match the permission table below (the same table
//! as the domain's matrix test): what a role may not see answers 404, and
//! nothing leaks through listings, search, albums, URLs or error bodies.
//! Then every route that changes an image, its album, its grants or links,
//! with every role but the owner's: each answers 404 (401 without a session)
//! and changes nothing.

use integration_tests::{testkit, TestEnv, OPERATOR_KEY};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

#[derive(Debug, Clone, Copy, PartialEq)]
enum Role {
    Owner,
    GroupMember,
    ImageGrantee,
    OtherImageGrantee,
    AlbumGrantee,
    Stranger,
    Anonymous,
    Operator,
}

const ROLES: [Role; 8] = [
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
fn expected(role: Role, class: &str) -> (bool, bool, bool) {
    let public = class != "private";
    match role {
        Role::Owner | Role::GroupMember | Role::ImageGrantee | Role::AlbumGrantee => (true, true, false),
        // Operators have no image routes of their own: on customer routes they are anonymous.
        Role::OtherImageGrantee | Role::Stranger | Role::Anonymous | Role::Operator => {
            (public, false, class == "viewable")
        }
    }
}

async fn call(env: &TestEnv, role: Role, token: Option<&str>, path: &str) -> (StatusCode, Value) {
    let mut req = env.http.get(env.url(path));
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    if role == Role::Operator {
        req = req.header("x-operator-key", OPERATOR_KEY);
    }
    let res = req.send().await.unwrap();
    let status = res.status();
    (status, res.json().await.unwrap_or(Value::Null))
}

/// Ann's image `id` (keyword "walk"), her `other` image, her album `aid`
/// holding `id`, a group, grants and a link: one customer per role.
struct World {
    ann: String,
    ann_id: String,
    tokens: Vec<(Role, Option<String>)>,
    id: String,
    other: String,
    aid: String,
    link_token: String,
}

async fn world(env: &TestEnv) -> World {
    let ann = env.customer().await;
    let tokens: Vec<(Role, Option<String>)> = {
        let mut v = Vec::new();
        for role in ROLES {
            let t = match role {
                Role::Owner => Some(ann.clone()),
                Role::Anonymous | Role::Operator => None,
                _ => Some(env.customer().await),
            };
            v.push((role, t));
        }
        v
    };
    let token = |r: Role| tokens.iter().find(|(x, _)| *x == r).unwrap().1.clone();
    let email = |t: String| async move {
        env.call(Method::GET, "/v1/profile", Some(&t), None).await.1["email"].clone()
    };
    let ann_id = env.call(Method::GET, "/v1/profile", Some(&ann), None).await.1["customer_id"]
        .as_str()
        .unwrap()
        .to_owned();

    let id = env
        .upload(&ann, &testkit::photo_jpeg(640, 480, 5), "image/jpeg")
        .await;
    assert_eq!(env.settled(&ann, &id).await["status"], "ready");
    let other = env
        .upload(&ann, &testkit::photo_jpeg(640, 480, 6), "image/jpeg")
        .await;
    assert_eq!(env.settled(&ann, &other).await["status"], "ready");
    env.call(
        Method::PATCH,
        &format!("/v1/images/{id}"),
        Some(&ann),
        Some(json!({"attributes": {"keywords": ["walk"]}})),
    )
    .await;

    // Relations: a group, a grant of this image, a grant of another, an album grant.
    let (_, g) = env
        .call(
            Method::POST,
            "/v1/groups",
            Some(&ann),
            Some(json!({"name": "Family"})),
        )
        .await;
    let gid = g["group_id"].as_str().unwrap().to_owned();
    env.call(
        Method::POST,
        &format!("/v1/groups/{gid}/invitations"),
        Some(&ann),
        Some(json!({"email": email(token(Role::GroupMember).unwrap()).await})),
    )
    .await;
    env.call(
        Method::POST,
        &format!("/v1/groups/{gid}/accept"),
        token(Role::GroupMember).as_deref(),
        None,
    )
    .await;
    for (role, target) in [
        (Role::ImageGrantee, json!({"image_id": id})),
        (Role::OtherImageGrantee, json!({"image_id": other})),
    ] {
        let mut body = target;
        body["grantee_email"] = email(token(role).unwrap()).await;
        assert_eq!(
            env.call(Method::POST, "/v1/grants", Some(&ann), Some(body))
                .await
                .0,
            StatusCode::CREATED
        );
    }
    let (_, album) = env
        .call(
            Method::POST,
            "/v1/albums",
            Some(&ann),
            Some(json!({"name": "Walk"})),
        )
        .await;
    let aid = album["album_id"].as_str().unwrap().to_owned();
    env.call(
        Method::PUT,
        &format!("/v1/albums/{aid}/images/{id}"),
        Some(&ann),
        None,
    )
    .await;
    let body = json!({"album_id": aid, "grantee_email": email(token(Role::AlbumGrantee).unwrap()).await});
    assert_eq!(
        env.call(Method::POST, "/v1/grants", Some(&ann), Some(body))
            .await
            .0,
        StatusCode::CREATED
    );

    let (_, link) = env
        .call(
            Method::POST,
            "/v1/links",
            Some(&ann),
            Some(json!({"image_id": id, "allow_original": false})),
        )
        .await;
    let link_token = link["token"].as_str().unwrap().to_owned();

    World {
        ann,
        ann_id,
        tokens,
        id,
        other,
        aid,
        link_token,
    }
}

#[tokio::test]
async fn every_route_with_every_role_and_class() {
    let env = TestEnv::start().await;
    let World {
        ann,
        ann_id,
        tokens,
        id,
        other,
        aid,
        link_token,
    } = world(&env).await;
    let mut checked = 0;
    for class in ["private", "viewable", "printable"] {
        let body = match class {
            "printable" => json!({"class": class, "prices": {"L": 100, "2L": 250}}),
            _ => json!({"class": class}),
        };
        assert_eq!(
            env.call(
                Method::PUT,
                &format!("/v1/images/{id}/class"),
                Some(&ann),
                Some(body)
            )
            .await
            .0,
            StatusCode::OK
        );
        for &(role, ref t) in &tokens {
            let t = t.as_deref();
            let (sees, original, marked) = expected(role, class);
            let ctx = format!("{role:?} × {class}");

            let (s, b) = call(&env, role, t, &format!("/v1/images/{id}")).await;
            assert_eq!(s == StatusCode::OK, sees, "{ctx}: GET image -> {s} {b}");
            if !sees {
                assert_eq!(s, StatusCode::NOT_FOUND, "{ctx}: {b}");
                assert!(!b.to_string().contains(&id), "{ctx}: the 404 names nothing: {b}");
            } else if role != Role::Owner {
                for field in ["sha256", "file_name", "owner", "declared_bytes"] {
                    assert!(b.get(field).is_none(), "{ctx}: leaks {field}: {b}");
                }
            }

            let (s, u) = call(&env, role, t, &format!("/v1/images/{id}/urls")).await;
            assert_eq!(s == StatusCode::OK, sees, "{ctx}: urls -> {s} {u}");
            if sees {
                assert_eq!(u.get("original").is_some(), original, "{ctx}: original: {u}");
                assert_eq!(u.get("preview_marked").is_some(), marked, "{ctx}: mark: {u}");
                assert_eq!(u.get("thumbnail").is_some(), !marked, "{ctx}: thumbnail: {u}");
            }

            let (s, r) = call(&env, role, t, "/v1/search?q=walk").await;
            assert_eq!(s, StatusCode::OK, "{ctx}: {r}");
            let hit = r["results"]
                .as_array()
                .unwrap()
                .iter()
                .any(|x| x["image_id"] == id.as_str());
            assert_eq!(hit, sees, "{ctx}: search: {r}");

            let (s, a) = call(&env, role, t, &format!("/v1/albums/{aid}")).await;
            let album_ok = matches!(role, Role::Owner | Role::AlbumGrantee);
            let want = if album_ok {
                StatusCode::OK
            } else if t.is_none() {
                StatusCode::UNAUTHORIZED
            } else {
                StatusCode::NOT_FOUND
            };
            assert_eq!(s, want, "{ctx}: album: {a}");

            let (s, l) = call(&env, role, t, "/v1/images").await;
            if t.is_some() {
                assert_eq!(s, StatusCode::OK);
                let listed = l["images"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|x| x["image_id"] == id.as_str());
                assert_eq!(listed, role == Role::Owner, "{ctx}: only the owner lists it");
            } else {
                assert_eq!(s, StatusCode::UNAUTHORIZED);
            }

            let (s, p) = call(&env, role, t, &format!("/v1/customers/{ann_id}/profile")).await;
            assert!(
                matches!(s, StatusCode::NOT_FOUND | StatusCode::UNAUTHORIZED),
                "{ctx}: profile never leaks: {s} {p}"
            );
            checked += 1;
        }
        // The link holder: the image through the link, whatever its class,
        // without the original this link withholds; nothing else through it.
        let (s, b) = call(&env, Role::Anonymous, None, &format!("/v1/shared/{link_token}")).await;
        assert_eq!(s, StatusCode::OK, "link × {class}: {b}");
        assert!(b.get("sha256").is_none());
        let (_, u) = call(
            &env,
            Role::Anonymous,
            None,
            &format!("/v1/shared/{link_token}/urls"),
        )
        .await;
        assert!(
            u.get("original").is_none() && u.get("preview").is_some(),
            "link × {class}: {u}"
        );
        let (s, _) = call(
            &env,
            Role::Anonymous,
            None,
            &format!("/v1/shared/{link_token}/images/{other}"),
        )
        .await;
        assert_eq!(s, StatusCode::NOT_FOUND);
    }
    assert_eq!(checked, 3 * ROLES.len());
}

/// Sends `body` (if any) with `role`'s credentials.
async fn send(
    env: &TestEnv,
    role: Role,
    token: Option<&str>,
    method: Method,
    path: &str,
    body: Option<Value>,
) -> (StatusCode, Value) {
    let mut req = env.http.request(method, env.url(path));
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

#[tokio::test]
async fn no_role_but_the_owner_changes_an_image_or_its_album() {
    let env = TestEnv::start().await;
    let World {
        ann,
        ann_id,
        tokens,
        id,
        aid,
        ..
    } = world(&env).await;
    // Viewable, so strangers can see it: seeing must not mean changing.
    let (s, _) = env
        .call(
            Method::PUT,
            &format!("/v1/images/{id}/class"),
            Some(&ann),
            Some(json!({"class": "viewable"})),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    let before = env
        .call(Method::GET, &format!("/v1/images/{id}"), Some(&ann), None)
        .await
        .1;
    let keys = env.keys_of(&id).await;
    let album_before = env
        .call(Method::GET, &format!("/v1/albums/{aid}"), Some(&ann), None)
        .await
        .1;
    let grants_before = env.call(Method::GET, "/v1/grants", Some(&ann), None).await.1;

    let writes: Vec<(Method, String, Option<Value>)> = vec![
        (
            Method::PATCH,
            format!("/v1/images/{id}"),
            Some(json!({"attributes": {"event": "Hijacked"}, "selected": true})),
        ),
        (
            Method::PUT,
            format!("/v1/images/{id}/class"),
            Some(json!({"class": "private"})),
        ),
        (Method::DELETE, format!("/v1/images/{id}"), None),
        (Method::PUT, format!("/v1/albums/{aid}/images/{id}"), None),
        (Method::DELETE, format!("/v1/albums/{aid}/images/{id}"), None),
        (
            Method::PATCH,
            format!("/v1/albums/{aid}"),
            Some(json!({"name": "Hijacked"})),
        ),
        (Method::DELETE, format!("/v1/albums/{aid}"), None),
        (
            Method::POST,
            "/v1/grants".to_string(),
            Some(json!({"image_id": id, "grantee_email": "mallory@example.com"})),
        ),
        (
            Method::POST,
            "/v1/grants".to_string(),
            Some(json!({"album_id": aid, "grantee_email": "mallory@example.com"})),
        ),
        (
            Method::POST,
            "/v1/links".to_string(),
            Some(json!({"image_id": id})),
        ),
    ];
    let mut checked = 0;
    for &(role, ref t) in tokens.iter().filter(|(r, _)| *r != Role::Owner) {
        let t = t.as_deref();
        for (method, path, body) in &writes {
            let (s, b) = send(&env, role, t, method.clone(), path, body.clone()).await;
            let want = if t.is_none() {
                StatusCode::UNAUTHORIZED
            } else {
                StatusCode::NOT_FOUND
            };
            assert_eq!(s, want, "{role:?} {method} {path}: {b}");
            assert!(
                !b.to_string().contains(&id),
                "{role:?} {method} {path}: names nothing: {b}"
            );
            checked += 1;
        }
        // A bulk edit reports the image as not found, and changes nothing.
        if t.is_some() {
            let (s, b) = send(
                &env,
                role,
                t,
                Method::POST,
                "/v1/images/attributes",
                Some(json!({"image_ids": [id], "attributes": {"event": "Hijacked"}})),
            )
            .await;
            assert_eq!(s, StatusCode::OK, "{b}");
            assert_eq!(b["results"][0]["status"], 404, "{role:?}: {b}");
        }
        // Grants between others never reach Ann's images: revoking one of hers is not theirs to do.
        let (s, _) = send(
            &env,
            role,
            t,
            Method::DELETE,
            &format!("/v1/grants/{id}/{ann_id}"),
            None,
        )
        .await;
        assert!(
            matches!(s, StatusCode::NOT_FOUND | StatusCode::UNAUTHORIZED),
            "{role:?}: {s}"
        );
    }
    assert_eq!(checked, (ROLES.len() - 1) * writes.len());

    // Nothing changed: the record, its objects, the album and the grants.
    let after = env
        .call(Method::GET, &format!("/v1/images/{id}"), Some(&ann), None)
        .await
        .1;
    assert_eq!(after, before);
    assert_eq!(env.keys_of(&id).await, keys);
    let album_after = env
        .call(Method::GET, &format!("/v1/albums/{aid}"), Some(&ann), None)
        .await
        .1;
    assert_eq!(album_after, album_before);
    let grants_after = env.call(Method::GET, "/v1/grants", Some(&ann), None).await.1;
    assert_eq!(grants_after, grants_before);
}
