#![recursion_limit = "256"]
//! Lambda entry point: configuration and clients once per cold start, then
//! SQS batches of S3 events, reporting partial batch failures.

use lambda_runtime::{service_fn, LambdaEvent};
use printvault_adapters::{aws, lambda, telemetry};
use upload_finalise::{Config, Finaliser};

#[tokio::main]
async fn main() -> Result<(), lambda_runtime::Error> {
    telemetry::init();
    let config = Config::from_env()?;
    let sdk = aws::load_sdk_config().await;
    let finaliser = Finaliser::new(&aws::Clients::new(&sdk), config);
    let finaliser = &finaliser;
    lambda_runtime::run(service_fn(move |event: LambdaEvent<_>| async move {
        let deadline = lambda::Deadline::from_epoch_millis(event.context.deadline, finaliser.reserve());
        Ok::<_, std::convert::Infallible>(finaliser.handle_batch_until(event.payload, deadline).await)
    }))
    .await
}
