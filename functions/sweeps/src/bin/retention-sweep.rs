#![recursion_limit = "256"]
//! retention-sweep (M26, M27): daily, from its EventBridge schedule.

#[tokio::main]
async fn main() -> Result<(), lambda_runtime::Error> {
    sweeps::lambda_main(sweeps::Sweep::Retention).await
}
