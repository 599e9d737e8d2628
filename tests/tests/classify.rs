//! M12 classify's events, against moto: upload-finalise announces ready
//! images only (again on a redelivery), classify skips images that are gone
//! or not ready without a retry, files the fixture events in `events/`, and
//! a poison message ends in the image-events DLQ. Filing end to end is in
//! `auto_albums.rs`.

use aws_lambda_events::sqs::SqsEvent;
use integration_tests::{image_id, jpeg_taken_at, sqs_event, testkit, TestEnv};
use local_runner::provision::QueueSettings;
use printvault_domain::album::AlbumKind;
use printvault_domain::ids::{CustomerId, ImageId};
use printvault_domain::image::{Attributes, Finalised, Image};
use printvault_domain::image_event::ImageEvent;
use printvault_domain::upload::Outcome;
use serde_json::{json, Value};

/// A stack whose queues only the test drives.
async fn manual() -> TestEnv {
    TestEnv::with(|o| o.run_pollers = false).await
}

#[tokio::test]
async fn images_that_are_gone_or_not_ready_are_skipped_without_retry() {
    let env = manual().await;
    let ann = env.new_customer().await;
    // Never finalised (no poller): still pending.
    let pending = env
        .upload(&ann, &jpeg_taken_at(83, "2024:05:03 14:30:00"), "image/jpeg")
        .await;
    let gone = ImageId::generate().to_string();
    for id in [&pending, &gone] {
        let body = ImageEvent::ready(&ann.customer_id(), &image_id(id)).to_body();
        let r = env.stack.classifier.handle_batch(sqs_event(&[&body])).await;
        assert!(r.batch_item_failures.is_empty(), "{id}");
    }
    assert!(env.auto_albums(&ann).await.is_empty());
}

#[tokio::test]
async fn a_poison_message_ends_in_the_image_events_dlq_and_the_rest_is_filed() {
    let env = TestEnv::with(|o| {
        o.run_pollers = false;
        o.queues.image_events = QueueSettings {
            visibility_timeout_secs: 1,
            max_receive_count: 3,
        };
    })
    .await;
    let ann = env.new_customer().await;
    let id = env
        .upload(&ann, &jpeg_taken_at(84, "2023:12:24 20:00:00"), "image/jpeg")
        .await;
    // Play upload-finalise until the image is ready; it announces the image.
    let mut polls = 0;
    loop {
        let (_, image) = env.get(&format!("/v1/images/{id}"), &ann).await;
        if image["status"] != "pending" {
            assert_eq!(image["status"], "ready", "{image}");
            break;
        }
        env.stack.finalise_once(1).await.unwrap();
        polls += 1;
        assert!(polls < 30, "never finalised");
    }
    let queue = env.stack.resources.image_events_queue_url.clone();
    let poison = "{\"kind\": \"image.ready\", \"owner\": 42}";
    env.stack
        .clients
        .sqs
        .send_message()
        .queue_url(&queue)
        .message_body(poison)
        .send()
        .await
        .unwrap();

    // Play classify's event source mapping until the queue is empty. The
    // queue's visibility timeout is 1 s and maxReceiveCount 3 here.
    let mut polls = 0;
    while env.queue_depth(&queue).await.unwrap() > 0 {
        env.stack.classify_once(2).await.unwrap();
        polls += 1;
        assert!(polls < 30, "image-events queue never drained");
    }
    let parked = env.drain(&env.stack.resources.image_events_dlq_url).await;
    assert_eq!(parked, [poison], "only the poison is parked");
    let albums = env.auto_albums(&ann).await;
    assert_eq!(albums.len(), 1);
    assert_eq!(albums[0].0, "December 2023");
    assert_eq!(env.album_images(&ann, &albums[0].1).await, [id]);
}

const FIXTURE_CUSTOMER: &str = "cus_01JD0000000000000000000000";
const FIXTURE_IMAGE: &str = "img_01JD0000000000000000000001";

