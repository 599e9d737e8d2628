//! M32's restore against moto, through the api and the S3 event: the owner
//! asks for an archived original back; S3 restores a copy; its
//! `ObjectRestore:Completed` event reaches print-dispatch on the dispatch
//! queue, which marks the restore ready until S3's expiry and emails the
//! owner once, through the notifier; the image's URLs then include its
//! original, whose bytes are the ones uploaded.
//!
//! moto restores at once. Here its state manager holds a restore back, as
//! S3 takes hours: a restore moves one step (asked → on its way → ready)
//! at a read of its state while moto is told to step, and none while it is
//! told to hold. The first ask steps it to "on its way"; the second ask
//! finds it held there; the test's own `HeadObject`, standing for the hours
//! passing, steps it to ready, which sends S3's event. Abuse: another customer's image,
//! an image still online, and days outside 1 to 30 are refused, and a
//! replayed S3 event sends nothing twice.

use super::moves::written_for;
use super::*;
use printvault_domain::archive::ArchiveState;
use printvault_domain::ids::ImageId;
use serde_json::Value;
use sha2::Digest;

/// Tells moto to move a restore one step at each read of its state
/// (`step`), or to hold it where it is.
async fn restores(env: &TestEnv, step: bool) {
    let reads = if step { 1 } else { 1_000_000 };
    let res = env
        .http
        .post(format!(
            "{}/moto-api/state-manager/set-transition",
            env.stack.endpoint
        ))
        .json(
            &json!({"model_name": "s3::keyrestore", "transition": {"progression": "manual", "times": reads}}),
        )
        .send()
        .await
        .unwrap();
    assert!(res.status().is_success(), "{:?}", res.text().await);
}

fn restored_mails(mails: &[integration_tests::mail::Mail]) -> usize {
    mails
        .iter()
        .filter(|m| m.subject.contains("ready to download"))
        .count()
}

#[tokio::test]
async fn an_archived_original_comes_back_when_asked_and_its_owner_is_emailed_once() {
    let env = TestEnv::with(|o| o.settings.archive.max_images = 3).await;
    let (order, ann, ids) = written_for(&env).await;
    let owner = ann.customer_id();
    let first = ImageId::parse(&ids[0]).unwrap();
    let st = &env.stack.api_state.stores;
    integration_tests::eventually(60, "the disc's originals are archived", || async {
        st.images
            .get(&owner, &first)
            .await
            .unwrap()
            .and_then(|i| i.archive)
            .is_some_and(|a| a.state == ArchiveState::Archived)
    })
    .await
    .unwrap();
    let uploaded_sha = env.get(&format!("/v1/images/{first}"), &ann.token).await.1["sha256"].clone();
    let path = format!("/v1/images/{first}/restore");

    // Refused: a stranger (as if the image did not exist), an image whose
    // original is online, days out of range, an unknown field.
    let eve = env.new_customer().await;
    let (s, b) = env.post(&path, &eve.token, json!({})).await;
    assert_eq!(s, StatusCode::NOT_FOUND, "{b}");
    let (s, b) = env
        .post(&format!("/v1/images/{}/restore", ids[1]), &ann.token, json!({}))
        .await;
    assert_eq!(s, StatusCode::CONFLICT, "{b}");
    assert!(
        b["error"]["message"].as_str().unwrap().contains("not archived"),
        "{b}"
    );
    for bad in [json!({"days": 0}), json!({"days": 31}), json!({"day": 3})] {
        let (s, b) = env.post(&path, &ann.token, bad.clone()).await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{bad}: {b}");
    }

    // Asked: on its way. Asked again: the same ask, still on its way.
    restores(&env, true).await;
    let (s, asked) = env.post(&path, &ann.token, json!({"days": 3})).await;
    restores(&env, false).await;
    assert_eq!(s, StatusCode::ACCEPTED, "{asked}");
    assert_eq!(
        (&asked["state"], &asked["restore"]["days"]),
        (&json!("restoring"), &json!(3))
    );
    let (s, again) = env.post(&path, &ann.token, json!({})).await;
    assert_eq!(s, StatusCode::ACCEPTED, "{again}");
    assert_eq!(again["restore"], asked["restore"], "one ask");
    let (_, urls) = env.get(&format!("/v1/images/{first}/urls"), &ann.token).await;
    assert!(urls.get("original").is_none_or(Value::is_null), "not yet: {urls}");
    env.notices_sent().await;
    assert_eq!(
        restored_mails(&env.mails_to(&ann.email).await),
        0,
        "no email before it is ready"
    );

    // Hours pass at S3: the copy is ready, and S3 says so on the dispatch
    // queue; print-dispatch marks it and emails ann.
    let key = printvault_adapters::keys::original_key(&owner, &first);
    restores(&env, true).await;
    let restoring = st.objects.restoring(&key).await.unwrap();
    assert!(
        matches!(restoring, Some(printvault_adapters::objects::Restoring::Ready(_))),
        "{restoring:?}"
    );
    let mail = env
        .next_mail(&ann.email, env.mails_to(&ann.email).await.len())
        .await;
    assert!(mail.subject.contains("ready to download"), "{}", mail.subject);
    assert!(
        mail.body.contains(first.as_str()) && mail.body.contains(order.as_str()),
        "{}",
        mail.body
    );
    let (_, shown) = env.get(&format!("/v1/images/{first}"), &ann.token).await;
    let restore = &shown["archive"]["restore"];
    assert!(
        restore["ready_at"].is_string() && restore["until"].is_string(),
        "{shown}"
    );

    // Its original can be downloaded, as uploaded, by its owner only.
    let (_, urls) = env.get(&format!("/v1/images/{first}/urls"), &ann.token).await;
    let url = urls["original"].as_str().expect("the original's link");
    let bytes = env.http.get(url).send().await.unwrap().bytes().await.unwrap();
    assert_eq!(json!(hex::encode(sha2::Sha256::digest(&bytes))), uploaded_sha);
    let (s, b) = env.post(&path, &ann.token, json!({})).await;
    assert_eq!((s, &b["state"]), (StatusCode::OK, &json!("restored")), "{b}");

    // S3's event again (a redelivery), and the api's ask again: one email.
    env.stack
        .dispatcher
        .restore_completed(&key, time::OffsetDateTime::now_utc())
        .await
        .unwrap();
    env.notices_sent().await;
    assert_eq!(restored_mails(&env.mails_to(&ann.email).await), 1, "emailed once");
}
