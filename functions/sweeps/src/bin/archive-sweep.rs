#![recursion_limit = "256"]
//! archive-sweep (M29): daily, from its EventBridge schedule.

#[tokio::main]
async fn main() -> Result<(), lambda_runtime::Error> {
    sweeps::lambda_main(sweeps::Sweep::Archive).await
}
