//! M10, M11: classes and prices, through the one permission model, against
//! moto: what strangers see of a private, viewable or printable image, the
//! marked preview they get and its cache, and class changes taking effect
//! at once.

use integration_tests::{Customer, TestEnv};
use reqwest::StatusCode;
use serde_json::{json, Value};

/// Ann's ready image, and Bob, a stranger to it.
struct Photo {
    env: TestEnv,
    ann: Customer,
    bob: Customer,
    id: String,
}

async fn photo() -> Photo {
    let env = TestEnv::start().await;
    let (ann, bob) = (env.new_customer().await, env.new_customer().await);
    let id = env.ready_image(&ann, 61).await;
    Photo { env, ann, bob, id }
}

impl Photo {
    fn path(&self) -> String {
        format!("/v1/images/{}", self.id)
    }

    fn urls(&self) -> String {
        format!("/v1/images/{}/urls", self.id)
    }

    async fn classify(&self, body: Value) {
        let (s, b) = self
            .env
            .put(&format!("/v1/images/{}/class", self.id), &self.ann, body)
            .await;
        assert_eq!(s, StatusCode::OK, "{b}");
    }

    /// The bytes behind a URL the api handed out.
    async fn fetch(&self, url: &Value) -> Vec<u8> {
        let res = self.env.http.get(url.as_str().unwrap()).send().await.unwrap();
        res.bytes().await.unwrap().to_vec()
    }

    /// Replaces an object in the photos bucket.
    async fn put_object(&self, key: &str, bytes: Vec<u8>) {
        let s = &self.env.stack;
        s.clients
            .s3
            .put_object()
            .bucket(&s.resources.names.photos_bucket)
            .key(key)
            .body(bytes.into())
            .send()
            .await
            .unwrap();
    }
}

#[tokio::test]
async fn a_new_image_is_private_to_its_owner() {
    let p = photo().await;
    let (_, own) = p.env.get(&p.path(), &p.ann).await;
    assert_eq!(own["class"], "private");
    for who in [Some(p.bob.token.as_str()), None] {
        let (s, b) = p.env.get(&p.path(), who).await;
        assert_eq!(s, StatusCode::NOT_FOUND, "{b}");
        assert_eq!(p.env.get_status(&p.urls(), who).await, StatusCode::NOT_FOUND);
    }
}

#[tokio::test]
async fn a_viewable_image_shows_strangers_its_details_and_a_marked_preview_only() {
    let p = photo().await;
    p.classify(json!({"class": "viewable"})).await;
    let (s, seen) = p.env.get(&p.path(), &p.bob).await;
    assert_eq!(s, StatusCode::OK, "{seen}");
    assert_eq!(seen["class"], "viewable");
    assert_eq!(seen["printable"], false);
    assert!(
        seen.get("sha256").is_none() && seen.get("file_name").is_none(),
        "{seen}"
    );
    let (s, u) = p.env.get(&p.urls(), None).await;
    assert_eq!(s, StatusCode::OK, "{u}");
    assert!(u.get("original").is_none() && u.get("thumbnail").is_none(), "{u}");
    assert_eq!(u["preview_marked"], true);
    let marked = p.fetch(&u["preview"]).await;
    let (_, owner_urls) = p.env.get(&p.urls(), &p.ann).await;
    let clean = p.fetch(&owner_urls["preview"]).await;
    assert_ne!(marked, clean, "strangers never get the unmarked preview");
}

#[tokio::test]
async fn a_strangers_marked_preview_is_made_once_and_then_served_from_the_cache() {
    let p = photo().await;
    p.classify(json!({"class": "viewable"})).await;
    let (_, u) = p.env.get(&p.urls(), None).await;
    let marked = p.fetch(&u["preview"]).await;
    assert_eq!(
        p.env.keys("marked/").await.len(),
        1,
        "the marked preview is cached once"
    );
    let (_, u2) = p.env.get(&p.urls(), &p.bob).await;
    assert_eq!(p.fetch(&u2["preview"]).await, marked);

    // Served from the cache, not made again: a stand-in put in its place is
    // what the next stranger gets.
    let cached = p.env.keys("marked/").await.remove(0);
    p.put_object(&cached, b"stand-in".to_vec()).await;
    let (_, u3) = p.env.get(&p.urls(), None).await;
    assert_eq!(p.fetch(&u3["preview"]).await, b"stand-in");
}

#[tokio::test]
async fn a_class_and_its_prices_are_checked_and_only_the_owner_sets_them() {
    let p = photo().await;
    let class = format!("/v1/images/{}/class", p.id);
    for bad in [
        json!({"class": "printable"}),
        json!({"class": "printable", "prices": {"L": 1, "2L": 300}}),
        json!({"class": "viewable", "prices": {"L": 100, "2L": 300}}),
        json!({"class": "public"}),
    ] {
        let (s, b) = p.env.put(&class, &p.ann, bad.clone()).await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{bad}: {b}");
    }
    let (s, _) = p
        .env
        .put(
            &class,
            &p.bob,
            json!({"class": "printable", "prices": {"L": 1000, "2L": 3000}}),
        )
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND, "only the owner classifies");
}

#[tokio::test]
async fn a_printable_image_shows_strangers_its_prices_and_a_clean_preview_never_the_original() {
    let p = photo().await;
    p.classify(json!({"class": "printable", "prices": {"L": 120, "2L": 300}}))
        .await;
    let (_, seen) = p.env.get(&p.path(), None).await;
    assert_eq!(seen["prices"], json!({"L": 120, "2L": 300}));
    assert_eq!(seen["printable"], true);
    let (_, u) = p.env.get(&p.urls(), &p.bob).await;
    assert!(u.get("original").is_none(), "{u}");
    assert!(
        u.get("thumbnail").is_some() && u.get("preview_marked").is_none(),
        "{u}"
    );
}

#[tokio::test]
async fn making_an_image_private_again_hides_it_from_every_caller_at_once() {
    let p = photo().await;
    p.classify(json!({"class": "printable", "prices": {"L": 120, "2L": 300}}))
        .await;
    p.classify(json!({"class": "private"})).await;
    for who in [Some(p.bob.token.as_str()), None] {
        assert_eq!(p.env.get_status(&p.path(), who).await, StatusCode::NOT_FOUND);
    }
    let (_, own) = p.env.get(&p.path(), &p.ann).await;
    assert!(own.get("prices").is_none(), "{own}");
}

#[tokio::test]
async fn purging_an_image_removes_its_cached_marked_preview_too() {
    let p = photo().await;
    p.classify(json!({"class": "viewable"})).await;
    let (_, u) = p.env.get(&p.urls(), None).await;
    p.fetch(&u["preview"]).await;
    assert_eq!(p.env.keys("marked/").await.len(), 1, "cached");
    p.classify(json!({"class": "private"})).await;

    let (s, _) = p.env.delete(&p.path(), &p.ann).await;
    assert_eq!(s, StatusCode::NO_CONTENT);
    let (s, _) = p.env.delete(&format!("/v1/trash/{}", p.id), &p.ann).await;
    assert_eq!(s, StatusCode::NO_CONTENT, "purged from the trash");
    let left = p.env.keys_of(&p.id).await;
    assert!(left.is_empty(), "{left:?}");
}
