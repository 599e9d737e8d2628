#![recursion_limit = "256"]
//! trash-sweep: daily, from its EventBridge schedule. Purges what has been
//! in the trash `trash.keep_days`.

#[tokio::main]
async fn main() -> Result<(), lambda_runtime::Error> {
    sweeps::lambda_main(sweeps::Sweep::Trash).await
}
