//! The printvault HTTP API (JSON under `/v1`), as one axum router. Lambda
//! serves it through `lambda_http`; the local runner serves the same router
//! on 127.0.0.1.

mod auth;
mod client;
mod config;
mod error;
mod extract;
mod openapi;
mod routes;
mod state;
pub mod views;

pub use client::{ORIGIN_VERIFY_HEADER, VIEWER_IP_HEADER};
pub use config::Config;
pub use error::{status_of, ApiError};
pub use state::AppState;

use axum::extract::DefaultBodyLimit;
use axum::Router;
use std::sync::OnceLock;
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// JSON bodies are small; only the operator's blocklist upload carries image bytes.
const JSON_BODY_LIMIT: usize = 64 * 1024;
/// The operator's blocklist image: Lambda takes a request of at most 6 MB,
/// and API Gateway hands it a binary body base64-encoded (4 bytes for 3),
/// inside a JSON event. 4 MiB of image is 5.6 MB encoded, which leaves room
/// for the event around it.
pub const BLOCKLIST_BODY_LIMIT: usize = 4 * 1024 * 1024;
// Encoded, with 64 KiB for the event around it, it fits Lambda's 6 MB.
const _: () = assert!(BLOCKLIST_BODY_LIMIT * 4 / 3 + 64 * 1024 < 6_000_000);

/// Every route, each registered from its `#[utoipa::path]`, so the document
/// and the router cannot disagree.
fn routes() -> OpenApiRouter<AppState> {
    use routes::{
        accounts, albums, anniversaries, archive, catalogue, exports, grants, groups, images, invoices, lab,
        links, operator, orders, payments, profile, search, trash, uploads,
    };
    let operator_routes = OpenApiRouter::new()
        .routes(routes!(operator::add))
        .layer(DefaultBodyLimit::max(BLOCKLIST_BODY_LIMIT));
    OpenApiRouter::with_openapi(openapi::ApiDoc::openapi())
        .routes(routes!(health))
        .routes(routes!(openapi_json))
        .routes(routes!(accounts::register))
        .routes(routes!(accounts::verify, accounts::verify_page))
        .routes(routes!(accounts::change_email))
        .routes(routes!(accounts::login))
        .routes(routes!(accounts::logout))
        .routes(routes!(profile::read, profile::update))
        .routes(routes!(profile::share, profile::shares))
        .routes(routes!(profile::unshare))
        .routes(routes!(profile::shared_with_me))
        .routes(routes!(profile::read_shared))
        .routes(routes!(anniversaries::read, anniversaries::set))
        .routes(routes!(archive::read, archive::set))
        .routes(routes!(archive::proposals))
        .routes(routes!(archive::proposal))
        .routes(routes!(archive::quote))
        .routes(routes!(archive::restore))
        .routes(routes!(anniversaries::thumbnail))
        .routes(routes!(uploads::request))
        .routes(routes!(images::list))
        .routes(routes!(images::read, images::edit, images::remove))
        .routes(routes!(images::urls))
        .routes(routes!(images::classify))
        .routes(routes!(trash::list, trash::empty))
        .routes(routes!(trash::restore))
        .routes(routes!(trash::purge))
        .routes(routes!(exports::start, exports::list))
        .routes(routes!(exports::read))
        .routes(routes!(exports::urls))
        .routes(routes!(albums::bulk_attributes))
        .routes(routes!(albums::create, albums::list))
        .routes(routes!(albums::read, albums::rename, albums::remove))
        .routes(routes!(albums::add_image, albums::remove_image))
        .routes(routes!(groups::create, groups::list))
        .routes(routes!(groups::read))
        .routes(routes!(groups::invite))
        .routes(routes!(groups::accept))
        .routes(routes!(groups::remove_member))
        .routes(routes!(groups::invitations))
        .routes(routes!(grants::create, grants::given))
        .routes(routes!(grants::received))
        .routes(routes!(grants::decline))
        .routes(routes!(grants::revoke))
        .routes(routes!(links::create, links::list))
        .routes(routes!(links::revoke))
        .routes(routes!(links::open))
        .routes(routes!(links::urls))
        .routes(routes!(links::image))
        .routes(routes!(links::image_urls))
        .routes(routes!(search::search))
        .routes(routes!(catalogue::read))
        .routes(routes!(orders::quote))
        .routes(routes!(orders::place, orders::list))
        .routes(routes!(orders::read))
        .routes(routes!(orders::cancel))
        .routes(routes!(orders::guest_page))
        .routes(routes!(orders::guest_confirm))
        .routes(routes!(orders::guest_cancel))
        .routes(routes!(orders::points))
        .routes(routes!(invoices::list))
        .routes(routes!(invoices::read))
        .routes(routes!(payments::webhook))
        .routes(routes!(lab::report))
        .routes(routes!(lab::report_disc))
        .routes(routes!(operator::put_lab))
        .routes(routes!(operator::rotate_lab_key))
        .routes(routes!(operator::mail_flags))
        .layer(DefaultBodyLimit::max(JSON_BODY_LIMIT))
        .merge(operator_routes)
}

/// The OpenAPI document of this api, as served at `/v1/openapi.json`.
pub fn openapi() -> utoipa::openapi::OpenApi {
    let (_, mut api) = routes().split_for_parts();
    openapi::finish(&mut api);
    api
}

/// [`openapi`] as pretty JSON with a final newline: the committed
/// `docs/openapi.json` is exactly this. Made once per process.
pub fn openapi_json_text() -> Result<&'static str, ApiError> {
    static TEXT: OnceLock<Result<String, String>> = OnceLock::new();
    let text = TEXT.get_or_init(|| {
        openapi()
            .to_pretty_json()
            .map(|s| s + "\n")
            .map_err(|e| e.to_string())
    });
    text.as_deref()
        .map_err(|e| anyhow::anyhow!("serialising the OpenAPI document: {e}").into())
}

pub fn router(state: AppState) -> Router {
    let (router, _) = routes().split_for_parts();
    router
        .fallback(error::not_found)
        .method_not_allowed_fallback(error::method_not_allowed)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            error::log_requests,
        ))
        .with_state(state)
}

/// Whether the api is up.
#[utoipa::path(get, path = "/v1/health", tag = "meta",
    responses((status = 200, description = "Up", body = views::Health)))]
async fn health() -> axum::Json<views::Health> {
    axum::Json(views::Health { status: "ok" })
}

/// This document (OpenAPI 3.1).
#[utoipa::path(get, path = "/v1/openapi.json", tag = "meta",
    responses((status = 200, description = "The OpenAPI document", content_type = "application/json", body = Object)))]
async fn openapi_json() -> Result<impl axum::response::IntoResponse, ApiError> {
    Ok((
        [(http::header::CONTENT_TYPE, "application/json")],
        openapi_json_text()?,
    ))
}
