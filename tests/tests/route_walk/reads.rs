//! Every image-reading route, with every role, for one class per test.

use crate::world::{expected, expected_print, world, Role, LOCATION, ROLES};
use reqwest::Method;
use reqwest::StatusCode;
use serde_json::json;

/// Sets the image's class, then walks every read with every role and
/// through the link.
async fn walk(class: &str) {
    let w = world().await;
    w.classify(class).await;
    let (id, aid) = (&w.id, &w.aid);
    let mut checked = 0;
    for &(role, ref t) in &w.tokens {
        let t = t.as_deref();
        let (sees, original, marked) = expected(role, class);
        let ctx = format!("{role:?} × {class}");

        let (s, b) = w.read(role, t, &format!("/v1/images/{id}")).await;
        assert_eq!(s == StatusCode::OK, sees, "{ctx}: GET image -> {s} {b}");
        if !sees {
            assert_eq!(s, StatusCode::NOT_FOUND, "{ctx}: {b}");
            assert!(!b.to_string().contains(id), "{ctx}: the 404 names nothing: {b}");
        } else if role != Role::Owner {
            for field in ["sha256", "file_name", "owner", "declared_bytes"] {
                assert!(b.get(field).is_none(), "{ctx}: leaks {field}: {b}");
            }
        }

        let (s, u) = w.read(role, t, &format!("/v1/images/{id}/urls")).await;
        assert_eq!(s == StatusCode::OK, sees, "{ctx}: urls -> {s} {u}");
        if sees {
            assert_eq!(u.get("original").is_some(), original, "{ctx}: original: {u}");
            assert_eq!(u.get("preview_marked").is_some(), marked, "{ctx}: mark: {u}");
            assert_eq!(u.get("thumbnail").is_some(), !marked, "{ctx}: thumbnail: {u}");
        }

        let (s, r) = w.read(role, t, "/v1/search?q=walk").await;
        assert_eq!(s, StatusCode::OK, "{ctx}: {r}");
        let hit = r["results"]
            .as_array()
            .unwrap()
            .iter()
            .any(|x| x["image_id"] == id.as_str());
        assert_eq!(hit, sees, "{ctx}: search: {r}");

        let (s, a) = w.read(role, t, &format!("/v1/albums/{aid}")).await;
        let want = if matches!(role, Role::Owner | Role::AlbumGrantee) {
            StatusCode::OK
        } else if t.is_none() {
            StatusCode::UNAUTHORIZED
        } else {
            StatusCode::NOT_FOUND
        };
        assert_eq!(s, want, "{ctx}: album: {a}");

        let (s, l) = w.read(role, t, "/v1/images").await;
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

        let quote = json!({"lines": [{"image_id": id, "size": "L", "quantity": 1}], "location": LOCATION});
        let (s, q) = w.send(role, t, Method::POST, "/v1/quotes", Some(quote)).await;
        match expected_print(role, class) {
            Some(terms) => {
                assert_eq!(s, StatusCode::CREATED, "{ctx}: quote: {q}");
                assert_eq!(q["lines"][0]["terms"], terms, "{ctx}: quote: {q}");
            }
            None => {
                assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{ctx}: quote: {q}");
                if !sees {
                    assert!(
                        !q.to_string().contains("offered"),
                        "{ctx}: a private image is not named: {q}"
                    );
                }
            }
        }

        let profile = format!("/v1/customers/{}/profile", w.ann.id);
        let (s, p) = w.read(role, t, &profile).await;
        assert!(
            matches!(s, StatusCode::NOT_FOUND | StatusCode::UNAUTHORIZED),
            "{ctx}: profile never leaks: {s} {p}"
        );
        checked += 1;
    }
    assert_eq!(checked, ROLES.len());

    // The link holder: the image through the link, whatever its class,
    // without the original this link withholds; nothing else through it.
    let link = format!("/v1/shared/{}", w.link_token);
    let (s, b) = w.read(Role::Anonymous, None, &link).await;
    assert_eq!(s, StatusCode::OK, "link × {class}: {b}");
    assert!(b.get("sha256").is_none());
    let (_, u) = w.read(Role::Anonymous, None, &format!("{link}/urls")).await;
    assert!(
        u.get("original").is_none() && u.get("preview").is_some(),
        "link × {class}: {u}"
    );
    let (s, _) = w
        .read(Role::Anonymous, None, &format!("{link}/images/{}", w.other))
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_private_image_is_seen_by_its_owner_group_members_and_grantees_only() {
    walk("private").await;
}

#[tokio::test]
async fn a_viewable_image_is_seen_by_every_role_and_strangers_get_a_marked_preview() {
    walk("viewable").await;
}

#[tokio::test]
async fn a_printable_image_is_seen_by_every_role_and_strangers_never_get_the_original() {
    walk("printable").await;
}