fn ready_fixture() -> SqsEvent {
    serde_json::from_str(include_str!("../../events/classify/image-ready.json")).unwrap()
}

fn changed_fixture() -> SqsEvent {
    serde_json::from_str(include_str!("../../events/classify/attributes-changed.json")).unwrap()
}

fn fixture_ids() -> (CustomerId, ImageId) {
    (
        CustomerId::parse(FIXTURE_CUSTOMER).unwrap(),
        ImageId::parse(FIXTURE_IMAGE).unwrap(),
    )
}

/// Stores the fixture image as a pending upload.
async fn put_fixture_pending(env: &TestEnv) {
    let (owner, id) = fixture_ids();
    let pending = Image {
        id,
        ..Image::pending(
            owner,
            None,
            "image/jpeg",
            1000,
            "2026-11-21T10:00:00Z".parse().unwrap(),
        )
    };
    env.stack
        .api_state
        .stores
        .images
        .put_pending(&pending)
        .await
        .unwrap();
}

/// Stores the fixture image, ready: taken 2024-05-03 at the "Kyoto Trip".
async fn put_fixture_ready(env: &TestEnv) {
    put_fixture_pending(env).await;
    let (owner, id) = fixture_ids();
    let ready = Outcome::Ready {
        finalised: Finalised {
            format: "jpeg".into(),
            bytes: 1000,
            width: 640,
            height: 480,
            sha256: "00".repeat(32),
            phash: "0000000000000000".into(),
            finalised_at: "2026-11-21T10:00:01Z".parse().unwrap(),
        },
        attributes: Attributes {
            taken_at: Some("2024-05-03T14:30:00".into()),
            event: Some("Kyoto Trip".into()),
            ..Default::default()
        },
    };
    let settled = env
        .stack
        .api_state
        .stores
        .images
        .settle(&owner, &id, &ready, None)
        .await
        .unwrap();
    assert_eq!(settled, printvault_adapters::images::SettleAttempt::Done);
}

/// Hands `event` to classify `times` times; none may fail.
async fn classify_times(env: &TestEnv, event: SqsEvent, times: usize) {
    for _ in 0..times {
        let r = env.stack.classifier.handle_batch(event.clone()).await;
        assert!(r.batch_item_failures.is_empty());
    }
}

/// The fixture customer's automatic albums as (key, image IDs), by key.
async fn fixture_albums(env: &TestEnv) -> Vec<(String, Value)> {
    let albums = &env.stack.api_state.stores.albums;
    let mut filed = Vec::new();
    for a in albums.list(&fixture_ids().0).await.unwrap() {
        assert_eq!(a.kind, AlbumKind::Auto);
        let page = albums.images(&a.album_id, 10, None).await.unwrap();
        let ids: Vec<String> = page.items.iter().map(ToString::to_string).collect();
        filed.push((a.auto_key.clone().unwrap(), json!(ids)));
    }
    filed.sort_by(|a, b| a.0.cmp(&b.0));
    filed
}

#[tokio::test]
async fn the_image_ready_fixture_is_skipped_while_its_image_is_gone_or_pending() {
    let env = manual().await;
    classify_times(&env, ready_fixture(), 1).await;
    assert!(fixture_albums(&env).await.is_empty(), "gone");
    put_fixture_pending(&env).await;
    classify_times(&env, ready_fixture(), 1).await;
    assert!(fixture_albums(&env).await.is_empty(), "pending");
}

#[tokio::test]
async fn the_image_ready_fixture_files_the_ready_fixture_image_once() {
    let env = manual().await;
    put_fixture_ready(&env).await;
    classify_times(&env, ready_fixture(), 2).await;
    assert_eq!(
        fixture_albums(&env).await,
        [
            ("event:kyoto trip".to_string(), json!([FIXTURE_IMAGE])),
            ("month:2024-05".to_string(), json!([FIXTURE_IMAGE])),
        ]
    );
}

