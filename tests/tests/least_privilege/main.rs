//! The functions at work with only their own template permissions (issue
//! 7, item 7), on a moto that enforces IAM: registering (api, notifier), an
//! upload finalised and filed (upload-finalise, classify), a stranger's
//! marked preview and a grantee's original without location (the api's
//! copies), search, the catalogue's labs, an order paid and dispatched to
//! its lab's queue (api, print-dispatch), and deleting the image with all
//! its objects. A call outside a function's policy is refused, so a
//! missing permission fails here instead of on AWS. Where moto checks only
//! the action (DynamoDB, SES, Secrets Manager), each walk ends by checking
//! every call's resource against the function's statements
//! (`integration_tests::recorded`). What is enforced and what is checked
//! is in docs/deploy.md.

use integration_tests::{testkit, TestEnv, NO_BODY};
use printvault_adapters::aws::{local_sdk_config_as, Clients};
use reqwest::StatusCode;
use serde_json::json;

mod export;
mod resources;
use resources::within_statements;

async fn clients_of(env: &TestEnv, user: &str) -> Clients {
    let keys = integration_tests::iam::keys_of(user);
    Clients::new(&local_sdk_config_as(&env.stack.endpoint, "us-east-1", &keys.0, &keys.1).await)
}

#[tokio::test]
async fn each_function_does_its_work_with_only_its_own_permissions() {
    // With the distribution's proof, which the api reads from its secret, as deployed.
    let env = TestEnv::least_privileged(|o| o.origin_verify = Some("v".repeat(48))).await;
    let (ann, bob, eve) = (
        env.new_customer().await,
        env.new_customer().await,
        env.new_customer().await,
    );

    // An upload: the bytes go in as the presigned PUT would put them (moto
    // cannot check a presigned request's signer), the rest is the functions'.
    let jpeg = testkit::with_exif(
        &testkit::photo_jpeg(320, 240, 501),
        &testkit::TestExif {
            gps: Some((35.0, 135.7)),
            taken_at: Some("2024:07:14 18:30:05".into()),
            ..Default::default()
        },
    );
    let (s, up) = env
        .post(
            "/v1/uploads",
            &ann,
            json!({"file_name": "a.jpg", "content_type": "image/jpeg", "content_length": jpeg.len()}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{up}");
    let id = up["image_id"].as_str().unwrap().to_owned();
    env.put_incoming(&ann.id, &id, jpeg.clone()).await;
    assert_eq!(env.settled(&ann, &id).await["status"], "ready");
    // classify files it (an automatic album of its month) with its own.
    integration_tests::eventually(30, "classify files the image", || async {
        !env.auto_albums(&ann).await.is_empty()
    })
    .await
    .unwrap();

    let (s, b) = env
        .put(
            &format!("/v1/images/{id}/class"),
            &ann,
            json!({"class": "viewable"}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{b}");
    let (s, u) = env.get(&format!("/v1/images/{id}/urls"), &eve).await;
    assert_eq!(s, StatusCode::OK, "the marked preview, made by the api: {u}");
    assert_eq!(u["preview_marked"], true);
    let (s, _) = env
        .post(
            "/v1/grants",
            &ann,
            json!({"image_id": id, "grantee_email": bob.email}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED);
    let (s, u) = env.get(&format!("/v1/images/{id}/urls"), &bob).await;
    assert_eq!(
        s,
        StatusCode::OK,
        "the original without location, made by the api: {u}"
    );
    assert!(u["original"].as_str().unwrap().contains("shared-originals/"));
    let (s, _) = env.get("/v1/search?q=anything", &bob).await;
    assert_eq!(s, StatusCode::OK);

    // An order: the api makes the lab's queue, places and is paid; then
    // print-dispatch sends the job to the lab's queue.
    env.lab("least-lab", &["least-store"]).await;
    let (s, c) = env.get("/v1/catalogue", None::<&str>).await;
    assert_eq!(
        (s, &c["locations"][0]["location"]),
        (StatusCode::OK, &json!("least-store")),
        "{c}"
    );
    let quote = env.quote_id(&ann, &[(&id, "L", 1)], "least-store").await;
    let o = env
        .order(
            &ann,
            Some("k"),
            &json!({"quote_id": quote, "address": integration_tests::orders::address()}),
        )
        .await;
    assert_eq!(o.status, StatusCode::CREATED, "{:?}", o.body);
    let order = o.body["order_id"].as_str().unwrap().to_owned();
    let payment = local_runner::pay::Payment {
        api: &env.stack.api_url,
        order_id: &order,
        amount: o.body["amount_due"].as_i64().unwrap(),
        currency: "JPY",
        secret: printvault_domain::payment::LOCAL_SECRET,
        webhook_id: "msg_least",
        timestamp: time::OffsetDateTime::now_utc().unix_timestamp(),
    };
    let (s, a) = local_runner::pay::send(&payment).await.unwrap();
    assert_eq!(s, 200, "{a}");
    integration_tests::eventually(30, "print-dispatch sends the order", || async {
        env.get(&format!("/v1/orders/{order}"), &ann).await.1["status"] == "dispatched"
    })
    .await
    .unwrap();

    // Storage billing: upload-finalise metered the image; billing-sweep
    // closes the month into an invoice, emails it and moves it on; the api
    // lists it and takes its payment.
    let month = printvault_domain::billing::Month::of(time::OffsetDateTime::now_utc().unix_timestamp());
    let first = printvault_domain::billing::day_str(month.next().first_day());
    let report = env
        .stack
        .sweep(
            sweeps::Sweep::Billing,
            local_runner::schedule::day_time(&first).unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(report.get("invoices_issued"), 1, "{report:?}");
    let (s, list) = env.get("/v1/invoices", &ann).await;
    assert_eq!(s, StatusCode::OK, "{list}");
    let invoice = &list["invoices"][0];
    let pay_invoice = local_runner::pay::Payment {
        order_id: invoice["invoice_id"].as_str().unwrap(),
        amount: invoice["amount_due"].as_i64().unwrap(),
        webhook_id: "msg_least_invoice",
        ..payment
    };
    let (s, a) = local_runner::pay::send(&pay_invoice).await.unwrap();
    assert_eq!((s, a["status"].as_str()), (200, Some("paid")), "{a}");

    // The api moves the image to the trash, restores it, trashes it again,
    // then purges it: every object goes, and it leaves the meter.
    let (s, b) = env.delete(&format!("/v1/images/{id}"), &ann).await;
    assert_eq!(s, StatusCode::NO_CONTENT, "{b}");
    let (s, b) = env.post(&format!("/v1/trash/{id}/restore"), &ann, NO_BODY).await;
    assert_eq!(s, StatusCode::OK, "{b}");
    let (s, b) = env.delete(&format!("/v1/images/{id}"), &ann).await;
    assert_eq!(s, StatusCode::NO_CONTENT, "{b}");
    let (s, b) = env.delete(&format!("/v1/trash/{id}"), &ann).await;
    assert_eq!(s, StatusCode::NO_CONTENT, "{b}");
    assert!(env.keys_of(&id).await.is_empty(), "every object went");
    within_statements(&env).await;
}

#[tokio::test]
async fn a_call_outside_a_functions_policy_is_refused() {
    let env = TestEnv::least_privileged(|_| {}).await;
    let bucket = env.stack.resources.names.photos_bucket.clone();
    let api = clients_of(&env, "api").await;
    let put = api
        .s3
        .put_object()
        .bucket(&bucket)
        .key("originals/x/y")
        .body(b"x".to_vec().into())
        .send()
        .await;
    assert!(put.is_err(), "the api may not write originals");
    let classify = clients_of(&env, "classify").await;
    let get = classify
        .s3
        .get_object()
        .bucket(&bucket)
        .key("incoming/x/y")
        .send()
        .await;
    assert!(get.is_err(), "classify reads no objects");
    let send = classify
        .sqs
        .send_message()
        .queue_url(&env.stack.resources.uploads_queue_url)
        .message_body("{}")
        .send()
        .await;
    assert!(send.is_err(), "nobody but S3 sends to the uploads queue");
    let admin_can = env
        .stack
        .clients
        .s3
        .list_objects_v2()
        .bucket(&bucket)
        .send()
        .await;
    assert!(admin_can.is_ok(), "and the test's own user may: {admin_can:?}");
}

/// An upload whose image was deleted before its bytes came: upload-finalise
/// cleans up every object the image may own, with its own permissions.
#[tokio::test]
async fn upload_finalise_cleans_up_a_deleted_upload_with_its_own_permissions() {
    let env = TestEnv::least_privileged(|o| o.run_pollers = false).await;
    env.drain(&env.stack.resources.uploads_queue_url).await;
    let ann = env.new_customer().await;
    let jpeg = testkit::photo_jpeg(64, 48, 502);
    let (_, up) = env
        .post(
            "/v1/uploads",
            &ann,
            json!({"file_name": "a.jpg", "content_type": "image/jpeg", "content_length": jpeg.len()}),
        )
        .await;
    let id = up["image_id"].as_str().unwrap().to_owned();
    let (s, _) = env.delete(&format!("/v1/images/{id}"), &ann).await;
    assert_eq!(s, StatusCode::NO_CONTENT);
    env.put_incoming(&ann.id, &id, jpeg).await;
    let mut bodies = Vec::new();
    for _ in 0..20 {
        bodies.extend(env.drain(&env.stack.resources.uploads_queue_url).await);
        if !bodies.is_empty() {
            break;
        }
    }
    let event = integration_tests::sqs_event(&bodies.iter().map(String::as_str).collect::<Vec<_>>());
    let r = env.stack.finaliser.handle_batch(event).await;
    assert!(r.batch_item_failures.is_empty(), "the clean-up was allowed");
    assert!(env.keys_of(&id).await.is_empty());
    within_statements(&env).await;
}

#[tokio::test]
async fn retention_warns_and_trashes_and_the_trash_sweep_purges_with_their_own_permissions() {
    let env = TestEnv::least_privileged(|_| {}).await;
    let ann = env.new_customer().await;
    let jpeg = testkit::photo_jpeg(320, 240, 502);
    let (s, up) = env
        .post(
            "/v1/uploads",
            &ann,
            json!({"file_name": "b.jpg", "content_type": "image/jpeg", "content_length": jpeg.len()}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{up}");
    let id = up["image_id"].as_str().unwrap().to_owned();
    env.put_incoming(&ann.id, &id, jpeg).await;
    assert_eq!(env.settled(&ann, &id).await["status"], "ready");
    let today = time::OffsetDateTime::now_utc().date();
    let at = |days: i64| {
        local_runner::schedule::day_time(&printvault_domain::billing::day_str(
            today + time::Duration::days(days),
        ))
        .unwrap()
    };
    let r = env.stack.sweep(sweeps::Sweep::Retention, at(90)).await.unwrap();
    assert_eq!(r.get("warned"), 1, "{r:?}");
    // The notifier sends the warning and records SES's word on it.
    let image = integration_tests::image_id(&id);
    integration_tests::eventually(30, "the warning is delivered", || async {
        let Some(rec) = env.record(&ann.customer_id(), &image).await else {
            return false;
        };
        let Some(notice) = rec.retention.and_then(|r| r.notice_id) else {
            return false;
        };
        let ledger = printvault_adapters::notices::NoticeLedger::new(
            env.stack.clients.dynamodb.clone(),
            &env.stack.resources.names.accounts_table,
        );
        ledger
            .delivery(&printvault_domain::notice::NoticeId::parse(&notice).unwrap())
            .await
            .unwrap()
            == Some(printvault_adapters::notices::Delivery::Delivered)
    })
    .await
    .unwrap();
    let r = env.stack.sweep(sweeps::Sweep::Retention, at(120)).await.unwrap();
    assert_eq!(r.get("deleted"), 1, "{r:?}");
    assert!(!env.keys_of(&id).await.is_empty(), "in the trash");
    // The trash sweep purges it on the 31st day, with its own permissions.
    let r = env.stack.sweep(sweeps::Sweep::Trash, at(151)).await.unwrap();
    assert_eq!(r.get("purged"), 1, "{r:?}");
    assert!(env.keys_of(&id).await.is_empty(), "every object went");
    within_statements(&env).await;
}
