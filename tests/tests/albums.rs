//! M12 manual albums, album grants, album links and bulk attribute edits.

use integration_tests::TestEnv;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

fn ids(page: &Value) -> Vec<String> {
    page["images"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["image_id"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn albums_grants_links_and_bulk_edits() {
    let env = TestEnv::start().await;
    let (ann, bob) = (env.customer().await, env.customer().await);
    let bob_me = env.call(Method::GET, "/v1/profile", Some(&bob), None).await.1;
    let (a1, a2, outside) = (
        env.ready_image(&ann, 1).await,
        env.ready_image(&ann, 2).await,
        env.ready_image(&ann, 3).await,
    );
    let bobs = env.ready_image(&bob, 4).await;

    let (s, album) = env
        .call(
            Method::POST,
            "/v1/albums",
            Some(&ann),
            Some(json!({"name": "Kyoto"})),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{album}");
    let aid = album["album_id"].as_str().unwrap().to_owned();
    let (s, _) = env
        .call(Method::POST, "/v1/albums", Some(&ann), Some(json!({"name": " "})))
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    for img in [&a1, &a2, &a2] {
        let (s, b) = env
            .call(
                Method::PUT,
                &format!("/v1/albums/{aid}/images/{img}"),
                Some(&ann),
                None,
            )
            .await;
        assert_eq!(s, StatusCode::NO_CONTENT, "{b}");
    }
    let (s, _) = env
        .call(
            Method::PUT,
            &format!("/v1/albums/{aid}/images/{bobs}"),
            Some(&ann),
            None,
        )
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND, "only your own images");
    let (s, _) = env
        .call(
            Method::PATCH,
            &format!("/v1/albums/{aid}"),
            Some(&ann),
            Some(json!({"name": "Kyoto 2024"})),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    let (_, page) = env
        .call(Method::GET, &format!("/v1/albums/{aid}"), Some(&ann), None)
        .await;
    assert_eq!(page["name"], "Kyoto 2024");
    assert_eq!(ids(&page).len(), 2, "adding twice keeps one: {page}");
    let (_, list) = env.call(Method::GET, "/v1/albums", Some(&ann), None).await;
    assert_eq!(list["albums"].as_array().unwrap().len(), 1);

    // Before any grant the album does not exist for Bob.
    assert_eq!(
        env.call(Method::GET, &format!("/v1/albums/{aid}"), Some(&bob), None)
            .await
            .0,
        StatusCode::NOT_FOUND
    );

    // An album grant opens the album's images and nothing else.
    let (s, g) = env
        .call(
            Method::POST,
            "/v1/grants",
            Some(&ann),
            Some(json!({"album_id": aid, "grantee_email": bob_me["email"]})),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{g}");
    let (s, seen) = env
        .call(Method::GET, &format!("/v1/albums/{aid}"), Some(&bob), None)
        .await;
    assert_eq!(s, StatusCode::OK, "{seen}");
    let mut got = ids(&seen);
    got.sort();
    let mut want = vec![a1.clone(), a2.clone()];
    want.sort();
    assert_eq!(got, want);
    assert!(
        seen["images"][0].get("sha256").is_none(),
        "grantees get the public view"
    );
    assert_eq!(
        env.call(Method::GET, &format!("/v1/images/{a1}"), Some(&bob), None)
            .await
            .0,
        StatusCode::OK
    );
    let (_, urls) = env
        .call(Method::GET, &format!("/v1/images/{a1}/urls"), Some(&bob), None)
        .await;
    assert!(urls.get("original").is_some());
    assert_eq!(
        env.call(Method::GET, &format!("/v1/images/{outside}"), Some(&bob), None)
            .await
            .0,
        StatusCode::NOT_FOUND
    );

    // Revoking the album grant closes the album and its images at once;
    // granting again opens them again.
    let bob_id = bob_me["customer_id"].as_str().unwrap().to_owned();
    let (s, b) = env
        .call(
            Method::DELETE,
            &format!("/v1/grants/{aid}/{bob_id}"),
            Some(&ann),
            None,
        )
        .await;
    assert_eq!(s, StatusCode::NO_CONTENT, "{b}");
    for path in [format!("/v1/albums/{aid}"), format!("/v1/images/{a1}")] {
        assert_eq!(
            env.call(Method::GET, &path, Some(&bob), None).await.0,
            StatusCode::NOT_FOUND,
            "{path} after revoking"
        );
    }
    let (_, received) = env
        .call(Method::GET, "/v1/grants/received", Some(&bob), None)
        .await;
    assert_eq!(received["grants"], json!([]), "{received}");
    let (s, g) = env
        .call(
            Method::POST,
            "/v1/grants",
            Some(&ann),
            Some(json!({"album_id": aid, "grantee_email": bob_me["email"]})),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{g}");
    assert_eq!(
        env.call(Method::GET, &format!("/v1/albums/{aid}"), Some(&bob), None)
            .await
            .0,
        StatusCode::OK
    );

    // Taking an image out of the album ends the grantee's access to it at once.
    let (s, _) = env
        .call(
            Method::DELETE,
            &format!("/v1/albums/{aid}/images/{a2}"),
            Some(&ann),
            None,
        )
        .await;
    assert_eq!(s, StatusCode::NO_CONTENT);
    assert_eq!(
        env.call(Method::GET, &format!("/v1/images/{a2}"), Some(&bob), None)
            .await
            .0,
        StatusCode::NOT_FOUND
    );

    // An album link: anonymous callers see the album's images through it.
    let (s, link) = env
        .call(
            Method::POST,
            "/v1/links",
            Some(&ann),
            Some(json!({"album_id": aid})),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{link}");
    let t = link["token"].as_str().unwrap();
    let (s, shared) = env
        .call(Method::GET, &format!("/v1/shared/{t}"), None, None)
        .await;
    assert_eq!(s, StatusCode::OK, "{shared}");
    assert_eq!(ids(&shared), vec![a1.clone()]);
    assert_eq!(
        env.call(
            Method::GET,
            &format!("/v1/shared/{t}/images/{a1}/urls"),
            None,
            None
        )
        .await
        .0,
        StatusCode::OK
    );
    assert_eq!(
        env.call(
            Method::GET,
            &format!("/v1/shared/{t}/images/{outside}"),
            None,
            None
        )
        .await
        .0,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        env.call(Method::GET, &format!("/v1/shared/{t}/urls"), None, None)
            .await
            .0,
        StatusCode::NOT_FOUND
    );

    // Bulk attribute edit: one check up front, then an outcome per image.
    let (s, r) = env
        .call(
            Method::POST,
            "/v1/images/attributes",
            Some(&ann),
            Some(json!({"image_ids": [a1, a2, bobs], "attributes": {"event": "Kyoto trip", "keywords": ["Temple"]}})),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{r}");
    assert_eq!(r["results"][0]["status"], "updated");
    assert_eq!(r["results"][1]["status"], "updated");
    assert_eq!(
        r["results"][2]["status"], 404,
        "another customer's image is not found: {r}"
    );
    let (_, img) = env
        .call(Method::GET, &format!("/v1/images/{a2}"), Some(&ann), None)
        .await;
    assert_eq!(img["attributes"]["keywords"], json!(["temple"]));
    let (s, _) = env
        .call(
            Method::POST,
            "/v1/images/attributes",
            Some(&ann),
            Some(json!({"image_ids": [a1], "attributes": {"taken_at": "soon"}})),
        )
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    let (s, _) = env
        .call(
            Method::POST,
            "/v1/images/attributes",
            Some(&ann),
            Some(json!({"image_ids": [], "attributes": {}})),
        )
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);

    // Deleting the album ends its grant and link; the images stay.
    let (s, _) = env
        .call(Method::DELETE, &format!("/v1/albums/{aid}"), Some(&ann), None)
        .await;
    assert_eq!(s, StatusCode::NO_CONTENT);
    assert_eq!(
        env.call(Method::GET, &format!("/v1/albums/{aid}"), Some(&bob), None)
            .await
            .0,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        env.call(Method::GET, &format!("/v1/images/{a1}"), Some(&bob), None)
            .await
            .0,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        env.call(Method::GET, &format!("/v1/shared/{t}"), None, None)
            .await
            .0,
        StatusCode::NOT_FOUND
    );
    let (_, given) = env.call(Method::GET, "/v1/grants", Some(&ann), None).await;
    assert_eq!(given["grants"], json!([]));
    assert_eq!(
        env.call(Method::GET, &format!("/v1/images/{a1}"), Some(&ann), None)
            .await
            .0,
        StatusCode::OK
    );
}

#[tokio::test]
async fn albums_are_listed_in_pages() {
    let env = TestEnv::start().await;
    let ann = env.customer().await;
    let mut made = Vec::new();
    for i in 0..5 {
        let (s, a) = env
            .call(
                Method::POST,
                "/v1/albums",
                Some(&ann),
                Some(json!({"name": format!("Album {i}")})),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{a}");
        made.push(a["album_id"].as_str().unwrap().to_owned());
    }
    let mut listed = Vec::new();
    let mut cursor: Option<String> = None;
    let mut pages = 0;
    loop {
        let path = match &cursor {
            Some(c) => format!("/v1/albums?limit=2&cursor={c}"),
            None => "/v1/albums?limit=2".to_string(),
        };
        let (s, page) = env.call(Method::GET, &path, Some(&ann), None).await;
        assert_eq!(s, StatusCode::OK, "{page}");
        let albums = page["albums"].as_array().unwrap();
        assert!(albums.len() <= 2, "{page}");
        listed.extend(albums.iter().map(|a| a["album_id"].as_str().unwrap().to_owned()));
        pages += 1;
        match page["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_owned()),
            None => break,
        }
        assert!(pages < 10);
    }
    assert_eq!(pages, 3);
    listed.sort();
    made.sort();
    assert_eq!(listed, made, "every album once");
    for bad in ["/v1/albums?limit=0", "/v1/albums?cursor=not-an-album"] {
        let (s, b) = env.call(Method::GET, bad, Some(&ann), None).await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{bad}: {b}");
    }
    // Another customer's cursor only ever continues the caller's own list.
    let bob = env.customer().await;
    let (s, b) = env
        .call(
            Method::GET,
            &format!("/v1/albums?cursor={}", made[0]),
            Some(&bob),
            None,
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{b}");
    assert_eq!(b["albums"], json!([]));
}
