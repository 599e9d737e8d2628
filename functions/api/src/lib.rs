//! The printvault HTTP API (JSON under `/v1`), as one axum router. Lambda
//! serves it through `lambda_http`; the local runner serves the same router
//! on 127.0.0.1.

mod auth;
mod config;
mod error;
mod extract;
mod routes;
mod state;
pub mod views;

pub use config::Config;
pub use error::ApiError;
pub use state::AppState;

use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};
use axum::Router;

/// JSON bodies are small; only the operator's blocklist upload carries image bytes.
const JSON_BODY_LIMIT: usize = 64 * 1024;
/// API Gateway's own payload limit.
const IMAGE_BODY_LIMIT: usize = 10 * 1024 * 1024;

pub fn router(state: AppState) -> Router {
    use routes::{accounts, albums, grants, groups, images, links, operator, profile, search, uploads};
    let operator_routes = Router::new()
        .route("/v1/operator/blocklist", post(operator::add))
        .layer(DefaultBodyLimit::max(IMAGE_BODY_LIMIT));
    Router::new()
        .route(
            "/v1/health",
            get(|| async { axum::Json(views::Health { status: "ok" }) }),
        )
        .route("/v1/accounts", post(accounts::register))
        .route("/v1/sessions", post(accounts::login))
        .route("/v1/sessions/current", axum::routing::delete(accounts::logout))
        .route("/v1/profile", get(profile::read).patch(profile::update))
        .route("/v1/uploads", post(uploads::request))
        .route("/v1/images", get(images::list))
        .route(
            "/v1/images/{id}",
            get(images::read).patch(images::edit).delete(images::remove),
        )
        .route("/v1/images/{id}/urls", get(images::urls))
        .route("/v1/images/{id}/class", axum::routing::put(images::classify))
        .route("/v1/groups", post(groups::create).get(groups::list))
        .route("/v1/groups/{id}", get(groups::read))
        .route("/v1/groups/{id}/invitations", post(groups::invite))
        .route("/v1/groups/{id}/accept", post(groups::accept))
        .route(
            "/v1/groups/{id}/members/{member}",
            axum::routing::delete(groups::remove_member),
        )
        .route("/v1/invitations", get(groups::invitations))
        .route("/v1/grants", post(grants::create).get(grants::given))
        .route("/v1/grants/received", get(grants::received))
        .route(
            "/v1/grants/{image}/{grantee}",
            axum::routing::delete(grants::revoke),
        )
        .route("/v1/links", post(links::create).get(links::list))
        .route("/v1/links/{id}", axum::routing::delete(links::revoke))
        .route("/v1/shared/{token}", get(links::open))
        .route("/v1/shared/{token}/urls", get(links::urls))
        .route("/v1/shared/{token}/images/{id}", get(links::image))
        .route("/v1/shared/{token}/images/{id}/urls", get(links::image_urls))
        .route("/v1/albums", post(albums::create).get(albums::list))
        .route(
            "/v1/albums/{id}",
            get(albums::read).patch(albums::rename).delete(albums::remove),
        )
        .route(
            "/v1/albums/{id}/images/{image}",
            axum::routing::put(albums::add_image).delete(albums::remove_image),
        )
        .route("/v1/images/attributes", post(albums::bulk_attributes))
        .route("/v1/search", get(search::search))
        .route("/v1/profile/shares", post(profile::share).get(profile::shares))
        .route(
            "/v1/profile/shares/{reader}",
            axum::routing::delete(profile::unshare),
        )
        .route("/v1/profile/shared-with-me", get(profile::shared_with_me))
        .route("/v1/customers/{id}/profile", get(profile::read_shared))
        .layer(DefaultBodyLimit::max(JSON_BODY_LIMIT))
        .merge(operator_routes)
        .fallback(error::not_found)
        .method_not_allowed_fallback(error::method_not_allowed)
        .layer(axum::middleware::from_fn(error::log_requests))
        .with_state(state)
}
