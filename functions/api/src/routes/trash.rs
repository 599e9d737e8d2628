//! The trash: a deleted image waits there `trash.keep_days` (30) before
//! the trash sweep purges it, and its owner can take it back until then.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use printvault_domain::ids::ImageId;
use printvault_usecases::trash;

use crate::auth::Caller;
use crate::extract::{Id, QueryParams};
use crate::routes::PageQuery;
use crate::views::images::OwnImage;
use crate::views::trash::{EmptiedView, TrashPage};
use crate::{ApiError, AppState};

/// The caller's trash, most recently deleted first: images they deleted,
/// and images the retention sweep deleted after a warning. Each is billed
/// (M23) until it is purged, on its `purge_on` day.
#[utoipa::path(get, path = "/v1/trash", tag = "trash", security(("bearer" = [])), params(PageQuery),
    responses((status = 200, description = "A page of the caller's trash", body = TrashPage)))]
pub async fn list(
    State(st): State<AppState>,
    caller: Caller,
    QueryParams(q): QueryParams<PageQuery>,
) -> Result<Json<TrashPage>, ApiError> {
    let limit = q.limit(&st.settings.listing)?;
    let page = trash::list(&st.stores, &caller.customer, limit, q.cursor.as_deref()).await?;
    Ok(Json((&page).into()))
}

/// Takes an image back out of the trash, as it was: its attributes,
/// selection, class, prices and search entries, and the albums it was in
/// that still exist. Its grants and links stay revoked: share it again to
/// share it. Its retention (M26, M27) starts again from today.
#[utoipa::path(post, path = "/v1/trash/{id}/restore", tag = "trash", security(("bearer" = [])), params(("id" = ImageId, Path, description = "An image ID")),
    responses((status = 200, description = "The image, back in the gallery", body = OwnImage),
        (status = 404, description = "No such image in the caller's trash (never there, restored already, or purged)", body = crate::views::ErrorBody)))]
pub async fn restore(
    State(st): State<AppState>,
    caller: Caller,
    Id(id): Id<ImageId>,
) -> Result<Json<OwnImage>, ApiError> {
    let image = trash::restore(&st.stores, &caller.customer, &id, st.now()).await?;
    Ok(Json((&image).into()))
}

/// Purges an image from the trash now: its objects, record and meter
/// entry go, and it can no longer be restored.
#[utoipa::path(delete, path = "/v1/trash/{id}", tag = "trash", security(("bearer" = [])), params(("id" = ImageId, Path, description = "An image ID")),
    responses((status = 204, description = "Purged"),
        (status = 404, description = "No such image in the caller's trash", body = crate::views::ErrorBody)))]
pub async fn purge(
    State(st): State<AppState>,
    caller: Caller,
    Id(id): Id<ImageId>,
) -> Result<StatusCode, ApiError> {
    trash::purge_now(&st.stores, &caller.customer, &id, st.now()).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Empties the trash: purges up to `trash.empty_batch` (100) images a
/// call, most recently deleted first. Call again while `more` is true.
#[utoipa::path(delete, path = "/v1/trash", tag = "trash", security(("bearer" = [])),
    responses((status = 200, description = "What this call purged, and whether any is left", body = EmptiedView)))]
pub async fn empty(State(st): State<AppState>, caller: Caller) -> Result<Json<EmptiedView>, ApiError> {
    let done = trash::empty(
        &st.stores,
        &caller.customer,
        st.settings.trash.empty_batch,
        st.now(),
    )
    .await?;
    Ok(Json(done.into()))
}
