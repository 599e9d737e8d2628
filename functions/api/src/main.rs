//! Lambda entry point: configuration and clients once per cold start, then
//! API Gateway events through the axum router.

use printvault_adapters::{aws, telemetry};

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    telemetry::init();
    let sdk = aws::load_sdk_config().await;
    let clients = aws::Clients::new(&sdk);
    let config = api::Config::from_env(&clients).await?;
    let state = api::AppState::new(&clients, config);
    lambda_http::run(api::router(state)).await
}
