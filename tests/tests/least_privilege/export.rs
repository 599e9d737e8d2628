//! A full export (X3) with only the template's permissions: the api starts
//! it (its job, marker and key in one transaction, its first step on the
//! exports queue) and mints the links (moto cannot check a presigned
//! request's signer, so the part is read with the operator's keys); the export function reads the
//! account and the originals, writes its part under `exports/` and its
//! work state, hands over nothing here, emails through the notifier, and
//! tidies up.

use integration_tests::TestEnv;
use reqwest::StatusCode;

use super::resources::within_statements;

#[tokio::test]
async fn an_export_is_made_and_its_links_minted_with_only_their_own_permissions() {
    let env = TestEnv::least_privileged(|o| o.run_exporter = false).await;
    let ann = env.new_customer().await;
    // The bytes go in as the presigned PUT would put them (moto cannot
    // check a presigned request's signer), the rest is the functions'.
    let jpeg = integration_tests::testkit::photo_jpeg(320, 240, 503);
    let body =
        serde_json::json!({"file_name": "e.jpg", "content_type": "image/jpeg", "content_length": jpeg.len()});
    let (s, up) = env.post("/v1/uploads", &ann, body).await;
    assert_eq!(s, StatusCode::CREATED, "{up}");
    let id = up["image_id"].as_str().unwrap().to_owned();
    env.put_incoming(&ann.id, &id, jpeg).await;
    assert_eq!(env.settled(&ann, &id).await["status"], "ready");
    let res = env
        .http
        .post(env.url("/v1/exports"))
        .bearer_auth(&ann.token)
        .header("idempotency-key", "least")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::ACCEPTED);
    let export: serde_json::Value = res.json().await.unwrap();
    let export = export["export_id"].as_str().unwrap().to_owned();
    for _ in 0..10 {
        if env.stack.export_once(1).await.unwrap() == 0 {
            break;
        }
    }
    let (s, view) = env.get(&format!("/v1/exports/{export}"), &ann).await;
    assert_eq!(
        (s, view["state"].as_str()),
        (StatusCode::OK, Some("done")),
        "{view}"
    );
    let (s, urls) = env.get(&format!("/v1/exports/{export}/urls"), &ann).await;
    assert_eq!(s, StatusCode::OK, "{urls}");
    // moto cannot check a presigned request's signer (as for uploads): the
    // link is minted, and the part read with the operator's keys.
    assert!(urls["parts"][0]["url"].as_str().unwrap().contains("part-001.zip"));
    let key = view["parts"][0].clone();
    assert_eq!(key["part"], 1, "{view}");
    let keys = env.keys("exports/").await;
    assert_eq!(
        keys.len(),
        1,
        "the part alone; the work state was tidied away: {keys:?}"
    );
    let zip = env
        .stack
        .clients
        .s3
        .get_object()
        .bucket(&env.stack.resources.names.photos_bucket)
        .key(&keys[0])
        .send()
        .await
        .unwrap();
    let zip = zip.body.collect().await.unwrap().into_bytes();
    assert!(
        zip.windows(id.len()).any(|w| w == id.as_bytes()),
        "the image is in the part"
    );
    within_statements(&env).await;
}
