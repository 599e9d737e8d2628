//! Grant floods and unbounded growth (issue 7, item 6), against moto: a
//! grantee gives back what a stranger granted, received grants come a page
//! at a time, a search reads a bounded number of grants and album queries,
//! and each customer has quotas on pending uploads, albums, live links and
//! open invitations; invitations and forgotten uploads lapse.

use integration_tests::{testkit, TestEnv};
use printvault_domain::image::Image;
use reqwest::StatusCode;
use serde_json::{json, Value};
use tower::ServiceExt;

#[tokio::test]
async fn a_grantee_gives_back_a_grant_and_received_grants_are_paged() {
    let env = TestEnv::start().await;
    let (ann, bob) = (env.new_customer().await, env.new_customer().await);
    let mut images = Vec::new();
    for seed in 0..3 {
        let id = env.ready_image(&ann, 300 + seed).await;
        let (s, _) = env
            .post(
                "/v1/grants",
                &ann,
                json!({"image_id": id, "grantee_email": bob.email}),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED);
        images.push(id);
    }
    let (s, first) = env.get("/v1/grants/received?limit=2", &bob).await;
    assert_eq!(s, StatusCode::OK, "{first}");
    assert_eq!(first["grants"].as_array().unwrap().len(), 2);
    let cursor = first["next_cursor"].as_str().expect("a cursor");
    let (_, second) = env
        .get(&format!("/v1/grants/received?limit=2&cursor={cursor}"), &bob)
        .await;
    assert_eq!(second["grants"].as_array().unwrap().len(), 1, "{second}");
    assert!(second["next_cursor"].is_null());
    let (s, _) = env.get("/v1/grants/received?cursor=Zm9v", &bob).await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "a forged cursor");

    let (s, b) = env
        .delete(&format!("/v1/grants/received/{}", images[0]), &bob)
        .await;
    assert_eq!(s, StatusCode::NO_CONTENT, "{b}");
    assert_eq!(
        env.get_status(&format!("/v1/images/{}", images[0]), &bob).await,
        StatusCode::NOT_FOUND
    );
    let (_, given) = env.get("/v1/grants", &ann).await;
    assert_eq!(
        given["grants"].as_array().unwrap().len(),
        2,
        "gone for the owner too"
    );
    let (s, _) = env
        .delete(&format!("/v1/grants/received/{}", images[0]), &bob)
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (s, _) = env
        .delete(&format!("/v1/grants/received/{}", images[1]), &ann)
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND, "only the grantee gives a grant back");
}

