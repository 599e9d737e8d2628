#![recursion_limit = "256"]
//! anniversary-sweep (M28): daily, from its EventBridge schedule.

#[tokio::main]
async fn main() -> Result<(), lambda_runtime::Error> {
    sweeps::lambda_main(sweeps::Sweep::Anniversary).await
}
