//! M12 album grants and album links, against moto: a grant or link opens
//! exactly the album's images, and revoking the grant, taking an image out
//! or deleting the album closes them at once.

use integration_tests::{page_ids, Customer, TestEnv, NO_BODY};
use reqwest::StatusCode;
use serde_json::json;

/// Ann, Bob, and Ann's album "Kyoto" holding her first `in_album` images
/// (of three made).
struct Kyoto {
    env: TestEnv,
    ann: Customer,
    bob: Customer,
    aid: String,
    images: Vec<String>,
}

async fn kyoto(in_album: usize) -> Kyoto {
    let env = TestEnv::start().await;
    let (ann, bob) = (env.new_customer().await, env.new_customer().await);
    let mut images = Vec::new();
    for seed in 1..=3 {
        images.push(env.ready_image(&ann, seed).await);
    }
    let (s, album) = env.post("/v1/albums", &ann, json!({"name": "Kyoto"})).await;
    assert_eq!(s, StatusCode::CREATED, "{album}");
    let aid = album["album_id"].as_str().unwrap().to_owned();
    for img in &images[..in_album] {
        let (s, b) = env
            .put(&format!("/v1/albums/{aid}/images/{img}"), &ann, NO_BODY)
            .await;
        assert_eq!(s, StatusCode::NO_CONTENT, "{b}");
    }
    Kyoto {
        env,
        ann,
        bob,
        aid,
        images,
    }
}

impl Kyoto {
    async fn grant_to_bob(&self) {
        let body = json!({"album_id": self.aid, "grantee_email": self.bob.email});
        let (s, g) = self.env.post("/v1/grants", &self.ann, body).await;
        assert_eq!(s, StatusCode::CREATED, "{g}");
    }

    /// An album link's token.
    async fn link(&self) -> String {
        let (s, link) = self
            .env
            .post("/v1/links", &self.ann, json!({"album_id": self.aid}))
            .await;
        assert_eq!(s, StatusCode::CREATED, "{link}");
        link["token"].as_str().unwrap().to_owned()
    }

    async fn bob_gets(&self, path: &str) -> StatusCode {
        self.env.get_status(path, &self.bob).await
    }
}

#[tokio::test]
async fn an_album_grant_opens_the_albums_images_and_nothing_else() {
    let k = kyoto(2).await;
    let (aid, a1, outside) = (&k.aid, &k.images[0], &k.images[2]);
    // Before any grant the album does not exist for Bob.
    assert_eq!(
        k.bob_gets(&format!("/v1/albums/{aid}")).await,
        StatusCode::NOT_FOUND
    );

    k.grant_to_bob().await;
    let (s, seen) = k.env.get(&format!("/v1/albums/{aid}"), &k.bob).await;
    assert_eq!(s, StatusCode::OK, "{seen}");
    let mut got = page_ids(&seen);
    got.sort();
    let mut want = k.images[..2].to_vec();
    want.sort();
    assert_eq!(got, want);
    assert!(
        seen["images"][0].get("sha256").is_none(),
        "grantees get the public view"
    );
    assert_eq!(k.bob_gets(&format!("/v1/images/{a1}")).await, StatusCode::OK);
    let (_, urls) = k.env.get(&format!("/v1/images/{a1}/urls"), &k.bob).await;
    assert!(urls.get("original").is_some());
    assert_eq!(
        k.bob_gets(&format!("/v1/images/{outside}")).await,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn revoking_an_album_grant_closes_the_album_at_once_and_granting_again_reopens_it() {
    let k = kyoto(1).await;
    let (aid, a1) = (&k.aid, &k.images[0]);
    k.grant_to_bob().await;
    let (s, b) = k
        .env
        .delete(&format!("/v1/grants/{aid}/{}", k.bob.id), &k.ann)
        .await;
    assert_eq!(s, StatusCode::NO_CONTENT, "{b}");
    for path in [format!("/v1/albums/{aid}"), format!("/v1/images/{a1}")] {
        assert_eq!(
            k.bob_gets(&path).await,
            StatusCode::NOT_FOUND,
            "{path} after revoking"
        );
    }
    let (_, received) = k.env.get("/v1/grants/received", &k.bob).await;
    assert_eq!(received["grants"], json!([]), "{received}");

    k.grant_to_bob().await;
    assert_eq!(k.bob_gets(&format!("/v1/albums/{aid}")).await, StatusCode::OK);
}

#[tokio::test]
async fn taking_an_image_out_of_an_album_ends_the_grantees_access_to_it_at_once() {
    let k = kyoto(2).await;
    let (aid, a1, a2) = (&k.aid, &k.images[0], &k.images[1]);
    k.grant_to_bob().await;
    let (s, _) = k
        .env
        .delete(&format!("/v1/albums/{aid}/images/{a2}"), &k.ann)
        .await;
    assert_eq!(s, StatusCode::NO_CONTENT);
    assert_eq!(
        k.bob_gets(&format!("/v1/images/{a2}")).await,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        k.bob_gets(&format!("/v1/images/{a1}")).await,
        StatusCode::OK,
        "the rest of the album stays open"
    );
}

#[tokio::test]
async fn an_album_link_shows_anonymous_callers_the_albums_images_only() {
    let k = kyoto(1).await;
    let (a1, outside) = (&k.images[0], &k.images[2]);
    let t = k.link().await;
    let (s, shared) = k.env.get(&format!("/v1/shared/{t}"), None).await;
    assert_eq!(s, StatusCode::OK, "{shared}");
    assert_eq!(page_ids(&shared), vec![a1.clone()]);
    for (path, want) in [
        (format!("/v1/shared/{t}/images/{a1}/urls"), StatusCode::OK),
        (format!("/v1/shared/{t}/images/{outside}"), StatusCode::NOT_FOUND),
        (format!("/v1/shared/{t}/urls"), StatusCode::NOT_FOUND),
    ] {
        assert_eq!(k.env.get_status(&path, None).await, want, "{path}");
    }
}

#[tokio::test]
async fn deleting_an_album_ends_its_grants_and_links_but_keeps_its_images() {
    let k = kyoto(1).await;
    let (aid, a1) = (&k.aid, &k.images[0]);
    k.grant_to_bob().await;
    let t = k.link().await;

    let (s, _) = k.env.delete(&format!("/v1/albums/{aid}"), &k.ann).await;
    assert_eq!(s, StatusCode::NO_CONTENT);
    assert_eq!(
        k.bob_gets(&format!("/v1/albums/{aid}")).await,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        k.bob_gets(&format!("/v1/images/{a1}")).await,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        k.env.get_status(&format!("/v1/shared/{t}"), None).await,
        StatusCode::NOT_FOUND
    );
    let (_, given) = k.env.get("/v1/grants", &k.ann).await;
    assert_eq!(given["grants"], json!([]));
    assert_eq!(
        k.env.get_status(&format!("/v1/images/{a1}"), &k.ann).await,
        StatusCode::OK
    );
}
