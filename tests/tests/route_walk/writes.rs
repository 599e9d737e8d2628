//! Every route that changes Ann's image, its album, its grants or links,
//! with every role but the owner's.

use crate::world::{world, Role, World, ROLES};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

/// What the owner sees of the image, its objects, its album and her grants.
#[derive(Debug, PartialEq)]
struct Snapshot {
    image: Value,
    keys: Vec<String>,
    album: Value,
    grants: Value,
}

async fn snapshot(w: &World) -> Snapshot {
    Snapshot {
        image: w.env.get(&format!("/v1/images/{}", w.id), &w.ann).await.1,
        keys: w.env.keys_of(&w.id).await,
        album: w.env.get(&format!("/v1/albums/{}", w.aid), &w.ann).await.1,
        grants: w.env.get("/v1/grants", &w.ann).await.1,
    }
}

type Write = (Method, String, Option<Value>);

/// The viewable image (strangers can see it: seeing must not mean
/// changing): every role but the owner's sends each of `writes(&world)`;
/// each answers 404 (401 without a session), names nothing, and nothing
/// changes.
async fn refused(writes: impl Fn(&World) -> Vec<Write>) -> World {
    let w = world().await;
    w.classify("viewable").await;
    let before = snapshot(&w).await;
    let writes = writes(&w);
    let mut checked = 0;
    for &(role, ref t) in w.tokens.iter().filter(|(r, _)| *r != Role::Owner) {
        let t = t.as_deref();
        for (method, path, body) in &writes {
            let (s, b) = w.send(role, t, method.clone(), path, body.clone()).await;
            let want = if t.is_none() {
                StatusCode::UNAUTHORIZED
            } else {
                StatusCode::NOT_FOUND
            };
            assert_eq!(s, want, "{role:?} {method} {path}: {b}");
            assert!(
                !b.to_string().contains(&w.id),
                "{role:?} {method} {path}: names nothing: {b}"
            );
            checked += 1;
        }
    }
    assert_eq!(checked, (ROLES.len() - 1) * writes.len());
    assert_eq!(snapshot(&w).await, before, "nothing changed");
    w
}

#[tokio::test]
async fn no_role_but_the_owner_changes_or_deletes_an_image() {
    let w = refused(|w| {
        let id = &w.id;
        vec![
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
        ]
    })
    .await;
    // A bulk edit reports the image as not found, and changes nothing.
    let before = snapshot(&w).await;
    for &(role, ref t) in w.tokens.iter().filter(|(r, t)| *r != Role::Owner && t.is_some()) {
        let body = json!({"image_ids": [w.id], "attributes": {"event": "Hijacked"}});
        let (s, b) = w
            .send(
                role,
                t.as_deref(),
                Method::POST,
                "/v1/images/attributes",
                Some(body),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{b}");
        assert_eq!(b["results"][0]["status"], 404, "{role:?}: {b}");
    }
    assert_eq!(snapshot(&w).await, before);
}

#[tokio::test]
async fn no_role_but_the_owner_changes_or_deletes_the_images_album() {
    refused(|w| {
        let (id, aid) = (&w.id, &w.aid);
        vec![
            (Method::PUT, format!("/v1/albums/{aid}/images/{id}"), None),
            (Method::DELETE, format!("/v1/albums/{aid}/images/{id}"), None),
            (
                Method::PATCH,
                format!("/v1/albums/{aid}"),
                Some(json!({"name": "Hijacked"})),
            ),
            (Method::DELETE, format!("/v1/albums/{aid}"), None),
        ]
    })
    .await;
}

#[tokio::test]
async fn no_role_but_the_owner_grants_links_or_revokes_access_to_the_image() {
    let w = refused(|w| {
        let (id, aid) = (&w.id, &w.aid);
        vec![
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
        ]
    })
    .await;
    // Grants between others never reach Ann's images: revoking one of hers is not theirs to do.
    let before = snapshot(&w).await;
    for &(role, ref t) in w.tokens.iter().filter(|(r, _)| *r != Role::Owner) {
        let revoke = format!("/v1/grants/{}/{}", w.id, w.ann.id);
        let (s, _) = w.send(role, t.as_deref(), Method::DELETE, &revoke, None).await;
        assert!(
            matches!(s, StatusCode::NOT_FOUND | StatusCode::UNAUTHORIZED),
            "{role:?}: {s}"
        );
    }
    assert_eq!(snapshot(&w).await, before);
}
