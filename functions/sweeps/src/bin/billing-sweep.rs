#![recursion_limit = "256"]
//! billing-sweep (M23-M25): daily, from its EventBridge schedule.

#[tokio::main]
async fn main() -> Result<(), lambda_runtime::Error> {
    sweeps::lambda_main(sweeps::Sweep::Billing).await
}