#[tokio::test]
async fn a_flood_of_empty_album_grants_does_not_make_searches_long() {
    let env = TestEnv::with(|o| o.settings.search.max_granted_images = 5).await;
    let (eve, victim) = (env.new_customer().await, env.new_customer().await);
    for i in 0..25 {
        let (_, album) = env
            .post("/v1/albums", &eve, json!({"name": format!("spam {i}")}))
            .await;
        let body = json!({"album_id": album["album_id"], "grantee_email": victim.email});
        let (s, _) = env.post("/v1/grants", &eve, body).await;
        assert_eq!(s, StatusCode::CREATED);
    }
    let res = env
        .http
        .get(env.url("/v1/search?q=anything"))
        .bearer_auth(&victim.token)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let read: usize = res.headers()["x-search-items-read"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(
        read <= 5 + 5 + 2,
        "read {read}: the grants and album queries are bounded"
    );

    // The victim gives every album grant back, a page at a time.
    let mut given_back = 0;
    loop {
        let (s, page) = env.get("/v1/grants/received?limit=10", &victim).await;
        assert_eq!(s, StatusCode::OK, "{page}");
        let grants = page["grants"].as_array().unwrap().clone();
        if grants.is_empty() {
            break;
        }
        for g in grants {
            assert_eq!(g["target"]["kind"], "album", "{g}");
            let target = g["target"]["id"].as_str().expect("an album ID");
            let (s, b) = env
                .delete(&format!("/v1/grants/received/{target}"), &victim)
                .await;
            assert_eq!(s, StatusCode::NO_CONTENT, "{b}");
            given_back += 1;
        }
    }
    assert_eq!(given_back, 25);
    let (_, given) = env.get("/v1/grants", &eve).await;
    assert_eq!(
        given["grants"].as_array().unwrap().len(),
        0,
        "gone for the granter too"
    );
    let (s, _) = env.get("/v1/search?q=anything", &victim).await;
    assert_eq!(s, StatusCode::OK);
}

#[tokio::test]
async fn albums_and_live_links_have_quotas() {
    let env = TestEnv::with(|o| {
        o.settings.quotas.albums = 2;
        o.settings.quotas.live_links = 2;
    })
    .await;
    let ann = env.new_customer().await;
    for i in 0..2 {
        let (s, _) = env
            .post("/v1/albums", &ann, json!({"name": format!("a{i}")}))
            .await;
        assert_eq!(s, StatusCode::CREATED);
    }
    let (s, b) = env.post("/v1/albums", &ann, json!({"name": "one more"})).await;
    assert_eq!(s, StatusCode::CONFLICT, "{b}");
    assert!(
        b["error"]["message"]
            .as_str()
            .unwrap()
            .contains("the most allowed"),
        "{b}"
    );

    let image = env.ready_image(&ann, 310).await;
    let mut links = Vec::new();
    for _ in 0..2 {
        let (s, l) = env.post("/v1/links", &ann, json!({"image_id": image})).await;
        assert_eq!(s, StatusCode::CREATED, "{l}");
        links.push(l);
    }
    let (s, b) = env.post("/v1/links", &ann, json!({"image_id": image})).await;
    assert_eq!(s, StatusCode::CONFLICT, "{b}");
    let id = links[0]["link_id"].as_str().unwrap();
    env.delete(&format!("/v1/links/{id}"), &ann).await;
    let (s, _) = env.post("/v1/links", &ann, json!({"image_id": image})).await;
    assert_eq!(s, StatusCode::CREATED, "room again after a revocation");
}

#[tokio::test]
async fn pending_uploads_have_a_quota_and_lapse() {
    let env = TestEnv::with(|o| o.settings.quotas.pending_uploads = 2).await;
    let ann = env.new_customer().await;
    let jpeg = testkit::photo_jpeg(64, 48, 320);
    let ask = || json!({"file_name": "a.jpg", "content_type": "image/jpeg", "content_length": jpeg.len()});
    let mut tickets = Vec::new();
    for _ in 0..2 {
        let (s, t) = env.post("/v1/uploads", &ann, ask()).await;
        assert_eq!(s, StatusCode::CREATED, "{t}");
        tickets.push(t);
    }
    let res = env
        .http
        .post(env.url("/v1/uploads"))
        .bearer_auth(&ann.token)
        .json(&ask())
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(res.headers().contains_key("retry-after"));
    // One upload's bytes arrive: it settles, and frees its place.
    env.put_presigned(&tickets[0]["upload"], &jpeg).await;
    env.settled(&ann, tickets[0]["image_id"].as_str().unwrap()).await;
    let (s, b) = env.post("/v1/uploads", &ann, ask()).await;
    assert_eq!(s, StatusCode::CREATED, "{b}");

    // A pending record past its lapse is gone for the api, and counts for nothing.
    let owner = ann.customer_id();
    let mut old = Image::pending(
        owner.clone(),
        None,
        "image/jpeg",
        10,
        "2026-01-01T00:00:00Z".parse().unwrap(),
    );
    old.expires_at = Some(1);
    env.stack.api_state.stores.images.put_pending(&old).await.unwrap();
    assert_eq!(
        env.get_status(&format!("/v1/images/{}", old.id), &ann).await,
        StatusCode::NOT_FOUND
    );
    let (_, list) = env.get("/v1/images", &ann).await;
    let ids: Vec<&str> = list["images"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["image_id"].as_str().unwrap())
        .collect();
    assert!(!ids.contains(&old.id.as_str()), "{ids:?}");
    let pending = env
        .stack
        .api_state
        .stores
        .images
        .pending_uploads(&owner, time::OffsetDateTime::now_utc().unix_timestamp(), 10)
        .await
        .unwrap();
    assert_eq!(pending, 2, "the two live ones only");
}

#[tokio::test]
async fn invitations_have_a_quota_and_lapse() {
    let env = TestEnv::with(|o| {
        o.settings.quotas.open_invitations_per_group = 2;
        o.settings.quotas.invitation_ttl_days = 1;
    })
    .await;
    let (ann, bob) = (env.new_customer().await, env.new_customer().await);
    let (_, group) = env.post("/v1/groups", &ann, json!({"name": "Trip"})).await;
    let gid = group["group_id"].as_str().unwrap().to_owned();
    let invite = |email: String| {
        let (env, ann, gid) = (&env, &ann, gid.clone());
        async move {
            env.post(
                &format!("/v1/groups/{gid}/invitations"),
                ann,
                json!({"email": email}),
            )
            .await
        }
    };
    assert_eq!(invite(bob.email.clone()).await.0, StatusCode::CREATED);
    assert_eq!(invite("carol@example.com".into()).await.0, StatusCode::CREATED);
    let (s, b) = invite("dan@example.com".into()).await;
    assert_eq!(s, StatusCode::CONFLICT, "{b}");
    assert_eq!(
        invite(bob.email.clone()).await.0,
        StatusCode::CREATED,
        "renewing one is fine"
    );
    let (_, mine) = env.get("/v1/invitations", &bob).await;
    assert!(mine["invitations"][0]["expires_at"].is_string(), "{mine}");

    // Two days on, Bob's invitation has lapsed.
    let mut later = env.stack.api_state.clone();
    later.clock = printvault_domain::when::Clock::ahead_by(time::Duration::days(2));
    let call = |method: &str, path: String| {
        http::Request::builder()
            .method(method)
            .uri(path)
            .header("authorization", format!("Bearer {}", bob.token))
            .body(axum::body::Body::empty())
            .unwrap()
    };
    let res = api::router(later.clone())
        .oneshot(call("GET", "/v1/invitations".into()))
        .await
        .unwrap();
    let body: Value =
        serde_json::from_slice(&axum::body::to_bytes(res.into_body(), 1 << 16).await.unwrap()).unwrap();
    assert_eq!(
        body["invitations"],
        json!([]),
        "a lapsed invitation is not listed"
    );
    let res = api::router(later)
        .oneshot(call("POST", format!("/v1/groups/{gid}/accept")))
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::NOT_FOUND, "nor accepted");
    let (s, _) = env
        .post(&format!("/v1/groups/{gid}/accept"), &bob, Value::Null)
        .await;
    assert_eq!(s, StatusCode::OK, "today it still can be");
}
