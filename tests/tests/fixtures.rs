//! The `events/` fixtures that need storage, run against moto: the api's
//! register, verify and login events, the notifier's notice, and
//! upload-finalise's S3 put events in both the AWS shape and moto's.

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

/// The register event answers 202 and emails a link on the domain API
/// Gateway put in the event (no `PUBLIC_URL` here), never the Host header;
/// once the code is used, the login event opens a session.
#[tokio::test]
async fn api_register_and_login_fixtures() {
    let mut env = TestEnv::start().await;
    env.stack.api_state.public_url = None;
    let (s, b) = api(&env, include_str!("../../events/api/register.json")).await;
    assert_eq!(s, 202, "{b}");
    let mail = env.next_mail("ann@example.com", 0).await;
    assert!(
        mail.body
            .contains("https://abc123.execute-api.us-east-1.amazonaws.com/v1/accounts/verify?code="),
        "{}",
        mail.body
    );
    let (s, b) = env
        .post(
            "/v1/accounts/verify",
            None,
            serde_json::json!({"code": mail.code().unwrap()}),
        )
        .await;
    assert_eq!(s, 201, "{b}");
    let (s, b) = api(&env, include_str!("../../events/api/login.json")).await;
    assert_eq!(s, 201, "{b}");
    assert_eq!(b["token_type"], "Bearer");
    // A well-formed code nobody was sent.
    let (s, b) = api(&env, include_str!("../../events/api/verify.json")).await;
    assert_eq!(s, 400, "{b}");
}

/// The orders fixtures: the operator registers a lab (201, its key shown
/// once, 200 when sent again); a guest's quote of an image that does not
/// exist is refused with the line named; an order of a quote nobody made
/// is a 400.
#[tokio::test]
async fn api_lab_quote_and_order_fixtures() {
    let env = TestEnv::start().await;
    let (s, b) = api(&env, include_str!("../../events/api/register-lab.json")).await;
    assert_eq!(s, 201, "{b}");
    assert_eq!(b["key"].as_str().map(str::len), Some(43), "{b}");
    let (s, b) = api(&env, include_str!("../../events/api/register-lab.json")).await;
    assert_eq!(s, 200, "{b}");
    assert!(b.get("key").is_none(), "the key is shown once: {b}");
    let (s, b) = api(&env, include_str!("../../events/api/quote-as-guest.json")).await;
    assert_eq!(s, 422, "{b}");
    assert!(
        b["error"]["message"].as_str().unwrap().starts_with("line 1"),
        "{b}"
    );
    let (s, b) = api(&env, include_str!("../../events/api/place-guest-order.json")).await;
    assert_eq!(s, 400, "{b}");
    assert!(
        b["error"]["message"].as_str().unwrap().contains("no such quote"),
        "{b}"
    );
}

/// A notice event on the notifier, against moto's SES: sent once, however
/// often it arrives.
#[tokio::test]
async fn notifier_notice_fixture_is_sent_once() {
    let env = TestEnv::with(|o| o.run_pollers = false).await;
    let event: SqsEvent =
        serde_json::from_str(include_str!("../../events/notifier/verify-email.json")).unwrap();
    let to = "dana@example.com";
    let before = env.mails_to(to).await.len();
    for _ in 0..2 {
        let r = env.stack.notifier.handle_batch(event.clone()).await;
        assert!(r.batch_item_failures.is_empty());
    }
    let mails = env.mails_to(to).await;
    assert_eq!(mails.len(), before + 1, "one email for one notice ID");
    assert_eq!(mails[before].subject, "Confirm your email address for printvault");
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
                    "2026-11-21T10:00:00Z".parse().unwrap(),
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
