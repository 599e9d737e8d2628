//! Handler tests fed with the `events/print-dispatch` fixtures. A body that
//! is not a dispatch message is reported without touching storage, so it
//! retries and then waits in the DLQ; an `order.paid` message for an order
//! that cannot be read is reported too. `order-paid.json` is dispatched
//! against moto in `tests/tests/fixtures.rs`, and exactly-once is shown in
//! `tests/tests/orders/dispatch.rs`.

use print_dispatch::{Config, Dispatcher};
use printvault_adapters::testing::{failed_ids, names, offline_clients, offline_queue, sqs_event as event};

async fn dispatcher() -> Dispatcher {
    Dispatcher::new(
        &offline_clients().await,
        Config::for_names(
            &names(),
            &Default::default(),
            offline_queue("printvault-dev-notices"),
            offline_queue("printvault-dev-dispatch"),
        ),
    )
}

#[tokio::test]
async fn a_malformed_message_is_reported() {
    let r = dispatcher()
        .await
        .handle_batch(event(include_str!(
            "../../../events/print-dispatch/malformed.json"
        )))
        .await;
    assert_eq!(failed_ids(&r), ["7a3c9e10-malformed-0000-000000000002"]);
}

#[tokio::test]
async fn an_unknown_kind_is_reported() {
    let r = dispatcher()
        .await
        .handle_batch(event(include_str!(
            "../../../events/print-dispatch/unknown-kind.json"
        )))
        .await;
    assert_eq!(failed_ids(&r), ["7a3c9e10-unknown-0000-0000-000000000003"]);
}

#[tokio::test]
async fn an_order_that_cannot_be_read_is_reported_for_a_retry() {
    let r = dispatcher()
        .await
        .handle_batch(event(include_str!(
            "../../../events/print-dispatch/order-paid.json"
        )))
        .await;
    assert_eq!(failed_ids(&r), ["7a3c9e10-paid-0000-0000-000000000001"]);
}

#[tokio::test]
async fn a_written_disc_whose_order_cannot_be_read_is_reported_for_a_retry() {
    let r = dispatcher()
        .await
        .handle_batch(event(include_str!(
            "../../../events/print-dispatch/disc-written.json"
        )))
        .await;
    assert_eq!(failed_ids(&r), ["7a3c9e10-written-0000-000000000003"]);
}

#[tokio::test]
async fn a_restored_original_that_cannot_be_read_is_reported_for_a_retry() {
    // S3's `ObjectRestore:Completed` for an original (M32): finishing it
    // reads S3 and the record, unreachable here, so it comes back.
    let r = dispatcher()
        .await
        .handle_batch(event(include_str!(
            "../../../events/print-dispatch/restore-completed.json"
        )))
        .await;
    assert_eq!(failed_ids(&r), ["7a3c9e10-restored-0000-000000000004"]);
}

#[tokio::test]
async fn s3s_test_event_is_taken_and_dropped() {
    let r = dispatcher()
        .await
        .handle_batch(event(include_str!(
            "../../../events/print-dispatch/s3-test-event.json"
        )))
        .await;
    assert!(failed_ids(&r).is_empty());
}
