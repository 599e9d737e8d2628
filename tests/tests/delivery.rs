//! At-least-once delivery: the same event twice, a crash between steps
//! followed by a redelivery, a poison message among good ones, and a delete
//! racing the finalise. Here the tests drive the uploads queue themselves.

use aws_sdk_dynamodb::types::AttributeValue;
use integration_tests::{sqs_event, testkit, TestEnv};
use printvault_adapters::dynamo::key;
use printvault_adapters::keys;
use printvault_domain::ids::{CustomerId, ImageId};
use reqwest::{Method, StatusCode};

async fn manual() -> TestEnv {
    let env = TestEnv::with(|o| o.run_pollers = false).await;
    // Drop the s3:TestEvent that configuring the notification sent.
    env.drain(&env.stack.resources.uploads_queue_url).await;
    env
}

/// Takes the S3 event bodies waiting in the uploads queue.
async fn take_events(env: &TestEnv, n: usize) -> Vec<String> {
    let mut bodies = Vec::new();
    for _ in 0..20 {
        bodies.extend(env.drain(&env.stack.resources.uploads_queue_url).await);
        if bodies.len() >= n {
            break;
        }
    }
    assert_eq!(bodies.len(), n, "{bodies:?}");
    bodies
}

async fn image_records(env: &TestEnv, owner: &CustomerId) -> usize {
    env.items_in(&keys::customer_pk(owner)).await
}

#[tokio::test]
async fn the_same_event_twice_makes_one_image() {
    let env = manual().await;
    let token = env.customer().await;
    let owner = env.owner_id(&token).await;
    let id = env
        .upload(&token, &testkit::photo_jpeg(800, 600, 21), "image/jpeg")
        .await;
    let body = take_events(&env, 1).await.remove(0);

    // Twice in one batch, then once more in another.
    let r = env.stack.finaliser.handle_batch(sqs_event(&[&body, &body])).await;
    assert!(r.batch_item_failures.is_empty());
    let first = env.settled(&token, &id).await;
    let r = env.stack.finaliser.handle_batch(sqs_event(&[&body])).await;
    assert!(r.batch_item_failures.is_empty());
    let second = env.settled(&token, &id).await;

    assert_eq!(first, second, "a redelivery changes nothing");
    assert_eq!(first["status"], "ready");
    assert_eq!(env.keys_of(&id).await.len(), 3);
    // The image record, its content-hash claim, the archive schedule (M29).
    assert_eq!(image_records(&env, &owner).await, 3);
}

#[tokio::test]
async fn a_crash_between_steps_then_a_redelivery_leaves_one_image_and_no_orphans() {
    let env = manual().await;
    let token = env.customer().await;
    let owner = env.owner_id(&token).await;
    let jpeg = testkit::photo_jpeg(800, 600, 22);
    let id = env.upload(&token, &jpeg, "image/jpeg").await;
    let body = take_events(&env, 1).await.remove(0);
    assert!(env
        .stack
        .finaliser
        .handle_batch(sqs_event(&[&body]))
        .await
        .batch_item_failures
        .is_empty());
    let done = env.settled(&token, &id).await;
    let image_id = ImageId::parse(&id).unwrap();
    let incoming = keys::incoming_key(&owner, &image_id);
    let names = &env.stack.resources.names;

    // Crash after the renditions and hash claim were written but before the
    // record was settled: the record is pending and incoming/ still exists.
    env.stack
        .clients
        .dynamodb
        .update_item()
        .table_name(&names.images_table)
        .set_key(Some(key(keys::customer_pk(&owner), keys::image_sk(&image_id))))
        .update_expression("SET #s = :p REMOVE finalised")
        .expression_attribute_names("#s", "status")
        .expression_attribute_values(":p", AttributeValue::S("pending".into()))
        .send()
        .await
        .unwrap();
    env.stack
        .clients
        .s3
        .put_object()
        .bucket(&names.photos_bucket)
        .key(&incoming)
        .body(jpeg.clone().into())
        .send()
        .await
        .unwrap();
    assert!(env
        .stack
        .finaliser
        .handle_batch(sqs_event(&[&body]))
        .await
        .batch_item_failures
        .is_empty());
    let again = env.settled(&token, &id).await;
    assert_eq!(again["status"], "ready");
    assert_eq!(again["sha256"], done["sha256"]);
    assert_eq!(env.keys_of(&id).await.len(), 3, "no orphan, no incoming left");
    assert_eq!(image_records(&env, &owner).await, 3);

    // Crash after settling but before deleting incoming/.
    env.stack
        .clients
        .s3
        .put_object()
        .bucket(&names.photos_bucket)
        .key(&incoming)
        .body(jpeg.into())
        .send()
        .await
        .unwrap();
    assert!(env
        .stack
        .finaliser
        .handle_batch(sqs_event(&[&body]))
        .await
        .batch_item_failures
        .is_empty());
    assert_eq!(env.settled(&token, &id).await, again);
    assert_eq!(env.keys_of(&id).await.len(), 3);
}

