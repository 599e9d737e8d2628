//! What the api's handler and contract tests share.

use api::{router, AppState, Config};
use printvault_adapters::aws::{local_sdk_config, Clients};
use printvault_adapters::names::ResourceNames;

/// The router over stores nothing listens behind: a test that reached
/// storage would fail.
pub async fn app() -> axum::Router {
    let sdk = local_sdk_config("http://127.0.0.1:9", "us-east-1").await;
    let names = ResourceNames::new("printvault", "handler");
    router(AppState::new(
        &Clients::new(&sdk),
        Config::for_names(
            &names,
            "k".repeat(32),
            Default::default(),
            "http://127.0.0.1:9/000000000000/nowhere".into(),
            "http://127.0.0.1:9/000000000000/nowhere-notices".into(),
            "http://127.0.0.1:9/000000000000/nowhere-dispatch".into(),
        ),
    ))
}
