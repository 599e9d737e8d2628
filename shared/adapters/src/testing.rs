//! What every function's handler tests share (feature `testing`, for
//! dev-dependencies only): a deployment's names, AWS clients that nothing
//! listens behind (a test that reached storage fails there, so a handler
//! test shows what a function decides before any I/O), the `events/`
//! fixtures as Lambda events, and which messages a batch reported.

use aws_lambda_events::sqs::{SqsBatchResponse, SqsEvent};

use crate::aws::{local_sdk_config, Clients};
use crate::names::ResourceNames;

/// Where nothing listens.
pub const NOWHERE: &str = "http://127.0.0.1:9";

/// The names of the `printvault-dev` deployment.
pub fn names() -> ResourceNames {
    ResourceNames::new("printvault", "dev")
}

/// Clients whose every call fails to connect.
pub async fn offline_clients() -> Clients {
    Clients::new(&local_sdk_config(NOWHERE, "us-east-1").await)
}

/// A queue URL under [`NOWHERE`].
pub fn offline_queue(name: &str) -> String {
    format!("{NOWHERE}/123456789012/{name}")
}

/// A fixture from `events/` as the SQS event Lambda delivers.
pub fn sqs_event(json: &str) -> SqsEvent {
    serde_json::from_str(json).expect("fixture is an SQS event")
}

/// The message IDs a batch reported as failed (to be retried, then parked
/// in the DLQ), in batch order.
pub fn failed_ids(r: &SqsBatchResponse) -> Vec<&str> {
    r.batch_item_failures
        .iter()
        .map(|f| f.item_identifier.as_str())
        .collect()
}
