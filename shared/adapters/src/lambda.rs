//! What every function shares: required configuration from the environment,
//! and the SQS partial-batch loop.

use aws_lambda_events::sqs::{BatchItemFailure, SqsBatchResponse, SqsEvent, SqsMessage};
use printvault_domain::settings::Settings;
use std::future::Future;

/// A required environment variable; the error names it.
pub fn required_env(name: &str) -> anyhow::Result<String> {
    match std::env::var(name) {
        Ok(v) if !v.trim().is_empty() => Ok(v),
        _ => anyhow::bail!("environment variable {name} must be set"),
    }
}

/// The business settings from `PRINTVAULT_SETTINGS` (defaults when unset);
/// invalid settings stop the function at start with the reason.
pub fn settings_from_env() -> anyhow::Result<Settings> {
    Ok(Settings::from_json(
        &std::env::var("PRINTVAULT_SETTINGS").unwrap_or_default(),
    )?)
}

/// Runs `handle` on each message of an SQS batch, one at a time, and reports
/// the ones that failed, so only they are retried (and, after the queue's
/// maxReceiveCount, parked in its DLQ). One bad message never fails the rest.
pub async fn each_message<'a, F, Fut>(event: &'a SqsEvent, what: &str, handle: F) -> SqsBatchResponse
where
    F: Fn(&'a SqsMessage) -> Fut,
    Fut: Future<Output = anyhow::Result<()>>,
{
    let mut response = SqsBatchResponse::default();
    for message in &event.records {
        if let Err(e) = handle(message).await {
            let id = message.message_id.clone().unwrap_or_default();
            tracing::warn!(message_id = %id, error = ?e, "{what} failed; it will be retried");
            let mut f = BatchItemFailure::default();
            f.item_identifier = id;
            response.batch_item_failures.push(f);
        }
    }
    response
}
