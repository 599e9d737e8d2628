//! M12 albums: made by hand here, or automatically by the classify function.
//! An album answers 404 to anyone but its owner and its grantees.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use printvault_domain::ids::{AlbumId, ImageId};
use printvault_domain::image::AttributesPatch;
use printvault_domain::Error;
use printvault_domain::Problem;
use printvault_usecases::albums;
use serde::Deserialize;

use crate::auth::Caller;
use crate::extract::{Id, Ids, JsonBody, QueryParams};
use crate::routes::PageQuery;
use crate::views::albums::{AlbumList, AlbumPage, AlbumView, BulkResult, BulkResults, BulkStatus};
use crate::{ApiError, AppState};

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AlbumName {
    #[schema(example = "Kyoto")]
    name: String,
}

#[utoipa::path(post, path = "/v1/albums", tag = "albums", security(("bearer" = [])), request_body = AlbumName,
    responses((status = 201, description = "A new manual album (M12)", body = AlbumView), (status = 409, description = "The caller has the most albums allowed (settings `quotas.albums`)", body = crate::views::ErrorBody)))]
pub async fn create(
    State(st): State<AppState>,
    caller: Caller,
    JsonBody(body): JsonBody<AlbumName>,
) -> Result<(StatusCode, Json<AlbumView>), ApiError> {
    let album = albums::create(
        &st.stores,
        &st.settings.quotas,
        &caller.customer,
        &body.name,
        st.now(),
    )
    .await?;
    Ok((StatusCode::CREATED, Json((&album).into())))
}

/// The caller's albums, manual and automatic, a page at a time.
#[utoipa::path(get, path = "/v1/albums", tag = "albums", security(("bearer" = [])), params(PageQuery),
    responses((status = 200, description = "The caller’s albums, manual and automatic", body = AlbumList)))]
pub async fn list(
    State(st): State<AppState>,
    caller: Caller,
    QueryParams(q): QueryParams<PageQuery>,
) -> Result<Json<AlbumList>, ApiError> {
    let limit = q.limit(&st.settings.listing)?;
    let page = albums::list(&st.stores, &caller.customer, limit, q.cursor.as_deref()).await?;
    Ok(Json((&page).into()))
}

/// The owner's album, or one granted to the caller, with a page of images.
#[utoipa::path(get, path = "/v1/albums/{id}", tag = "albums", security(("bearer" = [])), params(("id" = AlbumId, Path, description = "An album ID"), PageQuery),
    responses((status = 200, description = "The album and a page of its images the caller may see", body = AlbumPage), (status = 404, description = "No such album of the caller’s or granted to them", body = crate::views::ErrorBody)))]
pub async fn read(
    State(st): State<AppState>,
    caller: Caller,
    Id(id): Id<AlbumId>,
    QueryParams(q): QueryParams<PageQuery>,
) -> Result<Json<AlbumPage>, ApiError> {
    let limit = q.limit(&st.settings.listing)?;
    let (album, page) = albums::read(&st.stores, &caller.customer, &id, limit, q.cursor.as_deref()).await?;
    Ok(Json(AlbumPage::new(&album, &page)))
}

#[utoipa::path(patch, path = "/v1/albums/{id}", tag = "albums", security(("bearer" = [])), params(("id" = AlbumId, Path, description = "An album ID")), request_body = AlbumName,
    responses((status = 200, description = "Renamed", body = AlbumView), (status = 404, description = "No such album of the caller’s", body = crate::views::ErrorBody)))]
pub async fn rename(
    State(st): State<AppState>,
    caller: Caller,
    Id(id): Id<AlbumId>,
    JsonBody(body): JsonBody<AlbumName>,
) -> Result<Json<AlbumView>, ApiError> {
    let album = albums::rename(&st.stores, &caller.customer, &id, &body.name).await?;
    Ok(Json((&album).into()))
}

/// Deletes the album (never its images), and every grant and link of it.
#[utoipa::path(delete, path = "/v1/albums/{id}", tag = "albums", security(("bearer" = [])), params(("id" = AlbumId, Path, description = "An album ID")),
    responses((status = 204, description = "Deleted with its grants and links; its images stay"), (status = 404, description = "No such album of the caller’s", body = crate::views::ErrorBody)))]
pub async fn remove(
    State(st): State<AppState>,
    caller: Caller,
    Id(id): Id<AlbumId>,
) -> Result<StatusCode, ApiError> {
    albums::delete(&st.stores, &caller.customer, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(put, path = "/v1/albums/{id}/images/{image}", tag = "albums", security(("bearer" = [])), params(("id" = AlbumId, Path, description = "An album ID"), ("image" = ImageId, Path, description = "An image ID")),
    responses((status = 204, description = "The image is in the album"), (status = 404, description = "No such album or image of the caller’s", body = crate::views::ErrorBody), (status = 409, description = "The image is not ready, or already in the most albums allowed", body = crate::views::ErrorBody)))]
pub async fn add_image(
    State(st): State<AppState>,
    caller: Caller,
    Ids(album, image): Ids<AlbumId, ImageId>,
) -> Result<StatusCode, ApiError> {
    albums::add_image(&st.stores, &caller.customer, &album, &image, st.now()).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(delete, path = "/v1/albums/{id}/images/{image}", tag = "albums", security(("bearer" = [])), params(("id" = AlbumId, Path, description = "An album ID"), ("image" = ImageId, Path, description = "An image ID")),
    responses((status = 204, description = "The image is not in the album"), (status = 404, description = "No such album of the caller’s", body = crate::views::ErrorBody)))]
pub async fn remove_image(
    State(st): State<AppState>,
    caller: Caller,
    Ids(album, image): Ids<AlbumId, ImageId>,
) -> Result<StatusCode, ApiError> {
    albums::remove_image(&st.stores, &caller.customer, &album, &image).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The body of `POST /v1/images/attributes`.
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BulkEdit {
    image_ids: Vec<String>,
    #[schema(value_type = AttributesPatch)]
    attributes: serde_json::Value,
}

/// Applies one attribute edit (M8) to many of the caller's images; each
/// image reports its own outcome.
#[utoipa::path(post, path = "/v1/images/attributes", tag = "albums", security(("bearer" = [])), request_body = BulkEdit,
    responses((status = 200, description = "One outcome per image, in the order sent", body = BulkResults)))]
pub async fn bulk_attributes(
    State(st): State<AppState>,
    caller: Caller,
    JsonBody(body): JsonBody<BulkEdit>,
) -> Result<Json<BulkResults>, ApiError> {
    let patch: AttributesPatch = serde_json::from_value(body.attributes)
        .map_err(|e| Error::invalid("attributes", Problem::Unreadable(e.to_string())))?;
    let outcomes = albums::bulk_attributes(&st.stores, &caller.customer, &body.image_ids, patch).await?;
    let results = body
        .image_ids
        .into_iter()
        .zip(outcomes)
        .map(|(image_id, outcome)| match outcome {
            Ok(()) => BulkResult {
                image_id,
                status: BulkStatus::Updated("updated"),
                error: None,
            },
            Err(e) => {
                let e = ApiError::from(e);
                BulkResult {
                    image_id,
                    status: BulkStatus::Failed(e.status().as_u16()),
                    error: Some(e.message().to_owned()),
                }
            }
        })
        .collect();
    Ok(Json(BulkResults { results }))
}
