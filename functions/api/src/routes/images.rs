//! M5, M7-M9: the caller's own images. Another customer's image ID answers
//! 404, exactly like an ID that does not exist.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use printvault_adapters::image_events::ImageEvent;
use printvault_adapters::images::Saved;
use printvault_adapters::keys;
use printvault_adapters::sharing::Target;
use printvault_domain::access::{Access, Class, Preview};
use printvault_domain::album::auto_albums_may_change;
use printvault_domain::classification::ClassChange;
use printvault_domain::ids::{CustomerId, ImageId};
use printvault_domain::image::{AttributesPatch, Image, ImageStatus};
use printvault_domain::Error;
use serde::Deserialize;
use serde_json::{json, Value};
use std::time::Duration;

use crate::access::access;
use crate::auth::{Caller, MaybeCaller};
use crate::error::{JsonBody, PathParam, QueryParams};
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
        "class": i.class,
    });
    let o = v.as_object_mut().expect("json! object");
    if let Some(p) = &i.prices {
        o.insert("prices".into(), json!(p));
    }
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

/// What someone other than the owner sees: no file name, hashes or owner.
pub fn public_view(i: &Image, a: &Access) -> Value {
    let mut v = json!({
        "image_id": i.id,
        "class": i.class,
        "attributes": i.attributes,
        "original_available": a.original,
        "printable": a.print.is_some(),
    });
    let o = v.as_object_mut().expect("json! object");
    if let Some(f) = &i.finalised {
        o.insert("width".into(), json!(f.width));
        o.insert("height".into(), json!(f.height));
    }
    if let (Class::Printable, Some(p)) = (i.class, &i.prices) {
        o.insert("prices".into(), json!(p));
    }
    v
}

/// An image and what the caller may do with it. Anything the caller may not
/// see is `NotFound`, exactly like an image that does not exist.
pub struct Visible {
    pub image: Image,
    pub access: Access,
}

pub async fn visible(st: &AppState, caller: Option<&Caller>, id: &str) -> Result<Visible, ApiError> {
    let not_found = || ApiError::from(Error::NotFound("image"));
    let id = ImageId::parse(id).map_err(|_| not_found())?;
    let who = caller.map(|c| &c.customer);
    // The caller's own partition first: one read for the common case.
    let image = match who {
        Some(c) => st.images.get(c, &id).await?,
        None => None,
    };
    let image = match image {
        Some(i) => i,
        None => st.images.find(&id).await?.ok_or_else(not_found)?,
    };
    let access = access(st, who, &image, None).await?;
    if !access.can_see() {
        return Err(not_found());
    }
    Ok(Visible { image, access })
}

async fn own(st: &AppState, caller: &Caller, id: &str) -> Result<Image, ApiError> {
    own_image(st, &caller.customer, id).await
}

/// The owner's image by its raw ID, being deleted or not; `NotFound` else.
async fn own_image(st: &AppState, owner: &CustomerId, id: &str) -> Result<Image, ApiError> {
    let not_found = || ApiError::from(Error::NotFound("image"));
    let id = ImageId::parse(id).map_err(|_| not_found())?;
    st.images.get(owner, &id).await?.ok_or_else(not_found)
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
    let limit = crate::routes::page_limit(q.limit, l.default_page_size, l.max_page_size)?;
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
    MaybeCaller(caller): MaybeCaller,
    PathParam(id): PathParam<String>,
) -> Result<Json<Value>, ApiError> {
    let v = visible(&st, caller.as_ref(), &id).await?;
    if caller.is_some_and(|c| c.customer == v.image.owner) {
        return Ok(Json(view(&v.image)));
    }
    Ok(Json(public_view(&v.image, &v.access)))
}

