//! M5, M7-M11: images. Another customer's image answers 404 unless the
//! permission model lets the caller see it, exactly like an ID that does
//! not exist.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use printvault_domain::classification::ClassChange;
use printvault_domain::ids::ImageId;
use printvault_domain::image::AttributesPatch;
use printvault_usecases::images::{self, ImageEdit};
use serde::Deserialize;

use crate::auth::{Caller, MaybeCaller};
use crate::extract::{Id, JsonBody, QueryParams};
use crate::routes::PageQuery;
use crate::views::images::{ImagePage, ImageUrls, ImageView, OwnImage, SharedImage};
use crate::{ApiError, AppState};

#[utoipa::path(get, path = "/v1/images", tag = "images", security(("bearer" = [])), params(PageQuery),
    responses((status = 200, description = "The caller’s images, newest first", body = ImagePage)))]
pub async fn list(
    State(st): State<AppState>,
    caller: Caller,
    QueryParams(q): QueryParams<PageQuery>,
) -> Result<Json<ImagePage>, ApiError> {
    let limit = q.limit(&st.settings.listing)?;
    let page =
        images::list_images(&st.stores, &caller.customer, limit, q.cursor.as_deref(), st.now()).await?;
    Ok(Json((&page).into()))
}

#[utoipa::path(get, path = "/v1/images/{id}", tag = "images", security((), ("bearer" = [])), params(("id" = ImageId, Path, description = "An image ID")),
    responses((status = 200, description = "All of it for its owner; what the permission model allows for anyone else", body = ImageView), (status = 404, description = "No such image, or the caller may not see it", body = crate::views::ErrorBody)))]
pub async fn read(
    State(st): State<AppState>,
    MaybeCaller(caller): MaybeCaller,
    Id(id): Id<ImageId>,
) -> Result<Json<ImageView>, ApiError> {
    let who = caller.as_ref().map(|c| &c.customer);
    let v = images::visible(&st.stores, who, &id, st.now()).await?;
    Ok(Json(if v.is_owner(who) {
        ImageView::Own((&v.image).into())
    } else {
        ImageView::Shared(SharedImage::new(&v.image, &v.access))
    }))
}

/// Short-lived URLs for what the caller may fetch.
#[utoipa::path(get, path = "/v1/images/{id}/urls", tag = "images", security((), ("bearer" = [])), params(("id" = ImageId, Path, description = "An image ID")),
    responses((status = 200, description = "Short-lived URLs for what the caller may fetch", body = ImageUrls), (status = 404, description = "No such image, or the caller may not see it", body = crate::views::ErrorBody), (status = 409, description = "The image is not ready", body = crate::views::ErrorBody)))]
pub async fn urls(
    State(st): State<AppState>,
    MaybeCaller(caller): MaybeCaller,
    Id(id): Id<ImageId>,
) -> Result<Json<ImageUrls>, ApiError> {
    let who = caller.as_ref().map(|c| &c.customer);
    let urls = images::urls_for(&st.stores, &st.settings.uploads, who, &id, st.now()).await?;
    Ok(Json(urls.into()))
}

/// M10, M11: set who may see and print the image, and at what price.
#[utoipa::path(put, path = "/v1/images/{id}/class", tag = "images", security(("bearer" = [])), params(("id" = ImageId, Path, description = "An image ID")), request_body = ClassChange,
    responses((status = 200, description = "The image after the change (M10, M11)", body = OwnImage), (status = 404, description = "No such image of the caller’s", body = crate::views::ErrorBody), (status = 409, description = "The image is not ready, or other requests keep changing it", body = crate::views::ErrorBody)))]
pub async fn classify(
    State(st): State<AppState>,
    caller: Caller,
    Id(id): Id<ImageId>,
    JsonBody(change): JsonBody<ClassChange>,
) -> Result<Json<OwnImage>, ApiError> {
    let image = images::classify(&st.stores, &st.settings, &caller.customer, &id, change).await?;
    Ok(Json((&image).into()))
}

/// The body of `PATCH /v1/images/{id}`.
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Edit {
    #[serde(default)]
    attributes: Option<AttributesPatch>,
    #[serde(default)]
    selected: Option<bool>,
    /// Let others who may see the image see its place's coordinates too
    /// (off by default; the place's name is always shown).
    #[serde(default)]
    location_shared: Option<bool>,
}

/// M8 attributes and M9 selection.
#[utoipa::path(patch, path = "/v1/images/{id}", tag = "images", security(("bearer" = [])), params(("id" = ImageId, Path, description = "An image ID")), request_body = Edit,
    responses((status = 200, description = "The image after the change (M8, M9)", body = OwnImage), (status = 404, description = "No such image of the caller’s", body = crate::views::ErrorBody), (status = 409, description = "The image is not ready, or other requests keep changing it", body = crate::views::ErrorBody)))]
pub async fn edit(
    State(st): State<AppState>,
    caller: Caller,
    Id(id): Id<ImageId>,
    JsonBody(edit): JsonBody<Edit>,
) -> Result<Json<OwnImage>, ApiError> {
    let edit = ImageEdit {
        attributes: edit.attributes,
        selected: edit.selected,
        location_shared: edit.location_shared,
    };
    let image = images::edit(&st.stores, &caller.customer, &id, &edit, st.now().date()).await?;
    Ok(Json((&image).into()))
}

/// Moves the image to the trash (`GET /v1/trash`): at once it leaves the
/// gallery, search and albums, and its grants and links are revoked (for
/// good: a restore does not bring them back). It can be restored for
/// `trash.keep_days` (30 days), and is billed until it is purged. An upload
/// that never became an image (pending, rejected, a duplicate) is deleted
/// at once.
#[utoipa::path(delete, path = "/v1/images/{id}", tag = "images", security(("bearer" = [])), params(("id" = ImageId, Path, description = "An image ID")),
    responses((status = 204, description = "In the trash (or, for an upload that never became an image, deleted)"), (status = 404, description = "No such image of the caller’s", body = crate::views::ErrorBody)))]
pub async fn remove(
    State(st): State<AppState>,
    caller: Caller,
    Id(id): Id<ImageId>,
) -> Result<StatusCode, ApiError> {
    images::trash_image(
        &st.stores,
        &caller.customer,
        &id,
        st.now(),
        st.settings.trash.keep_days,
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}
