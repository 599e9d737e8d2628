//! Handler tests fed with the `events/upload-finalise` fixtures. These cover
//! the messages the function settles without storage; the S3 put fixtures run
//! against moto in `tests/tests/fixtures.rs`.

use printvault_adapters::testing::{failed_ids, names, offline_clients, offline_queue, sqs_event as event};
use upload_finalise::{Config, Finaliser};

async fn finaliser() -> Finaliser {
    Finaliser::new(
        &offline_clients().await,
        Config::for_names(
            &names(),
            Default::default(),
            offline_queue("printvault-dev-image-events"),
        ),
    )
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
    assert_eq!(failed_ids(&r), ["8d5a1e5e-poison-0000-0000-000000000000"]);
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
