//! The archive sweep, print-dispatch sending the disc ordered from its
//! proposal, and then moving its original to Glacier Deep Archive once the
//! lab reports it written, and the api and print-dispatch restoring it when
//! its owner asks, with only their own template permissions, on a moto
//! that enforces IAM (`tests/tests/least_privilege` for the others).

use super::*;

#[tokio::test]
async fn the_archive_sweep_proposes_and_print_dispatch_sends_and_moves_the_disc_with_their_own_permissions() {
    let env = TestEnv::least_privileged(|o| o.settings.archive.max_images = 1).await;
    let key = env.lab("lp-disc-lab", &["tokyo-shibuya"]).await;
    let cy = env.new_customer().await;
    let jpeg = jpeg_taken_at(7301, "2021:01:01 10:00:00");
    let (s, up) = env
        .post(
            "/v1/uploads",
            &cy,
            json!({"file_name": "a.jpg", "content_type": "image/jpeg", "content_length": jpeg.len()}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{up}");
    let image = up["image_id"].as_str().unwrap().to_owned();
    env.put_incoming(&cy.id, &image, jpeg).await;
    assert_eq!(env.settled(&cy, &image).await["status"], "ready");
    let today = time::OffsetDateTime::now_utc().date();
    let r = sweep(&env, today).await;
    assert_eq!(r.get("proposed"), 1, "{r:?}");
    let mail = env.next_mail(&cy.email, 1).await;
    assert!(
        mail.subject.starts_with("Archive your oldest photos"),
        "{}",
        mail.subject
    );
    // Ordered and paid: print-dispatch draws the sheet and label from the
    // thumbnails and sends the disc job.
    let (s, list) = env.get("/v1/archive/proposals", &cy.token).await;
    assert_eq!(s, StatusCode::OK, "{list}");
    let pid = list["proposals"][0]["proposal_id"].as_str().unwrap().to_owned();
    let (s, q) = env
        .post(
            &format!("/v1/archive/proposals/{pid}/quote"),
            &cy.token,
            json!({"disc": "cd", "location": "tokyo-shibuya"}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{q}");
    let placed = env
        .order(
            &cy.token,
            Some("lp-disc"),
            &json!({"quote_id": q["quote_id"], "address": integration_tests::orders::address()}),
        )
        .await;
    let order = placed.body["order_id"].as_str().unwrap().to_owned();
    let (s, b) = env.pay_as(&order, 300, "wh-lp-disc", "pay-lp-disc").await;
    assert_eq!(s, 200, "{b}");
    integration_tests::eventually(60, "print-dispatch sends the disc", || async {
        env.get(&format!("/v1/orders/{order}"), &cy.token).await.1["status"] == "dispatched"
    })
    .await
    .unwrap();
    let jobs = env.drain(&env.lab_queue_url("lp-disc-lab").await).await;
    assert_eq!(jobs.len(), 1, "{jobs:?}");
    // Written: the original moves.
    let res = env
        .http
        .post(env.url(&format!("/v1/lab/orders/{order}/disc/reports")))
        .header("x-lab-key", &key)
        .json(&json!({"stage": "written", "image_sha256": "0".repeat(64)}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let original = printvault_adapters::keys::original_key(
        &id(&cy),
        &printvault_domain::ids::ImageId::parse(&image).unwrap(),
    );
    integration_tests::eventually(60, "the original moves to the archive class", || async {
        env.stack
            .api_state
            .stores
            .objects
            .storage_class(&original)
            .await
            .unwrap()
            .as_deref()
            == Some("DEEP_ARCHIVE")
    })
    .await
    .unwrap();
    // Asked back (moto restores at once): the api asks S3, S3's event
    // reaches print-dispatch, and the owner is emailed.
    let st = &env.stack.api_state.stores;
    integration_tests::eventually(60, "the record says archived", || async {
        let image = printvault_domain::ids::ImageId::parse(&image).unwrap();
        st.images.get(&id(&cy), &image).await.unwrap().is_some_and(|i| {
            i.archive
                .is_some_and(|a| a.state == printvault_domain::archive::ArchiveState::Archived)
        })
    })
    .await
    .unwrap();
    let before = env.mails_to(&cy.email).await.len();
    let (s, b) = env
        .post(&format!("/v1/images/{image}/restore"), &cy.token, json!({}))
        .await;
    assert!(s.is_success(), "{s} {b}");
    let mail = env.next_mail(&cy.email, before).await;
    assert!(mail.subject.contains("ready to download"), "{}", mail.subject);
    let outside = env.calls_outside_statements().await;
    assert!(
        outside.is_empty(),
        "calls outside the template's statements: {outside:?}"
    );
}
