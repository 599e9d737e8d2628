//! X4: share links to one image or album: made, listed and revoked by their
//! owner, and opened by anyone holding the token until it expires.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use printvault_domain::ids::{ImageId, LinkId};
use printvault_domain::Error;
use printvault_domain::Thing;
use printvault_usecases::sharing::links::{self, Opened};
use serde::Deserialize;

use crate::auth::Caller;
use crate::extract::{Id, JsonBody, PathParam, QueryParams};
use crate::routes::grants::target;
use crate::routes::PageQuery;
use crate::views::albums::AlbumPage;
use crate::views::images::{ImageUrls, SharedImage};
use crate::views::sharing::{LinkList, LinkView, NewLinkView};
use crate::{ApiError, AppState};

/// The body of `POST /v1/links`.
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewLink {
    #[serde(default)]
    image_id: Option<String>,
    #[serde(default)]
    album_id: Option<String>,
    /// Default and maximum: settings `links.default_ttl_hours`, `links.max_ttl_hours`.
    #[serde(default)]
    expires_in_hours: Option<u64>,
    /// Whether link holders may fetch the original (default false). Even
    /// then they get a copy without GPS tags, unless it is the owner.
    #[serde(default)]
    allow_original: Option<bool>,
}

/// A share link. The token is shown once, here; only its hash is stored.
#[utoipa::path(post, path = "/v1/links", tag = "links", security(("bearer" = [])), request_body = NewLink,
    responses((status = 201, description = "The link and its token, shown this once (X4)", body = NewLinkView), (status = 404, description = "No such image or album of the caller’s", body = crate::views::ErrorBody), (status = 409, description = "The image is not ready, or the caller has the most live links allowed", body = crate::views::ErrorBody)))]
pub async fn create(
    State(st): State<AppState>,
    caller: Caller,
    JsonBody(body): JsonBody<NewLink>,
) -> Result<(StatusCode, Json<NewLinkView>), ApiError> {
    let t = target(body.image_id, body.album_id)?;
    let (link, token) = links::create(
        &st.stores,
        &st.settings,
        &caller.customer,
        t,
        body.expires_in_hours,
        body.allow_original,
        st.now(),
    )
    .await?;
    Ok((StatusCode::CREATED, Json(NewLinkView::new(&link, &token))))
}

#[utoipa::path(get, path = "/v1/links", tag = "links", security(("bearer" = [])),
    responses((status = 200, description = "The caller’s links, never their tokens", body = LinkList)))]
pub async fn list(State(st): State<AppState>, caller: Caller) -> Result<Json<LinkList>, ApiError> {
    let links = links::list(&st.stores, &caller.customer).await?;
    Ok(Json(LinkList {
        links: links.iter().map(LinkView::from).collect(),
    }))
}

#[utoipa::path(delete, path = "/v1/links/{id}", tag = "links", security(("bearer" = [])), params(("id" = LinkId, Path, description = "A link ID")),
    responses((status = 204, description = "Revoked at once"), (status = 404, description = "No such link of the caller’s", body = crate::views::ErrorBody)))]
pub async fn revoke(
    State(st): State<AppState>,
    caller: Caller,
    Id(id): Id<LinkId>,
) -> Result<StatusCode, ApiError> {
    links::revoke(&st.stores, &caller.customer, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// What a link opens: the image, or the album with a page of its images.
#[derive(serde::Serialize, utoipa::ToSchema)]
#[serde(untagged)]
pub enum SharedView {
    Image(SharedImage),
    Album(AlbumPage),
}

#[utoipa::path(get, path = "/v1/shared/{token}", tag = "links", params(("token" = String, Path, description = "A share link’s token: the 43 URL-safe characters returned once by `POST /v1/links`", pattern = "^[A-Za-z0-9_-]{43}$"), PageQuery),
    responses((status = 200, description = "The linked image, or the linked album with a page of its images", body = SharedView), (status = 404, description = "No such live link", body = crate::views::ErrorBody)))]
pub async fn open(
    State(st): State<AppState>,
    PathParam(token): PathParam<String>,
    QueryParams(q): QueryParams<PageQuery>,
) -> Result<Json<SharedView>, ApiError> {
    let link = links::live_link(&st.stores, &token, st.now()).await?;
    let limit = q.limit(&st.settings.listing)?;
    Ok(Json(
        match links::open(&st.stores, &link, limit, q.cursor.as_deref()).await? {
            Opened::Image(image, access) => SharedView::Image(SharedImage::new(&image, &access)),
            Opened::Album(album, page) => SharedView::Album(AlbumPage::new(&album, &page)),
        },
    ))
}

/// A malformed image ID names nothing: 404.
fn image_id(raw: &str) -> Result<ImageId, ApiError> {
    Ok(ImageId::parse(raw).map_err(|_| Error::NotFound(Thing::Image))?)
}

async fn urls_of(st: &AppState, token: &str, image: Option<ImageId>) -> Result<Json<ImageUrls>, ApiError> {
    let urls =
        links::urls_by_token(&st.stores, &st.settings.uploads, token, image.as_ref(), st.now()).await?;
    Ok(Json(urls.into()))
}

#[utoipa::path(get, path = "/v1/shared/{token}/urls", tag = "links", params(("token" = String, Path, description = "A share link’s token: the 43 URL-safe characters returned once by `POST /v1/links`", pattern = "^[A-Za-z0-9_-]{43}$")),
    responses((status = 200, description = "Short-lived URLs for the linked image", body = ImageUrls), (status = 404, description = "No such live link to an image", body = crate::views::ErrorBody), (status = 409, description = "The image is not ready", body = crate::views::ErrorBody)))]
pub async fn urls(
    State(st): State<AppState>,
    PathParam(token): PathParam<String>,
) -> Result<Json<ImageUrls>, ApiError> {
    urls_of(&st, &token, None).await
}

#[utoipa::path(get, path = "/v1/shared/{token}/images/{id}", tag = "links", params(("token" = String, Path, description = "A share link’s token: the 43 URL-safe characters returned once by `POST /v1/links`", pattern = "^[A-Za-z0-9_-]{43}$"), ("id" = ImageId, Path, description = "An image ID")),
    responses((status = 200, description = "An image in the linked album", body = SharedImage), (status = 404, description = "No such live link, or the image is not in its album", body = crate::views::ErrorBody)))]
pub async fn image(
    State(st): State<AppState>,
    PathParam((token, id)): PathParam<(String, String)>,
) -> Result<Json<SharedImage>, ApiError> {
    let (image, access) = links::image_by_token(&st.stores, &token, Some(&image_id(&id)?), st.now()).await?;
    Ok(Json(SharedImage::new(&image, &access)))
}

#[utoipa::path(get, path = "/v1/shared/{token}/images/{id}/urls", tag = "links", params(("token" = String, Path, description = "A share link’s token: the 43 URL-safe characters returned once by `POST /v1/links`", pattern = "^[A-Za-z0-9_-]{43}$"), ("id" = ImageId, Path, description = "An image ID")),
    responses((status = 200, description = "Short-lived URLs for an image in the linked album", body = ImageUrls), (status = 404, description = "No such live link, or the image is not in its album", body = crate::views::ErrorBody), (status = 409, description = "The image is not ready", body = crate::views::ErrorBody)))]
pub async fn image_urls(
    State(st): State<AppState>,
    PathParam((token, id)): PathParam<(String, String)>,
) -> Result<Json<ImageUrls>, ApiError> {
    urls_of(&st, &token, Some(image_id(&id)?)).await
}
