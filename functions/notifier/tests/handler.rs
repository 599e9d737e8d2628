//! Handler tests fed with the `events/notifier` fixtures. A body that is not
//! a notice is reported without touching storage, so it retries and then
//! waits in the DLQ. `verify-email.json` is sent against moto in
//! `tests/tests/fixtures.rs`; sending once per ID is shown in
//! `tests/tests/notices.rs`.

use notifier::{Config, Notifier};
use printvault_adapters::testing::{failed_ids, names, offline_clients, sqs_event as event};

async fn notifier() -> Notifier {
    Notifier::new(
        &offline_clients().await,
        Config::for_names(&names(), "no-reply@printvault.example"),
    )
}

#[tokio::test]
async fn a_malformed_notice_is_reported() {
    let r = notifier()
        .await
        .handle_batch(event(include_str!("../../../events/notifier/malformed.json")))
        .await;
    assert_eq!(failed_ids(&r), ["5d1e0a7c-malformed-0000-000000000002"]);
}

#[tokio::test]
async fn an_unknown_kind_is_reported() {
    let r = notifier()
        .await
        .handle_batch(event(include_str!("../../../events/notifier/unknown-kind.json")))
        .await;
    assert_eq!(failed_ids(&r), ["5d1e0a7c-unknown-0000-0000-000000000003"]);
}

#[tokio::test]
async fn a_notice_that_cannot_be_claimed_is_reported_not_sent() {
    let r = notifier()
        .await
        .handle_batch(event(include_str!("../../../events/notifier/verify-email.json")))
        .await;
    assert_eq!(failed_ids(&r), ["5d1e0a7c-notice-0000-0000-000000000001"]);
}

#[test]
fn each_fixture_body_is_or_is_not_a_notice() {
    use printvault_domain::notice::Notice;
    let body = |json: &str| event(json).records[0].body.clone().unwrap();
    assert!(Notice::from_body(&body(include_str!("../../../events/notifier/verify-email.json"))).is_ok());
    assert!(Notice::from_body(&body(include_str!("../../../events/notifier/malformed.json"))).is_err());
    assert!(Notice::from_body(&body(include_str!("../../../events/notifier/unknown-kind.json"))).is_err());
}

#[tokio::test]
async fn ses_feedback_that_cannot_be_recorded_is_reported_and_other_events_are_acknowledged() {
    let r = notifier()
        .await
        .handle_batch(event(include_str!("../../../events/notifier/ses-feedback.json")))
        .await;
    // A bounce (raw) and a delivery (in an SNS envelope) need storage,
    // unreachable here, so they come back; an open needs nothing.
    assert_eq!(
        failed_ids(&r),
        [
            "9e2a7f10-ses-bounce-0000-000000000001",
            "9e2a7f10-ses-delivery-0000-000000000002"
        ]
    );
}
