//! The `events/` fixtures that need storage, run against moto: the api's
//! register and login events, and upload-finalise's S3 put events in both
//! the AWS shape and moto's.

use aws_lambda_events::sqs::SqsEvent;
use integration_tests::{testkit, TestEnv};
use printvault_domain::ids::{CustomerId, ImageId};
use printvault_domain::image::{Image, ImageStatus};
use tower::ServiceExt;

const FIXTURE_CUSTOMER: &str = "cus_01JD0000000000000000000000";

async fn api(env: &TestEnv, fixture: &str) -> (u16, serde_json::Value) {
    let req = lambda_http::request::from_str(fixture).unwrap();
    let res = api::router(env.stack.api_state.clone())
        .oneshot(req)
        .await
        .unwrap();
    let status = res.status().as_u16();
    let body = axum::body::to_bytes(res.into_body(), 1 << 20).await.unwrap();
    (status, serde_json::from_slice(&body).unwrap())
}

#[tokio::test]
async fn api_register_and_login_fixtures() {
    let env = TestEnv::start().await;
    let (s, b) = api(&env, include_str!("../../events/api/register.json")).await;
    assert_eq!(s, 201, "{b}");
    let (s, b) = api(&env, include_str!("../../events/api/login.json")).await;
    assert_eq!(s, 201, "{b}");
    assert_eq!(b["token_type"], "Bearer");
}

#[tokio::test]
async fn upload_finalise_put_fixtures_in_both_shapes() {
    let env = TestEnv::with(|o| o.run_pollers = false).await;
    let bucket = &env.stack.resources.names.photos_bucket;
    let owner = CustomerId::parse(FIXTURE_CUSTOMER).unwrap();
    for (n, fixture) in [
        (1u64, include_str!("../../events/upload-finalise/s3-put-aws.json")),
        (2, include_str!("../../events/upload-finalise/s3-put-moto.json")),
    ] {
        let id = ImageId::parse(&format!("img_01JD000000000000000000000{n}")).unwrap();
        let jpeg = testkit::photo_jpeg(400, 300, 50 + n);
        env.stack
            .api_state
            .stores
            .images
            .put_pending(&Image {
                id: id.clone(),
                ..Image::pending(
                    owner.clone(),
                    None,
                    "image/jpeg",
                    jpeg.len() as u64,
                    "2026-11-21T10:00:00Z".into(),
                )
            })
            .await
            .unwrap();
        let key = printvault_adapters::keys::incoming_key(&owner, &id);
        env.stack
            .clients
            .s3
            .put_object()
            .bucket(bucket)
            .key(&key)
            .body(jpeg.into())
            .send()
            .await
            .unwrap();
        let event: SqsEvent =
            serde_json::from_str(&fixture.replace("printvault-dev-photos", bucket)).unwrap();
        let r = env.stack.finaliser.handle_batch(event).await;
        assert!(r.batch_item_failures.is_empty());
        let image = env
            .stack
            .api_state
            .stores
            .images
            .get(&owner, &id)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(image.status, ImageStatus::Ready, "fixture {n}");
    }
}
