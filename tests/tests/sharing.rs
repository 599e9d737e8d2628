//! M3 party groups, M13 image grants and X4 share links, against moto: each
//! opens exactly what it should, and revocation takes effect at once.

use integration_tests::TestEnv;
use reqwest::{Method, StatusCode};
use serde_json::json;

async fn status(env: &TestEnv, token: Option<&str>, path: &str) -> StatusCode {
    env.call(Method::GET, path, token, None).await.0
}

#[tokio::test]
async fn group_members_see_each_others_private_images_until_they_leave() {
    let env = TestEnv::start().await;
    let (ann, bob, eve) = (env.customer().await, env.customer().await, env.customer().await);
    let (bob_me, eve_me) = (env.me(&bob).await, env.me(&eve).await);
    let photo = env.ready_image(&ann, 71).await;
    let path = format!("/v1/images/{photo}");

    let (s, g) = env
        .call(
            Method::POST,
            "/v1/groups",
            Some(&ann),
            Some(json!({"name": "Family"})),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{g}");
    let gid = g["group_id"].as_str().unwrap().to_owned();
    let (s, _) = env
        .call(Method::POST, "/v1/groups", Some(&ann), Some(json!({"name": ""})))
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);

    // Not a member yet: the group and the private image do not exist for Bob.
    assert_eq!(
        status(&env, Some(&bob), &format!("/v1/groups/{gid}")).await,
        StatusCode::NOT_FOUND
    );
    assert_eq!(status(&env, Some(&bob), &path).await, StatusCode::NOT_FOUND);
    let (s, _) = env
        .call(
            Method::POST,
            &format!("/v1/groups/{gid}/accept"),
            Some(&bob),
            None,
        )
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND, "no invitation, no membership");

    let (s, b) = env
        .call(
            Method::POST,
            &format!("/v1/groups/{gid}/invitations"),
            Some(&ann),
            Some(json!({"email": bob_me["email"]})),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{b}");
    let (s, _) = env
        .call(
            Method::POST,
            &format!("/v1/groups/{gid}/invitations"),
            Some(&eve),
            Some(json!({"email": eve_me["email"]})),
        )
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND, "only members invite");
    let (_, inv) = env.call(Method::GET, "/v1/invitations", Some(&bob), None).await;
    assert_eq!(inv["invitations"][0]["group_id"], gid.as_str());
    let (_, inv) = env.call(Method::GET, "/v1/invitations", Some(&eve), None).await;
    assert_eq!(inv["invitations"], json!([]));
    let (s, _) = env
        .call(
            Method::POST,
            &format!("/v1/groups/{gid}/accept"),
            Some(&eve),
            None,
        )
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND, "an invitation is for its email only");
    let (s, joined) = env
        .call(
            Method::POST,
            &format!("/v1/groups/{gid}/accept"),
            Some(&bob),
            None,
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{joined}");
    assert_eq!(joined["members"].as_array().unwrap().len(), 2);
    // A retried accept answers the same, and joins nobody twice.
    let (s, again) = env
        .call(
            Method::POST,
            &format!("/v1/groups/{gid}/accept"),
            Some(&bob),
            None,
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{again}");
    assert_eq!(again["members"], joined["members"]);

    // A member sees the private image as "own": clean preview and original.
    let (s, seen) = env.call(Method::GET, &path, Some(&bob), None).await;
    assert_eq!(s, StatusCode::OK, "{seen}");
    let (_, urls) = env
        .call(Method::GET, &format!("{path}/urls"), Some(&bob), None)
        .await;
    assert!(urls.get("original").is_some(), "{urls}");
    assert_eq!(
        status(&env, Some(&eve), &path).await,
        StatusCode::NOT_FOUND,
        "Eve is no member"
    );

    // Leaving ends access at once.
    let bob_id = bob_me["customer_id"].as_str().unwrap();
    let (s, _) = env
        .call(
            Method::DELETE,
            &format!("/v1/groups/{gid}/members/{bob_id}"),
            Some(&bob),
            None,
        )
        .await;
    assert_eq!(s, StatusCode::NO_CONTENT);
    assert_eq!(status(&env, Some(&bob), &path).await, StatusCode::NOT_FOUND);
    assert_eq!(
        status(&env, Some(&bob), &format!("/v1/groups/{gid}")).await,
        StatusCode::NOT_FOUND
    );
    let ann_id = env.me(&ann).await["customer_id"].as_str().unwrap().to_owned();
    let (s, _) = env
        .call(
            Method::DELETE,
            &format!("/v1/groups/{gid}/members/{ann_id}"),
            Some(&ann),
            None,
        )
        .await;
    assert_eq!(s, StatusCode::CONFLICT, "the owner cannot leave");

    // Invited and accepted again, then removed by the owner: access, group
    // and search results end at once. Eve, no member, cannot remove anyone.
    let (s, b) = env
        .call(
            Method::POST,
            &format!("/v1/groups/{gid}/invitations"),
            Some(&ann),
            Some(json!({"email": bob_me["email"]})),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{b}");
    let (s, _) = env
        .call(
            Method::POST,
            &format!("/v1/groups/{gid}/accept"),
            Some(&bob),
            None,
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(status(&env, Some(&bob), &path).await, StatusCode::OK);
    let image_id = path.trim_start_matches("/v1/images/").to_owned();
    let searched = |token: String| {
        let env = &env;
        let image_id = image_id.clone();
        async move {
            let (s, b) = env.call(Method::GET, "/v1/search", Some(&token), None).await;
            assert_eq!(s, StatusCode::OK, "{b}");
            b["results"]
                .as_array()
                .unwrap()
                .iter()
                .any(|r| r["image_id"] == image_id.as_str())
        }
    };
    assert!(
        searched(bob.clone()).await,
        "a member finds the group's private image"
    );
    let (s, _) = env
        .call(
            Method::DELETE,
            &format!("/v1/groups/{gid}/members/{bob_id}"),
            Some(&eve),
            None,
        )
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND, "Eve is no member");
    let (s, _) = env
        .call(
            Method::DELETE,
            &format!("/v1/groups/{gid}/members/{bob_id}"),
            Some(&ann),
            None,
        )
        .await;
    assert_eq!(s, StatusCode::NO_CONTENT);
    assert_eq!(status(&env, Some(&bob), &path).await, StatusCode::NOT_FOUND);
    assert!(!searched(bob.clone()).await, "removed: no longer in search");
}

#[tokio::test]
async fn a_grant_opens_exactly_one_image_and_revocation_is_immediate() {
    let env = TestEnv::start().await;
    let (ann, bob, eve) = (env.customer().await, env.customer().await, env.customer().await);
    let bob_me = env.me(&bob).await;
    let granted = env.ready_image(&ann, 81).await;
    let other = env.ready_image(&ann, 82).await;

    for (body, want) in [
        (
            json!({"image_id": granted, "grantee_email": "nobody@example.com"}),
            StatusCode::BAD_REQUEST,
        ),
        (
            json!({"image_id": granted, "grantee_email": env.me(&ann).await["email"]}),
            StatusCode::BAD_REQUEST,
        ),
        (
            json!({"image_id": "img_nope", "grantee_email": bob_me["email"]}),
            StatusCode::NOT_FOUND,
        ),
    ] {
        let (s, b) = env.call(Method::POST, "/v1/grants", Some(&ann), Some(body)).await;
        assert_eq!(s, want, "{b}");
    }
    let (s, _) = env
        .call(
            Method::POST,
            "/v1/grants",
            Some(&eve),
            Some(json!({"image_id": granted, "grantee_email": bob_me["email"]})),
        )
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND, "only the owner grants");
    let (s, g) = env
        .call(
            Method::POST,
            "/v1/grants",
            Some(&ann),
            Some(json!({"image_id": granted, "grantee_email": bob_me["email"]})),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{g}");

    assert_eq!(
        status(&env, Some(&bob), &format!("/v1/images/{granted}")).await,
        StatusCode::OK
    );
    let (_, urls) = env
        .call(
            Method::GET,
            &format!("/v1/images/{granted}/urls"),
            Some(&bob),
            None,
        )
        .await;
    assert!(urls.get("original").is_some(), "{urls}");
    assert_eq!(
        status(&env, Some(&bob), &format!("/v1/images/{other}")).await,
        StatusCode::NOT_FOUND,
        "nothing else"
    );
    assert_eq!(
        status(&env, Some(&eve), &format!("/v1/images/{granted}")).await,
        StatusCode::NOT_FOUND
    );
    let (_, given) = env.call(Method::GET, "/v1/grants", Some(&ann), None).await;
    assert_eq!(given["grants"].as_array().unwrap().len(), 1);
    let (_, got) = env
        .call(Method::GET, "/v1/grants/received", Some(&bob), None)
        .await;
    assert_eq!(
        got["grants"],
        json!([{"target": {"kind": "image", "id": granted}, "created_at": g["created_at"]}]),
        "no owner details"
    );

    let bob_id = bob_me["customer_id"].as_str().unwrap();
    let (s, _) = env
        .call(
            Method::DELETE,
            &format!("/v1/grants/{granted}/{bob_id}"),
            Some(&eve),
            None,
        )
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND, "only the owner revokes");
    let (s, _) = env
        .call(
            Method::DELETE,
            &format!("/v1/grants/{granted}/{bob_id}"),
            Some(&ann),
            None,
        )
        .await;
    assert_eq!(s, StatusCode::NO_CONTENT);
    assert_eq!(
        status(&env, Some(&bob), &format!("/v1/images/{granted}")).await,
        StatusCode::NOT_FOUND
    );
    let (_, got) = env
        .call(Method::GET, "/v1/grants/received", Some(&bob), None)
        .await;
    assert_eq!(got["grants"], json!([]));
}

#[tokio::test]
async fn share_links_expire_can_withhold_the_original_and_are_revocable() {
    let env = TestEnv::start().await;
    let (ann, eve) = (env.customer().await, env.customer().await);
    let photo = env.ready_image(&ann, 91).await;

    for bad in [
        json!({"image_id": photo, "expires_in_hours": 0}),
        json!({"image_id": photo, "expires_in_hours": 100000}),
    ] {
        let (s, _) = env.call(Method::POST, "/v1/links", Some(&ann), Some(bad)).await;
        assert_eq!(s, StatusCode::BAD_REQUEST);
    }
    let (s, _) = env
        .call(
            Method::POST,
            "/v1/links",
            Some(&eve),
            Some(json!({"image_id": photo})),
        )
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND, "only the owner makes links");
    let (s, link) = env
        .call(
            Method::POST,
            "/v1/links",
            Some(&ann),
            Some(json!({"image_id": photo, "allow_original": false})),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{link}");
    let token = link["token"].as_str().unwrap();
    assert!(token.len() >= 43, "unguessable");

    // Anyone with the link sees the (private) image, without the original.
    let (s, seen) = env
        .call(Method::GET, &format!("/v1/shared/{token}"), None, None)
        .await;
    assert_eq!(s, StatusCode::OK, "{seen}");
    assert_eq!(seen["original_available"], false);
    let (_, urls) = env
        .call(Method::GET, &format!("/v1/shared/{token}/urls"), None, None)
        .await;
    assert!(
        urls.get("original").is_none() && urls.get("preview").is_some(),
        "{urls}"
    );
    assert_eq!(
        status(&env, None, &format!("/v1/images/{photo}")).await,
        StatusCode::NOT_FOUND,
        "only through the link"
    );
    assert_eq!(
        status(&env, None, "/v1/shared/not-a-token").await,
        StatusCode::NOT_FOUND
    );

    let (_, listed) = env.call(Method::GET, "/v1/links", Some(&ann), None).await;
    assert_eq!(listed["links"].as_array().unwrap().len(), 1);
    assert!(
        listed.to_string().find(token).is_none(),
        "the token is shown once, never listed"
    );

    let link_id = link["link_id"].as_str().unwrap();
    let (s, _) = env
        .call(Method::DELETE, &format!("/v1/links/{link_id}"), Some(&eve), None)
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (s, _) = env
        .call(Method::DELETE, &format!("/v1/links/{link_id}"), Some(&ann), None)
        .await;
    assert_eq!(s, StatusCode::NO_CONTENT);
    assert_eq!(
        status(&env, None, &format!("/v1/shared/{token}")).await,
        StatusCode::NOT_FOUND
    );

    // An expired link answers 404: seen from two hours after a one-hour link.
    let (_, short) = env
        .call(
            Method::POST,
            "/v1/links",
            Some(&ann),
            Some(json!({"image_id": photo, "expires_in_hours": 1})),
        )
        .await;
    let t = short["token"].as_str().unwrap();
    assert_eq!(
        status(&env, None, &format!("/v1/shared/{t}")).await,
        StatusCode::OK
    );
    let mut later = env.stack.api_state.clone();
    later.clock = || time::OffsetDateTime::now_utc() + time::Duration::hours(2);
    use tower::ServiceExt;
    let req = http::Request::get(format!("/v1/shared/{t}"))
        .body(axum::body::Body::empty())
        .unwrap();
    let res = api::router(later).oneshot(req).await.unwrap();
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_profile_is_shared_with_one_named_customer_and_only_the_chosen_fields() {
    let env = TestEnv::start().await;
    let (ann, bob, eve) = (env.customer().await, env.customer().await, env.customer().await);
    let (ann_me, bob_me) = (env.me(&ann).await, env.me(&bob).await);
    let ann_id = ann_me["customer_id"].as_str().unwrap();
    let update = json!({"name": "Ann Sato", "birthday": "1990-04-01",
        "postal_address": {"lines": ["1-1 Chiyoda"], "city": "Tokyo", "postal_code": "100-0001", "country": "JP"}});
    env.call(Method::PATCH, "/v1/profile", Some(&ann), Some(update))
        .await;
    let path = format!("/v1/customers/{ann_id}/profile");

    assert_eq!(
        status(&env, Some(&bob), &path).await,
        StatusCode::NOT_FOUND,
        "not shared yet"
    );
    for bad in [
        json!({"reader_email": bob_me["email"], "fields": ["password"]}),
        json!({"reader_email": bob_me["email"], "fields": []}),
        json!({"reader_email": ann_me["email"]}),
        json!({"reader_email": "nobody@example.com"}),
    ] {
        let (s, b) = env
            .call(Method::POST, "/v1/profile/shares", Some(&ann), Some(bad.clone()))
            .await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{bad}: {b}");
    }
    let (s, b) = env
        .call(
            Method::POST,
            "/v1/profile/shares",
            Some(&ann),
            Some(json!({"reader_email": bob_me["email"], "fields": ["name", "birthday"]})),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{b}");
    let (s, seen) = env.call(Method::GET, &path, Some(&bob), None).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(
        seen,
        json!({"customer_id": ann_id, "name": "Ann Sato", "birthday": "1990-04-01"}),
        "chosen fields only"
    );
    assert_eq!(
        status(&env, Some(&eve), &path).await,
        StatusCode::NOT_FOUND,
        "nobody else"
    );
    assert_eq!(status(&env, None, &path).await, StatusCode::UNAUTHORIZED);
    let (_, mine) = env
        .call(Method::GET, "/v1/profile/shared-with-me", Some(&bob), None)
        .await;
    assert_eq!(mine["profiles"][0]["customer_id"], ann_id);

    let bob_id = bob_me["customer_id"].as_str().unwrap();
    let (s, _) = env
        .call(
            Method::DELETE,
            &format!("/v1/profile/shares/{bob_id}"),
            Some(&ann),
            None,
        )
        .await;
    assert_eq!(s, StatusCode::NO_CONTENT);
    assert_eq!(
        status(&env, Some(&bob), &path).await,
        StatusCode::NOT_FOUND,
        "revoked at once"
    );
    let (_, listed) = env
        .call(Method::GET, "/v1/profile/shares", Some(&ann), None)
        .await;
    assert_eq!(listed["shares"], json!([]));
}
