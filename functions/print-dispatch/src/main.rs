#![recursion_limit = "256"]
//! Lambda entry point: configuration and clients once per cold start, then
//! SQS batches of paid orders, reporting partial batch failures.

use lambda_runtime::{service_fn, LambdaEvent};
use print_dispatch::{Config, Dispatcher};
use printvault_adapters::{aws, telemetry};

#[tokio::main]
async fn main() -> Result<(), lambda_runtime::Error> {
    telemetry::init();
    let config = Config::from_env()?;
    let sdk = aws::load_sdk_config().await;
    let dispatcher = Dispatcher::new(&aws::Clients::new(&sdk), config);
    let dispatcher = &dispatcher;
    lambda_runtime::run(service_fn(move |event: LambdaEvent<_>| async move {
        Ok::<_, std::convert::Infallible>(dispatcher.handle_batch(event.payload).await)
    }))
    .await
}
