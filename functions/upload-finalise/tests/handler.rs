//! Handler tests fed with the `events/upload-finalise` fixtures. These cover
//! the messages the function settles without storage; the S3 put fixtures run
//! against moto in `tests/tests/fixtures.rs`.

use aws_lambda_events::sqs::SqsEvent;
use printvault_adapters::aws::{local_sdk_config, Clients};
use printvault_adapters::names::ResourceNames;
use upload_finalise::{Config, Finaliser};

async fn finaliser() -> Finaliser {
    // Nothing listens here: a test that reached storage would fail.
    let sdk = local_sdk_config("http://127.0.0.1:9", "us-east-1").await;
    Finaliser::new(
        &Clients::new(&sdk),
        Config::for_names(
            &ResourceNames::new("printvault", "dev"),
            Default::default(),
            "http://127.0.0.1:9/123456789012/printvault-dev-image-events".into(),
        ),
    )
}

fn event(json: &str) -> SqsEvent {
    serde_json::from_str(json).expect("fixture is an SQS event")
}

#[tokio::test]
async fn s3_test_events_are_skipped() {
    let r = finaliser()
        .await
        .handle_batch(event(include_str!(
            "../../../events/upload-finalise/s3-test-event.json"
        )))
        .await;
    assert!(r.batch_item_failures.is_empty());
}

#[tokio::test]
async fn a_poison_message_is_reported_so_it_retries_then_reaches_the_dlq() {
    let r = finaliser()
        .await
        .handle_batch(event(include_str!("../../../events/upload-finalise/poison.json")))
        .await;
    let ids: Vec<_> = r
        .batch_item_failures
        .iter()
        .map(|f| f.item_identifier.as_str())
        .collect();
    assert_eq!(ids, ["8d5a1e5e-poison-0000-0000-000000000000"]);
}

#[tokio::test]
async fn objects_that_are_not_uploads_are_left_alone() {
    for f in [
        include_str!("../../../events/upload-finalise/not-an-upload-key.json"),
        include_str!("../../../events/upload-finalise/other-bucket.json"),
    ] {
        let r = finaliser().await.handle_batch(event(f)).await;
        assert!(r.batch_item_failures.is_empty());
    }
}

#[test]
fn both_event_shapes_parse() {
    for f in [
        include_str!("../../../events/upload-finalise/s3-put-aws.json"),
        include_str!("../../../events/upload-finalise/s3-put-moto.json"),
    ] {
        let e = event(f);
        let body = e.records[0].body.as_deref().unwrap();
        match printvault_adapters::s3_event::parse(body).unwrap() {
            printvault_adapters::s3_event::S3Notice::Created(o) => {
                assert_eq!(o.len(), 1);
                assert!(
                    printvault_adapters::keys::parse_incoming_key(&o[0].key).is_some(),
                    "{}",
                    o[0].key
                );
            }
            other => panic!("{other:?}"),
        }
    }
}
