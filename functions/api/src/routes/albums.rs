//! M12 albums: made by hand here, or automatically by the classify function.
//! An album answers 404 to anyone but its owner and its grantees.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::Json;
use printvault_adapters::sharing::Target;
use printvault_domain::access::LinkTerms;
use printvault_domain::album::{album_name, Album, AlbumKind, MAX_ALBUMS_PER_IMAGE, MAX_BULK};
use printvault_domain::ids::{AlbumId, CustomerId, ImageId};
use printvault_domain::image::{Attributes, AttributesPatch};
use printvault_domain::Error;
use serde::Deserialize;
use serde_json::{json, Value};

use crate::access::access;
use crate::auth::Caller;
use crate::error::{JsonBody, PathParam, QueryParams};
use crate::routes::grants::{own_album, own_ready};
use crate::routes::images::{public_view, view};
use crate::state::rfc3339;
use crate::{ApiError, AppState};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewAlbum {
    name: String,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct PageQuery {
    limit: Option<u32>,
    cursor: Option<String>,
}

fn album_view(a: &Album) -> Value {
    json!({"album_id": a.album_id, "name": a.name, "kind": a.kind, "created_at": a.created_at})
}

/// An album and one page of its images, as `caller` (or a link holder) may see them.
pub async fn album_page(
    st: &AppState,
    caller: Option<&CustomerId>,
    album: &Album,
    link: Option<LinkTerms>,
    q: PageQuery,
) -> Result<Value, ApiError> {
    let l = &st.settings.listing;
    let limit = crate::routes::page_limit(q.limit, l.default_page_size, l.max_page_size)?;
    let page = st
        .albums
        .images(&album.album_id, limit, q.cursor.as_deref())
        .await?;
    let mut images = Vec::with_capacity(page.items.len());
    for id in &page.items {
        let Some(image) = st.images.get(&album.owner, id).await? else {
            continue;
        };
        if caller == Some(&album.owner) {
            images.push(view(&image));
            continue;
        }
        let a = access(st, caller, &image, link).await?;
        if a.can_see() {
            images.push(public_view(&image, &a));
        }
    }
    let mut v = album_view(album);
    v["images"] = json!(images);
    v["next_cursor"] = json!(page.next_cursor);
    Ok(v)
}

pub async fn create(
    State(st): State<AppState>,
    caller: Caller,
    JsonBody(body): JsonBody<NewAlbum>,
) -> Result<impl IntoResponse, ApiError> {
    let album = Album {
        album_id: AlbumId::generate(),
        owner: caller.customer.clone(),
        name: album_name(&body.name)?,
        kind: AlbumKind::Manual,
        auto_key: None,
        created_at: rfc3339(st.now()),
    };
    st.albums.create(&album).await?;
    Ok((StatusCode::CREATED, Json(album_view(&album))))
}

/// The caller's albums, manual and automatic, a page at a time.
pub async fn list(
    State(st): State<AppState>,
    caller: Caller,
    QueryParams(q): QueryParams<PageQuery>,
) -> Result<Json<Value>, ApiError> {
    let l = &st.settings.listing;
    let limit = crate::routes::page_limit(q.limit, l.default_page_size, l.max_page_size)?;
    let page = st
        .albums
        .page(&caller.customer, limit, q.cursor.as_deref())
        .await?;
    Ok(Json(json!({
        "albums": page.items.iter().map(album_view).collect::<Vec<_>>(),
        "next_cursor": page.next_cursor,
    })))
}

/// The owner's album, or one granted to the caller.
pub async fn read(
    State(st): State<AppState>,
    caller: Caller,
    PathParam(id): PathParam<String>,
    QueryParams(q): QueryParams<PageQuery>,
) -> Result<Json<Value>, ApiError> {
    let nf = || ApiError::from(Error::NotFound("album"));
    let aid = AlbumId::parse(&id).map_err(|_| nf())?;
    let album = match st.albums.get(&caller.customer, &aid).await? {
        Some(a) => a,
        None => {
            let grant = st
                .sharing
                .grant_of(&Target::Album(aid.clone()), &caller.customer)
                .await?
                .ok_or_else(nf)?;
            st.albums.get(&grant.owner, &aid).await?.ok_or_else(nf)?
        }
    };
    Ok(Json(
        album_page(&st, Some(&caller.customer), &album, None, q).await?,
    ))
}

pub async fn rename(
    State(st): State<AppState>,
    caller: Caller,
    PathParam(id): PathParam<String>,
    JsonBody(body): JsonBody<NewAlbum>,
) -> Result<Json<Value>, ApiError> {
    let mut album = own_album(&st, &caller.customer, &id).await?;
    album.name = album_name(&body.name)?;
    st.albums
        .rename(&album.owner, &album.album_id, &album.name)
        .await?;
    Ok(Json(album_view(&album)))
}

/// Deletes the album (never its images), and every grant and link of it.
pub async fn remove(
    State(st): State<AppState>,
    caller: Caller,
    PathParam(id): PathParam<String>,
) -> Result<StatusCode, ApiError> {
    let album = own_album(&st, &caller.customer, &id).await?;
    st.sharing
        .revoke_all(&album.owner, &Target::Album(album.album_id.clone()))
        .await?;
    st.albums.delete(&album).await?;
    Ok(StatusCode::NO_CONTENT)
}

pub async fn add_image(
    State(st): State<AppState>,
    caller: Caller,
    PathParam((id, image)): PathParam<(String, String)>,
) -> Result<StatusCode, ApiError> {
    let album = own_album(&st, &caller.customer, &id).await?;
    let image = own_ready(&st, &caller.customer, &image).await?;
    if !image.albums.contains(&album.album_id) && image.albums.len() >= MAX_ALBUMS_PER_IMAGE {
        return Err(Error::Conflict(format!(
            "an image can be in at most {MAX_ALBUMS_PER_IMAGE} albums"
        ))
        .into());
    }
    st.albums
        .add(&album.owner, &album.album_id, &image.id, &rfc3339(st.now()), None)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

pub async fn remove_image(
    State(st): State<AppState>,
    caller: Caller,
    PathParam((id, image)): PathParam<(String, String)>,
) -> Result<StatusCode, ApiError> {
    let album = own_album(&st, &caller.customer, &id).await?;
    let image = ImageId::parse(&image).map_err(|_| ApiError::from(Error::NotFound("image")))?;
    st.albums.remove(&album.owner, &album.album_id, &image).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BulkEdit {
    image_ids: Vec<String>,
    attributes: Value,
}

/// Applies one attribute edit (M8) to many of the caller's images. The edit
/// is checked once up front; each image then reports its own outcome.
pub async fn bulk_attributes(
    State(st): State<AppState>,
    caller: Caller,
    JsonBody(body): JsonBody<BulkEdit>,
) -> Result<Json<Value>, ApiError> {
    if body.image_ids.is_empty() || body.image_ids.len() > MAX_BULK {
        return Err(Error::invalid("image_ids", format!("send 1 to {MAX_BULK} image IDs")).into());
    }
    let patch = || -> Result<AttributesPatch, ApiError> {
        serde_json::from_value(body.attributes.clone())
            .map_err(|e| Error::invalid("attributes", format!("invalid attributes: {e}")).into())
    };
    // Validate the edit once against empty attributes, so a bad edit fails whole.
    Attributes::default().apply(patch()?)?;
    let mut results = Vec::with_capacity(body.image_ids.len());
    for raw in &body.image_ids {
        let outcome = async {
            let patch = patch()?;
            super::images::change_image(&st, &caller.customer, raw, Some(&patch), |image| {
                image.attributes.apply(patch.clone())?;
                Ok(())
            })
            .await?;
            Ok::<_, ApiError>(())
        }
        .await;
        results.push(match outcome {
            Ok(()) => json!({"image_id": raw, "status": "updated"}),
            Err(e) => {
                if e.status().is_server_error() {
                    // Reported inside a 200, so it is never logged as a response.
                    tracing::error!(image_id = %raw, error = ?e, "a bulk edit failed for one image");
                }
                json!({"image_id": raw, "status": e.status().as_u16(), "error": e.message()})
            }
        });
    }
    Ok(Json(json!({"results": results})))
}
