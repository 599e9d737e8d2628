#![recursion_limit = "256"]
//! Lambda entry point: SQS batches of S3 events (see `lambda::run_sqs`).

use printvault_adapters::lambda;
use upload_finalise::{Config, Finaliser};

#[tokio::main]
async fn main() -> Result<(), lambda_runtime::Error> {
    lambda::run_sqs(|clients| Ok(Finaliser::new(clients, Config::from_env()?))).await
}