#[tokio::test]
async fn a_poison_message_ends_in_the_dlq_and_the_rest_of_its_batch_is_finalised() {
    let env = manual().await;
    let token = env.customer().await;
    let a = env
        .upload(&token, &testkit::photo_jpeg(640, 480, 31), "image/jpeg")
        .await;
    let b = env
        .upload(&token, &testkit::photo_png(320, 240, 32), "image/png")
        .await;
    let q = env.stack.resources.uploads_queue_url.clone();
    env.stack
        .clients
        .sqs
        .send_message()
        .queue_url(&q)
        .message_body("{\"Records\": \"poison\"}")
        .send()
        .await
        .unwrap();

    // Play the event source mapping until the queue is empty. The queue's
    // visibility timeout is 1 s and maxReceiveCount 3 in tests.
    let mut polls = 0;
    while env.queue_depth(&q).await.unwrap() > 0 {
        env.stack.finalise_once(2).await.unwrap();
        polls += 1;
        assert!(polls < 30, "queue never drained");
    }
    assert_eq!(env.settled(&token, &a).await["status"], "ready");
    assert_eq!(env.settled(&token, &b).await["status"], "ready");
    let parked = env.drain(&env.stack.resources.uploads_dlq_url).await;
    assert_eq!(
        parked,
        vec!["{\"Records\": \"poison\"}".to_string()],
        "only the poison is parked"
    );
}

#[tokio::test]
async fn deleting_an_upload_before_it_is_finalised_leaves_nothing() {
    let env = manual().await;
    let token = env.customer().await;
    let id = env
        .upload(&token, &testkit::photo_jpeg(640, 480, 41), "image/jpeg")
        .await;
    let body = take_events(&env, 1).await.remove(0);
    let (s, _) = env
        .call(Method::DELETE, &format!("/v1/images/{id}"), Some(&token), None)
        .await;
    assert_eq!(s, StatusCode::NO_CONTENT);
    assert!(env
        .stack
        .finaliser
        .handle_batch(sqs_event(&[&body]))
        .await
        .batch_item_failures
        .is_empty());
    assert!(env.keys_of(&id).await.is_empty());
    let (s, _) = env
        .call(Method::GET, &format!("/v1/images/{id}"), Some(&token), None)
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
}

/// upload-finalise near the end of its Lambda time starts nothing more: the
/// messages it has no time for are handed back as batch item failures, and
/// a later batch finalises them (issue 7, item 8).
#[tokio::test]
async fn a_batch_near_its_deadline_hands_back_what_it_cannot_start() {
    use printvault_adapters::lambda::Deadline;
    let env = manual().await;
    let token = env.customer().await;
    let mut ids = Vec::new();
    for seed in 0..3 {
        ids.push(
            env.upload(&token, &testkit::photo_jpeg(320, 240, 400 + seed), "image/jpeg")
                .await,
        );
    }
    let bodies = take_events(&env, 3).await;
    let batch = sqs_event(&bodies.iter().map(String::as_str).collect::<Vec<_>>());
    let ids_of = |r: &aws_lambda_events::sqs::SqsBatchResponse| {
        r.batch_item_failures
            .iter()
            .map(|f| f.item_identifier.clone())
            .collect::<Vec<_>>()
    };
    let all: Vec<String> = batch
        .records
        .iter()
        .map(|m| m.message_id.clone().unwrap())
        .collect();

    // Less time left than one upload needs: all three handed back, unstarted.
    let short = Deadline {
        at: tokio::time::Instant::now() + std::time::Duration::from_secs(5),
        reserve: std::time::Duration::from_secs(10),
    };
    let r = env.stack.finaliser.handle_batch_until(batch.clone(), short).await;
    assert_eq!(ids_of(&r), all);
    for id in &ids {
        let (_, b) = env.get(&format!("/v1/images/{id}"), token.as_str()).await;
        assert_eq!(b["status"], "pending", "nothing was started");
    }
    // Redelivered with time enough, they are finalised.
    let r = env.stack.finaliser.handle_batch(batch).await;
    assert!(ids_of(&r).is_empty());
    for id in &ids {
        assert_eq!(env.settled(&token, id).await["status"], "ready");
    }
}

/// Issue 18, item 8: an image is never `ready` without being on its
/// owner's storage meter. The record, its `metered` mark and the meter
/// change in one transaction, so a finaliser that cannot write the meter
/// leaves the upload pending for its retry (before, it settled `ready` and
/// metered in a later step, which a reader could see in between, and which
/// a failure left undone). Once billing works, the same event settles it
/// with the meter already there: no waiting.
#[tokio::test]
async fn a_ready_image_is_on_its_meter_in_the_same_write() {
    let env = manual().await;
    let token = env.customer().await;
    let owner = env.owner_id(&token).await;
    let id = env
        .upload(&token, &testkit::photo_jpeg(640, 480, 23), "image/jpeg")
        .await;
    let body = take_events(&env, 1).await.remove(0);
    let names = &env.stack.resources.names;
    let mut config = upload_finalise::Config::for_names(
        names,
        Default::default(),
        env.stack.resources.image_events_queue_url.clone(),
    );
    config.billing_table = format!("{}-no-such-table", names.billing_table);
    let broken = upload_finalise::Finaliser::new(&env.stack.clients, config);
    let r = broken.handle_batch(sqs_event(&[&body])).await;
    assert_eq!(r.batch_item_failures.len(), 1, "the message is retried");
    let image_id = ImageId::parse(&id).unwrap();
    let record = env.record(&owner, &image_id).await.expect("the record");
    assert_eq!(record.status.as_str(), "pending", "not ready without its meter");

    let r = env.stack.finaliser.handle_batch(sqs_event(&[&body])).await;
    assert!(r.batch_item_failures.is_empty());
    assert_eq!(env.settled(&token, &id).await["status"], "ready");
    let billing = printvault_adapters::billing::BillingStore::new(
        env.stack.clients.dynamodb.clone(),
        &names.billing_table,
        &names.images_table,
        &Default::default(),
    );
    let meter = billing
        .meter(&owner)
        .await
        .unwrap()
        .expect("metered with the settle");
    let record = env.record(&owner, &image_id).await.unwrap();
    let bytes = record.finalised.as_ref().unwrap().bytes;
    assert_eq!(meter.meter.bytes, bytes);
}
