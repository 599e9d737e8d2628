//! The full export (X3): everything a customer has, in ZIP parts any
//! unzip tool reads (`docs/export.md`), made in the background by the
//! `export` function and downloaded through fresh presigned links.

use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::IntoResponse;
use axum::Json;
use printvault_domain::ids::ExportId;
use printvault_domain::order::IdempotencyKey;
use printvault_usecases::export::jobs::{self, Begun};

use crate::auth::Caller;
use crate::extract::{Id, PublicBase, QueryParams};
use crate::routes::PageQuery;
use crate::views::exports::{ExportList, ExportUrls, ExportView};
use crate::{ApiError, AppState};

/// Starts an export of all the caller's photos (the originals as stored,
/// each with an XMP sidecar) and their account's records (`manifest.json`:
/// albums, grants given, links, groups, orders, points, invoices). One
/// export runs at a time, and at most `exports.per_day` (3) start in a
/// day. The request needs an `Idempotency-Key`, as
/// orders do: sent again with the same key it answers with the same
/// export (header `Idempotent-Replayed: true`). When it is done, an email
/// links to `GET /v1/exports/{id}/urls`.
#[utoipa::path(post, path = "/v1/exports", tag = "exports", security(("bearer" = [])),
    params(("Idempotency-Key" = String, Header, description = "A unique value per export (a UUID, say), sent again unchanged on a retry; kept at least 24 hours")),
    responses((status = 202, description = "The export, queued (or, replayed, the same export as before, as it stands)", body = ExportView),
        (status = 400, description = "No `Idempotency-Key`, or a malformed one", body = crate::views::ErrorBody),
        (status = 409, description = "Another export of the caller's is running", body = crate::views::ErrorBody),
        (status = 429, description = "`exports.per_day` exports were started in the last day; `Retry-After` says when the next may start", body = crate::views::ErrorBody)))]
pub async fn start(
    State(st): State<AppState>,
    caller: Caller,
    PublicBase(base): PublicBase,
    headers: HeaderMap,
) -> Result<impl IntoResponse, ApiError> {
    let raw_key = headers
        .get("idempotency-key")
        .map(|v| v.to_str().unwrap_or_default());
    let key = IdempotencyKey::from_header(raw_key)?;
    let begun = jobs::start(&st.stores, &st.settings, &caller.customer, &key, &base, st.now()).await?;
    let mut headers = HeaderMap::new();
    let job = match begun {
        Begun::New(job) => job,
        Begun::Replayed(job) => {
            headers.insert("idempotent-replayed", HeaderValue::from_static("true"));
            job
        }
    };
    Ok((StatusCode::ACCEPTED, headers, Json(ExportView::from(&job))))
}

/// The caller's exports, newest first.
#[utoipa::path(get, path = "/v1/exports", tag = "exports", security(("bearer" = [])), params(PageQuery),
    responses((status = 200, description = "A page of the caller's exports", body = ExportList)))]
pub async fn list(
    State(st): State<AppState>,
    caller: Caller,
    QueryParams(q): QueryParams<PageQuery>,
) -> Result<Json<ExportList>, ApiError> {
    let limit = q.limit(&st.settings.listing)?;
    let page = jobs::list(&st.stores, &caller.customer, limit, q.cursor.as_deref()).await?;
    Ok(Json((&page).into()))
}

/// One of the caller's exports: how far it has got, and its parts.
/// Anyone else's answers 404, as none.
#[utoipa::path(get, path = "/v1/exports/{id}", tag = "exports", security(("bearer" = [])),
    params(("id" = ExportId, Path, description = "An export of the caller's")),
    responses((status = 200, description = "The export", body = ExportView),
        (status = 404, description = "No such export of the caller's", body = crate::views::ErrorBody)))]
pub async fn read(
    State(st): State<AppState>,
    caller: Caller,
    Id(id): Id<ExportId>,
) -> Result<Json<ExportView>, ApiError> {
    let job = jobs::get(&st.stores, &caller.customer, &id).await?;
    Ok(Json((&job).into()))
}

/// Fresh download links for a finished export's parts, each working for
/// `exports.url_ttl_secs` (an hour); ask again for new ones until the
/// parts are removed (`exports.keep_days`, 7 days after it finished). The
/// export's email links here; the link itself carries no secret.
#[utoipa::path(get, path = "/v1/exports/{id}/urls", tag = "exports", security(("bearer" = [])),
    params(("id" = ExportId, Path, description = "An export of the caller's")),
    responses((status = 200, description = "A presigned link per part", body = ExportUrls),
        (status = 404, description = "No such export of the caller's", body = crate::views::ErrorBody),
        (status = 409, description = "The export is not done, or its parts were removed", body = crate::views::ErrorBody)))]
pub async fn urls(
    State(st): State<AppState>,
    caller: Caller,
    Id(id): Id<ExportId>,
) -> Result<Json<ExportUrls>, ApiError> {
    let (job, urls) = jobs::urls(&st.stores, &st.settings, &caller.customer, &id, st.now()).await?;
    Ok(Json(ExportUrls::new(&job, urls)))
}
