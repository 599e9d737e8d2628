//! The one entry point of the SQS-triggered functions: telemetry, then
//! the clients and the function's dependencies once per cold start, then
//! each batch within its invocation's deadline, reporting partial batch
//! failures.

use aws_lambda_events::sqs::{SqsBatchResponse, SqsEvent};
use lambda_runtime::{service_fn, LambdaEvent};
use std::future::Future;
use std::time::Duration;

use super::Deadline;
use crate::aws::{load_sdk_config, Clients};

/// A function that handles SQS batches.
pub trait SqsHandler: Sync {
    /// How much of the invocation's time a message needs to be started
    /// (messages it has no time left for are handed back unstarted).
    fn reserve(&self) -> Duration {
        Duration::ZERO
    }

    /// Handles one batch within `deadline`; only the failed messages are
    /// reported, so only they are retried.
    fn handle(&self, batch: SqsEvent, deadline: Deadline) -> impl Future<Output = SqsBatchResponse> + Send;
}

/// Runs an SQS-triggered Lambda function: `build` makes its handler from
/// the AWS clients once per cold start (reading its configuration; an error
/// stops the function with the reason), then every batch goes to it.
pub async fn run_sqs<H, B>(build: B) -> Result<(), lambda_runtime::Error>
where
    H: SqsHandler,
    B: FnOnce(&Clients) -> anyhow::Result<H>,
{
    crate::telemetry::init();
    let sdk = load_sdk_config().await;
    let handler = build(&Clients::new(&sdk))?;
    let handler = &handler;
    lambda_runtime::run(service_fn(move |event: LambdaEvent<SqsEvent>| async move {
        let deadline = Deadline::from_epoch_millis(event.context.deadline, handler.reserve());
        Ok::<_, std::convert::Infallible>(handler.handle(event.payload, deadline).await)
    }))
    .await
}
