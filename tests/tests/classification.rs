//! M10, M11: classes and prices, through the one permission model, against moto.

use integration_tests::TestEnv;
use reqwest::{Method, StatusCode};
use serde_json::json;

#[tokio::test]
async fn classes_decide_what_strangers_see_and_changes_take_effect_at_once() {
    let env = TestEnv::start().await;
    let ann = env.customer().await;
    let bob = env.customer().await;
    let id = env.ready_image(&ann, 61).await;
    let path = format!("/v1/images/{id}");
    let urls = format!("/v1/images/{id}/urls");
    let class = format!("/v1/images/{id}/class");

    // New images are private: strangers and anonymous callers get 404.
    let (_, own) = env.call(Method::GET, &path, Some(&ann), None).await;
    assert_eq!(own["class"], "private");
    for who in [Some(bob.as_str()), None] {
        let (s, b) = env.call(Method::GET, &path, who, None).await;
        assert_eq!(s, StatusCode::NOT_FOUND, "{b}");
        let (s, _) = env.call(Method::GET, &urls, who, None).await;
        assert_eq!(s, StatusCode::NOT_FOUND);
    }

    // Viewable: strangers see metadata and a marked preview, nothing else.
    let (s, b) = env
        .call(
            Method::PUT,
            &class,
            Some(&ann),
            Some(json!({"class": "viewable"})),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{b}");
    let (s, seen) = env.call(Method::GET, &path, Some(&bob), None).await;
    assert_eq!(s, StatusCode::OK, "{seen}");
    assert_eq!(seen["class"], "viewable");
    assert_eq!(seen["printable"], false);
    assert!(
        seen.get("sha256").is_none() && seen.get("file_name").is_none(),
        "{seen}"
    );
    let (s, u) = env.call(Method::GET, &urls, None, None).await;
    assert_eq!(s, StatusCode::OK, "{u}");
    assert!(u.get("original").is_none() && u.get("thumbnail").is_none(), "{u}");
    assert_eq!(u["preview_marked"], true);
    let marked = env
        .http
        .get(u["preview"].as_str().unwrap())
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    let (_, owner_urls) = env.call(Method::GET, &urls, Some(&ann), None).await;
    let clean = env
        .http
        .get(owner_urls["preview"].as_str().unwrap())
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    assert_ne!(marked, clean, "strangers never get the unmarked preview");
    assert_eq!(
        env.keys("marked/").await.len(),
        1,
        "the marked preview is cached once"
    );
    let (_, u2) = env.call(Method::GET, &urls, Some(&bob), None).await;
    let again = env
        .http
        .get(u2["preview"].as_str().unwrap())
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    assert_eq!(again, marked);
    // Served from the cache, not made again: a stand-in put in its place is
    // what the next stranger gets.
    let cached = env.keys("marked/").await.remove(0);
    env.stack
        .clients
        .s3
        .put_object()
        .bucket(&env.stack.resources.names.photos_bucket)
        .key(&cached)
        .body(b"stand-in".to_vec().into())
        .send()
        .await
        .unwrap();
    let (_, u3) = env.call(Method::GET, &urls, None, None).await;
    let served = env
        .http
        .get(u3["preview"].as_str().unwrap())
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    assert_eq!(served.as_ref(), b"stand-in");
    env.stack
        .clients
        .s3
        .put_object()
        .bucket(&env.stack.resources.names.photos_bucket)
        .key(&cached)
        .body(marked.to_vec().into())
        .send()
        .await
        .unwrap();

    // Printable: prices within bounds; strangers see them and a clean preview, never the original.
    for bad in [
        json!({"class": "printable"}),
        json!({"class": "printable", "prices": {"L": 1, "2L": 300}}),
        json!({"class": "viewable", "prices": {"L": 100, "2L": 300}}),
        json!({"class": "public"}),
    ] {
        let (s, b) = env.call(Method::PUT, &class, Some(&ann), Some(bad.clone())).await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{bad}: {b}");
    }
    let (s, _) = env
        .call(
            Method::PUT,
            &class,
            Some(&bob),
            Some(json!({"class": "printable", "prices": {"L": 1000, "2L": 3000}})),
        )
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND, "only the owner classifies");
    let (s, b) = env
        .call(
            Method::PUT,
            &class,
            Some(&ann),
            Some(json!({"class": "printable", "prices": {"L": 120, "2L": 300}})),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{b}");
    let (_, seen) = env.call(Method::GET, &path, None, None).await;
    assert_eq!(seen["prices"], json!({"L": 120, "2L": 300}));
    assert_eq!(seen["printable"], true);
    let (_, u) = env.call(Method::GET, &urls, Some(&bob), None).await;
    assert!(u.get("original").is_none(), "{u}");
    assert!(
        u.get("thumbnail").is_some() && u.get("preview_marked").is_none(),
        "{u}"
    );

    // Back to private: at once, for every caller.
    let (s, _) = env
        .call(Method::PUT, &class, Some(&ann), Some(json!({"class": "private"})))
        .await;
    assert_eq!(s, StatusCode::OK);
    for who in [Some(bob.as_str()), None] {
        let (s, _) = env.call(Method::GET, &path, who, None).await;
        assert_eq!(s, StatusCode::NOT_FOUND);
    }
    let (_, own) = env.call(Method::GET, &path, Some(&ann), None).await;
    assert!(own.get("prices").is_none(), "{own}");

    // Deleting the image removes the cached marked preview too.
    let (s, _) = env.call(Method::DELETE, &path, Some(&ann), None).await;
    assert_eq!(s, StatusCode::NO_CONTENT);
    let left = env.keys_of(&id).await;
    assert!(left.is_empty(), "{left:?}");
}