fn require_ready(i: &Image) -> Result<(), ApiError> {
    if i.deleting {
        return Err(Error::NotFound("image").into());
    }
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

/// Short-lived URLs for what the caller may fetch: the owner gets the
/// thumbnail, preview and original; others get what the permission model
/// allows, and strangers of a viewable image only the marked preview.
pub async fn urls(
    State(st): State<AppState>,
    MaybeCaller(caller): MaybeCaller,
    PathParam(id): PathParam<String>,
) -> Result<Json<Value>, ApiError> {
    let v = visible(&st, caller.as_ref(), &id).await?;
    require_ready(&v.image)?;
    Ok(Json(signed_urls(&st, &v.image, &v.access).await?))
}

/// Presigns the URLs `access` allows for `image`.
pub async fn signed_urls(st: &AppState, image: &Image, access: &Access) -> Result<Value, ApiError> {
    let ttl = st.settings.uploads.image_url_ttl_secs;
    let d = Duration::from_secs(ttl);
    let (c, i) = (&image.owner, &image.id);
    let mut out = json!({
        "image_id": image.id,
        "expires_at": rfc3339(st.now() + time::Duration::seconds(ttl as i64)),
    });
    let o = out.as_object_mut().expect("json! object");
    match access.preview {
        Some(Preview::Clean) => {
            o.insert(
                "thumbnail".into(),
                json!(st.objects.presign_get(&keys::thumb_key(c, i), d).await?),
            );
            o.insert(
                "preview".into(),
                json!(st.objects.presign_get(&keys::preview_key(c, i), d).await?),
            );
        }
        Some(Preview::Marked) => {
            let key = marked_preview(st, image).await?;
            o.insert("preview".into(), json!(st.objects.presign_get(&key, d).await?));
            o.insert("preview_marked".into(), json!(true));
        }
        None => return Err(Error::NotFound("image").into()),
    }
    if access.original {
        o.insert(
            "original".into(),
            json!(st.objects.presign_get(&keys::original_key(c, i), d).await?),
        );
    }
    Ok(out)
}

/// The preview with the "cannot print" mark, made on first request and
/// cached in S3 (M10). Two concurrent first requests write the same bytes.
async fn marked_preview(st: &AppState, image: &Image) -> Result<String, ApiError> {
    let key = keys::marked_preview_key(&image.owner, &image.id);
    if st.objects.exists(&key).await? {
        return Ok(key);
    }
    let preview = match st
        .objects
        .get_bounded(&keys::preview_key(&image.owner, &image.id), 64 << 20)
        .await?
    {
        printvault_adapters::objects::Fetched::Bytes(b) => b,
        _ => return Err(anyhow::anyhow!("the preview of {} is missing", image.id).into()),
    };
    let quality = st.settings.uploads.jpeg_quality;
    let marked =
        tokio::task::spawn_blocking(move || printvault_imaging::mark_cannot_print(&preview, quality))
            .await
            .map_err(|e| anyhow::anyhow!("marking task failed: {e}"))?
            .map_err(|r| anyhow::anyhow!("marking the preview of {}: {r}", image.id))?;
    st.objects.put(&key, marked, "image/jpeg").await?;
    Ok(key)
}

/// M10, M11: set who may see and print the image, and at what price.
pub async fn classify(
    State(st): State<AppState>,
    caller: Caller,
    PathParam(id): PathParam<String>,
    JsonBody(change): JsonBody<ClassChange>,
) -> Result<Json<Value>, ApiError> {
    let (class, prices) = change.validate(&st.settings.pricing.image_price)?;
    let image = change_image(&st, &caller.customer, &id, None, |image| {
        image.class = class;
        image.prices = prices;
        Ok(())
    })
    .await?;
    tracing::info!(image_id = %image.id, class = class.as_str(), "image classified");
    Ok(Json(view(&image)))
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
    PathParam(id): PathParam<String>,
    JsonBody(edit): JsonBody<Edit>,
) -> Result<Json<Value>, ApiError> {
    let image = change_image(&st, &caller.customer, &id, edit.attributes.as_ref(), |image| {
        if let Some(patch) = &edit.attributes {
            image.attributes.apply(patch.clone())?;
        }
        if let Some(selected) = edit.selected {
            image.selected = selected;
        }
        Ok(())
    })
    .await?;
    Ok(Json(view(&image)))
}

/// How often a change is re-applied when other requests keep saving changes
/// to the same image first.
const CHANGE_ATTEMPTS: usize = 3;

/// Applies `change` to the owner's ready image and saves it; search follows
/// at once. If another request saved a change to the image in between, the
/// image is read again and `change` applied to that, so no change ever
/// overwrites another. When `patch` sets the date taken, event or place, or
/// the change moved the image between automatic albums, classify is asked to
/// file it again; if that message cannot be sent the caller gets an error,
/// and repeating the same edit sends it again.
pub(crate) async fn change_image(
    st: &AppState,
    owner: &CustomerId,
    raw_id: &str,
    patch: Option<&AttributesPatch>,
    change: impl Fn(&mut Image) -> Result<(), ApiError>,
) -> Result<Image, ApiError> {
    for _ in 0..CHANGE_ATTEMPTS {
        let before = own_image(st, owner, raw_id).await?;
        require_ready(&before)?;
        let mut after = before.clone();
        change(&mut after)?;
        if st.images.save_details(&before, &after, &st.search).await? == Saved::Stale {
            continue;
        }
        after.rev = before.rev + 1;
        if patch.is_some_and(AttributesPatch::touches_auto_album_fields)
            || auto_albums_may_change(&before.attributes, &after.attributes)
        {
            st.events
                .publish(&ImageEvent::attributes_changed(&after.owner, &after.id))
                .await?;
        }
        return Ok(after);
    }
    Err(Error::Conflict("other requests keep changing this image; try again".into()).into())
}

/// Marks the image as being deleted, then deletes its objects, its hash
/// claim, its grants, index items and album memberships, and its record last,
/// so a crash part-way leaves a record to retry the delete from, never an
/// orphan. The mark comes first so that no concurrent change, filing or index
/// write can land after the clean-up read what to undo.
pub async fn remove(
    State(st): State<AppState>,
    caller: Caller,
    PathParam(id): PathParam<String>,
) -> Result<StatusCode, ApiError> {
    let found = own(&st, &caller, &id).await?;
    let image = st
        .images
        .mark_deleting(&found.owner, &found.id)
        .await?
        .ok_or(Error::NotFound("image"))?;
    for key in keys::all_image_keys(&image.owner, &image.id) {
        st.objects.delete(&key).await?;
    }
    if let Some(f) = &image.finalised {
        st.images.release_hash(&image.owner, &f.sha256, &image.id).await?;
    }
    st.sharing
        .revoke_all(&image.owner, &Target::Image(image.id.clone()))
        .await?;
    st.search.remove(&image).await?;
    for album in &image.albums {
        st.albums.remove(&image.owner, album, &image.id).await?;
    }
    st.images.delete(&image.owner, &image.id).await?;
    tracing::info!(customer_id = %image.owner, image_id = %image.id, "image deleted");
    Ok(StatusCode::NO_CONTENT)
}
