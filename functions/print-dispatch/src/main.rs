#![recursion_limit = "256"]
//! Lambda entry point: SQS batches of paid orders (see `lambda::run_sqs`).

use print_dispatch::{Config, Dispatcher};
use printvault_adapters::lambda;

#[tokio::main]
async fn main() -> Result<(), lambda_runtime::Error> {
    lambda::run_sqs(|clients| Ok(Dispatcher::new(clients, Config::from_env()?))).await
}
