#![recursion_limit = "256"]
//! Lambda entry point: SQS batches of notices and SES's feedback (see `lambda::run_sqs`).

use notifier::{Config, Notifier};
use printvault_adapters::lambda;

#[tokio::main]
async fn main() -> Result<(), lambda_runtime::Error> {
    lambda::run_sqs(|clients| Ok(Notifier::new(clients, Config::from_env()?))).await
}
