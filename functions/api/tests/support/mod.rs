//! What the api's handler and contract tests share.

use api::{router, AppState, Config};
use printvault_adapters::names::ResourceNames;
use printvault_adapters::testing::{offline_clients, offline_queue};

/// The router over stores nothing listens behind: a test that reached
/// storage would fail.
pub async fn app() -> axum::Router {
    let names = ResourceNames::new("printvault", "handler");
    router(AppState::new(
        &offline_clients().await,
        Config::for_names(
            &names,
            "k".repeat(32),
            Default::default(),
            offline_queue("nowhere"),
            offline_queue("nowhere-notices"),
            offline_queue("nowhere-dispatch"),
            offline_queue("nowhere-exports"),
        ),
    ))
}
