#![recursion_limit = "256"]
//! Lambda entry point: SQS batches of image events (see `lambda::run_sqs`).

use classify::{Classifier, Config};
use printvault_adapters::lambda;

#[tokio::main]
async fn main() -> Result<(), lambda_runtime::Error> {
    lambda::run_sqs(|clients| Ok(Classifier::new(clients, Config::from_env()?))).await
}
