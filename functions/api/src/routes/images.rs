//! M5, M7-M9: the caller's own images. Another customer's image ID answers
//! 404, exactly like an ID that does not exist.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use printvault_adapters::keys;
use printvault_domain::ids::ImageId;
use printvault_domain::image::{AttributesPatch, Image, ImageStatus};
use printvault_domain::Error;
use serde::Deserialize;
use serde_json::{json, Value};
use std::time::Duration;

use crate::auth::Caller;
use crate::error::{JsonBody, QueryParams};
use crate::state::rfc3339;
use crate::{ApiError, AppState};

/// What the owner sees of an image.
pub fn view(i: &Image) -> Value {
    let mut v = json!({
        "image_id": i.id,
        "status": i.status,
        "created_at": i.created_at,
        "declared_type": i.declared_type,
        "declared_bytes": i.declared_bytes,
        "attributes": i.attributes,
        "selected": i.selected,
    });
    let o = v.as_object_mut().expect("json! object");
    if let Some(n) = &i.file_name {
        o.insert("file_name".into(), json!(n));
    }
    if let Some(r) = &i.rejection {
        o.insert("rejection".into(), json!(r));
    }
    if let Some(d) = &i.duplicate_of {
        o.insert("duplicate_of".into(), json!(d));
    }
    if let Some(f) = &i.finalised {
        o.insert("format".into(), json!(f.format));
        o.insert("bytes".into(), json!(f.bytes));
        o.insert("width".into(), json!(f.width));
        o.insert("height".into(), json!(f.height));
        o.insert("sha256".into(), json!(f.sha256));
        o.insert("finalised_at".into(), json!(f.finalised_at));
    }
    v
}

async fn own(st: &AppState, caller: &Caller, id: &str) -> Result<Image, ApiError> {
    let not_found = || ApiError::from(Error::NotFound("image"));
    let id = ImageId::parse(id).map_err(|_| not_found())?;
    st.images.get(&caller.customer, &id).await?.ok_or_else(not_found)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ListQuery {
    limit: Option<u32>,
    cursor: Option<String>,
}

pub async fn list(
    State(st): State<AppState>,
    caller: Caller,
    QueryParams(q): QueryParams<ListQuery>,
) -> Result<Json<Value>, ApiError> {
    let l = &st.settings.listing;
    let limit = q.limit.unwrap_or(l.default_page_size);
    if limit == 0 || limit > l.max_page_size {
        return Err(Error::invalid(
            "limit",
            format!("limit must be between 1 and {}", l.max_page_size),
        )
        .into());
    }
    let page = st
        .images
        .list(&caller.customer, limit, q.cursor.as_deref())
        .await?;
    Ok(Json(json!({
        "images": page.items.iter().map(view).collect::<Vec<_>>(),
        "next_cursor": page.next_cursor,
    })))
}

pub async fn read(
    State(st): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    Ok(Json(view(&own(&st, &caller, &id).await?)))
}

fn require_ready(i: &Image) -> Result<(), ApiError> {
    match i.status {
        ImageStatus::Ready => Ok(()),
        ImageStatus::Duplicate => Err(Error::Conflict(format!(
            "this upload duplicates image {}; use that one",
            i.duplicate_of.as_ref().map(ImageId::as_str).unwrap_or("?")
        ))
        .into()),
        s => Err(Error::Conflict(format!("the image is {}, not ready", s.as_str())).into()),
    }
}

/// Short-lived URLs for the owner's thumbnail, preview and original.
pub async fn urls(
    State(st): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let image = own(&st, &caller, &id).await?;
    require_ready(&image)?;
    let ttl = st.settings.uploads.image_url_ttl_secs;
    let d = Duration::from_secs(ttl);
    let (c, i) = (&image.owner, &image.id);
    Ok(Json(json!({
        "image_id": image.id,
        "thumbnail": st.objects.presign_get(&keys::thumb_key(c, i), d).await?,
        "preview": st.objects.presign_get(&keys::preview_key(c, i), d).await?,
        "original": st.objects.presign_get(&keys::original_key(c, i), d).await?,
        "expires_at": rfc3339(st.now() + time::Duration::seconds(ttl as i64)),
    })))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Edit {
    #[serde(default)]
    attributes: Option<AttributesPatch>,
    #[serde(default)]
    selected: Option<bool>,
}

/// M8 attributes and M9 selection.
pub async fn edit(
    State(st): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    JsonBody(edit): JsonBody<Edit>,
) -> Result<Json<Value>, ApiError> {
    let mut image = own(&st, &caller, &id).await?;
    require_ready(&image)?;
    if let Some(patch) = edit.attributes {
        image.attributes.apply(patch)?;
    }
    if let Some(sel) = edit.selected {
        image.selected = sel;
    }
    st.images.update_details(&image).await?;
    Ok(Json(view(&image)))
}

/// Deletes the image's objects, then its hash claim, then its record, so a
/// crash part-way leaves a record to retry the delete from, never an orphan.
pub async fn remove(
    State(st): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    let image = own(&st, &caller, &id).await?;
    for key in keys::all_image_keys(&image.owner, &image.id) {
        st.objects.delete(&key).await?;
    }
    if let Some(f) = &image.finalised {
        st.images.release_hash(&image.owner, &f.sha256, &image.id).await?;
    }
    st.images.delete(&image.owner, &image.id).await?;
    tracing::info!(customer_id = %image.owner, image_id = %image.id, "image deleted");
    Ok(StatusCode::NO_CONTENT)
}
