#![recursion_limit = "256"]
//! Lambda entry point: SQS batches of export steps (see `lambda::run_sqs`).

use export::{Config, Exporter};
use printvault_adapters::lambda;

#[tokio::main]
async fn main() -> Result<(), lambda_runtime::Error> {
    lambda::run_sqs(|clients| Ok(Exporter::new(clients, Config::from_env()?))).await
}
