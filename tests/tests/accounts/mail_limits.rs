//! Issue 18: an address gets at most the configured number of mails a
//! stranger can make printvault send it, and the caller cannot tell.

use super::*;

/// Issue 18, item 10: registering sends mail to any address a caller names.
/// Past the address's limits (`settings.mail`) nothing more is sent, and
/// the caller is answered exactly as when it is; other addresses are not
/// affected. The api runs here on a fixed clock, so the hour's window
/// cannot turn during the test.
#[tokio::test]
async fn past_an_addresss_mail_limit_registering_sends_nothing_more_and_answers_the_same() {
    use tower::ServiceExt;
    let env = TestEnv::with(|o| {
        o.settings.mail.per_address_per_hour = 2;
        o.settings.mail.per_address_per_day = 3;
    })
    .await;
    let mut fixed = env.stack.api_state.clone();
    fixed.clock = printvault_domain::when::Clock::stopped_at(time::macros::datetime!(2030-01-01 10:30 UTC));
    let app = api::router(fixed);
    let register = |email: String| {
        let app = app.clone();
        async move {
            let body = json!({"email": email, "password": "correct horse battery"});
            let req = http::Request::post("/v1/accounts")
                .header("content-type", "application/json")
                .body(axum::body::Body::from(body.to_string()))
                .unwrap();
            let res = app.oneshot(req).await.unwrap();
            let status = res.status();
            let bytes = axum::body::to_bytes(res.into_body(), usize::MAX).await.unwrap();
            (status, serde_json::from_slice::<Value>(&bytes).unwrap())
        }
    };
    let stage = integration_tests::unique_stage();
    let (bombed, other) = (
        format!("bombed.{stage}@example.com"),
        format!("other.{stage}@example.com"),
    );

    let answers = [
        register(bombed.clone()).await,
        register(bombed.clone()).await,
        register(bombed.clone()).await,
        register(bombed.to_uppercase()).await,
    ];
    assert_eq!(answers[0].0, StatusCode::ACCEPTED, "{:?}", answers[0]);
    for a in &answers[1..] {
        assert_eq!(a, &answers[0], "a throttled registration answers like a sent one");
    }
    env.notices_sent().await;
    let mails = env.mails_to(&bombed).await;
    assert_eq!(mails.len(), 2, "two mails an hour: {mails:?}");

    // Another address is not affected.
    let (s, b) = register(other.clone()).await;
    assert_eq!(
        (s, &b["status"]),
        (StatusCode::ACCEPTED, &answers[0].1["status"]),
        "{b}"
    );
    assert!(env.next_mail(&other, 0).await.code().is_some());

    // The counts themselves, through the SDK with the clock driven: two an
    // hour, three a day, a new day starts again.
    let accounts = &env.stack.api_state.stores.accounts;
    let digest = format!("{:064x}", rand::random::<u128>());
    let t = 1_900_000_000 - 1_900_000_000 % 86_400;
    let mut sent = Vec::new();
    for at in [t, t + 1, t + 2, t + 3600, t + 3601, t + 7200, t + 86_400] {
        sent.push(accounts.count_mail(&digest, at, 2, 3).await.unwrap());
    }
    assert_eq!(sent, [true, true, false, true, false, false, true]);
}
