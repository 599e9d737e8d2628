//! Handler tests fed with the `events/classify` fixtures. These cover the
//! messages the function settles without storage; `image-ready.json` and
//! `attributes-changed.json` need an image record and run against moto in
//! `tests/tests/classify.rs` and `tests/tests/fixtures.rs`.
//!
//! An unknown `kind` is reported as a failure, like a malformed body: it
//! comes from a producer newer than this consumer, and after three receives
//! it waits in the DLQ to be redriven once classify understands it, rather
//! than being dropped.

use classify::{Classifier, Config};
use printvault_adapters::testing::{failed_ids, names, offline_clients, sqs_event as event};
use printvault_domain::ids::{CustomerId, ImageId};
use printvault_domain::image_event::{self, Kind};

async fn classifier() -> Classifier {
    Classifier::new(
        &offline_clients().await,
        Config::for_names(&names(), &Default::default()),
    )
}

#[tokio::test]
async fn a_malformed_event_is_reported_so_it_retries_then_reaches_the_dlq() {
    let r = classifier()
        .await
        .handle_batch(event(include_str!("../../../events/classify/malformed.json")))
        .await;
    assert_eq!(failed_ids(&r), ["3b6f1c2e-malformed-0000-000000000002"]);
}

#[tokio::test]
async fn an_unknown_kind_is_reported_too() {
    let r = classifier()
        .await
        .handle_batch(event(include_str!("../../../events/classify/unknown-kind.json")))
        .await;
    assert_eq!(failed_ids(&r), ["3b6f1c2e-unknown-0000-0000-000000000003"]);
}

#[tokio::test]
async fn each_bad_message_of_a_batch_is_reported_alone() {
    let mut batch = event(include_str!("../../../events/classify/malformed.json"));
    batch
        .records
        .extend(event(include_str!("../../../events/classify/unknown-kind.json")).records);
    let mut not_json = batch.records[0].clone();
    not_json.message_id = Some("not-json".into());
    not_json.body = Some("this is not an image event".into());
    batch.records.push(not_json);
    let r = classifier().await.handle_batch(batch).await;
    assert_eq!(
        failed_ids(&r),
        [
            "3b6f1c2e-malformed-0000-000000000002",
            "3b6f1c2e-unknown-0000-0000-000000000003",
            "not-json"
        ]
    );
}

#[test]
fn the_ready_fixture_names_the_fixture_image() {
    let e = event(include_str!("../../../events/classify/image-ready.json"));
    let ready = image_event::parse(e.records[0].body.as_deref().unwrap()).unwrap();
    assert_eq!(
        ready.owner,
        CustomerId::parse("cus_01JD0000000000000000000000").unwrap()
    );
    assert_eq!(
        ready.image_id,
        ImageId::parse("img_01JD0000000000000000000001").unwrap()
    );
    // What upload-finalise sends is what the fixture holds.
    assert_eq!(ready.to_body(), e.records[0].body.as_deref().unwrap());
}

#[test]
fn the_attributes_changed_fixture_is_what_the_api_sends() {
    let e = event(include_str!("../../../events/classify/attributes-changed.json"));
    let body = e.records[0].body.as_deref().unwrap();
    let changed = image_event::parse(body).unwrap();
    assert_eq!(changed.kind, Kind::AttributesChanged);
    assert_eq!(
        image_event::ImageEvent::attributes_changed(&changed.owner, &changed.image_id).to_body(),
        body
    );
}
