//! Handler tests fed with the `events/print-dispatch` fixtures. A body that
//! is not a dispatch message is reported without touching storage, so it
//! retries and then waits in the DLQ; an `order.paid` message for an order
//! that cannot be read is reported too. `order-paid.json` is dispatched
//! against moto in `tests/tests/fixtures.rs`, and exactly-once is shown in
//! `tests/tests/orders/dispatch.rs`.

use aws_lambda_events::sqs::{SqsBatchResponse, SqsEvent};
use print_dispatch::{Config, Dispatcher};
use printvault_adapters::aws::{local_sdk_config, Clients};
use printvault_adapters::names::ResourceNames;

async fn dispatcher() -> Dispatcher {
    // Nothing listens here: a message that reached storage fails there.
    let sdk = local_sdk_config("http://127.0.0.1:9", "us-east-1").await;
    Dispatcher::new(
        &Clients::new(&sdk),
        Config::for_names(
            &ResourceNames::new("printvault", "dev"),
            &Default::default(),
            "http://127.0.0.1:9/123456789012/printvault-dev-notices".into(),
        ),
    )
}

fn event(json: &str) -> SqsEvent {
    serde_json::from_str(json).expect("fixture is an SQS event")
}

fn failed_ids(r: &SqsBatchResponse) -> Vec<&str> {
    r.batch_item_failures
        .iter()
        .map(|f| f.item_identifier.as_str())
        .collect()
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