#[tokio::test]
async fn the_attributes_changed_fixture_files_the_image_again() {
    let env = manual().await;
    put_fixture_ready(&env).await;
    classify_times(&env, ready_fixture(), 1).await;
    // The owner drops the event and moves the date; the attributes-changed
    // fixture (what the api then sends) files the image again, twice over.
    let (owner, id) = fixture_ids();
    let images = &env.stack.api_state.stores.images;
    let before = images.get(&owner, &id).await.unwrap().unwrap();
    let mut after = before.clone();
    after.attributes.event = None;
    after.attributes.taken_at = Some("2024-06-01T08:00:00".into());
    images
        .save_details(&before, &after, &env.stack.api_state.stores.search)
        .await
        .unwrap();
    classify_times(&env, changed_fixture(), 2).await;
    assert_eq!(
        fixture_albums(&env).await,
        [
            ("event:kyoto trip".to_string(), json!([])),
            ("month:2024-05".to_string(), json!([])),
            ("month:2024-06".to_string(), json!([FIXTURE_IMAGE])),
        ],
        "out of the albums it left, into the new month; empty albums stay until their owner deletes them"
    );
}

/// Takes the S3 event bodies waiting in the uploads queue (skipping S3's test event).
async fn upload_events(env: &TestEnv, n: usize) -> Vec<String> {
    let mut bodies = Vec::new();
    for _ in 0..20 {
        let got = env.drain(&env.stack.resources.uploads_queue_url).await;
        bodies.extend(got.into_iter().filter(|b| !b.contains("s3:TestEvent")));
        if bodies.len() >= n {
            break;
        }
    }
    assert_eq!(bodies.len(), n, "{bodies:?}");
    bodies
}

/// A good and a bad upload of Ann's, finalised from one batch of their S3
/// events. Returns the batch's bodies, the good image's ID and what
/// image.ready for it says.
async fn finalised_pair(env: &TestEnv) -> (Vec<String>, String, String) {
    let ann = env.new_customer().await;
    let good = env
        .upload(&ann, &jpeg_taken_at(85, "2024:05:03 14:30:00"), "image/jpeg")
        .await;
    let bad = env.upload(&ann, &testkit::not_an_image(), "image/jpeg").await;
    let bodies = upload_events(env, 2).await;
    let batch: Vec<&str> = bodies.iter().map(String::as_str).collect();
    let r = env.stack.finaliser.handle_batch(sqs_event(&batch)).await;
    assert!(r.batch_item_failures.is_empty());
    assert_eq!(env.settled(&ann, &good).await["status"], "ready");
    assert_eq!(env.settled(&ann, &bad).await["status"], "rejected");
    let want = ImageEvent::ready(&ann.customer_id(), &image_id(&good)).to_body();
    (bodies, good, want)
}

#[tokio::test]
async fn only_ready_uploads_are_announced() {
    let env = manual().await;
    let (_, _, want) = finalised_pair(&env).await;
    assert_eq!(
        env.drain(&env.stack.resources.image_events_queue_url).await,
        [want],
        "one image.ready, for the ready upload only"
    );
}

#[tokio::test]
async fn a_redelivered_upload_event_announces_the_image_again() {
    let env = manual().await;
    let (bodies, good, want) = finalised_pair(&env).await;
    let events = env.stack.resources.image_events_queue_url.clone();
    // As if the first delivery crashed between settling and announcing: the
    // announcement is lost, and the S3 event comes again.
    env.drain(&events).await;
    let batch: Vec<&str> = bodies.iter().map(String::as_str).collect();
    let r = env.stack.finaliser.handle_batch(sqs_event(&batch)).await;
    assert!(r.batch_item_failures.is_empty());
    assert_eq!(env.drain(&events).await, [want]);
    assert_eq!(env.keys_of(&good).await.len(), 3, "no incoming left");
}
