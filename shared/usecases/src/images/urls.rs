//! Short-lived URLs for what a caller may fetch of an image.

use printvault_adapters::keys;
use printvault_adapters::objects::Fetched;
use printvault_domain::access::{Access, Preview};
use printvault_domain::ids::ImageId;
use printvault_domain::image::Image;
use printvault_domain::settings::UploadSettings;
use printvault_domain::when::rfc3339;
use printvault_domain::Error;
use std::time::Duration;
use time::OffsetDateTime;

use crate::Stores;

/// Presigned GET URLs, each absent when the caller may not have it.
pub struct SignedUrls {
    pub image_id: ImageId,
    pub expires_at: String,
    pub thumbnail: Option<String>,
    pub preview: Option<String>,
    /// The preview carries the "cannot print" mark (M10).
    pub preview_marked: bool,
    pub original: Option<String>,
}

/// Presigns the URLs `access` allows for the ready `image`: the owner and
/// the owner's friends get the thumbnail and preview, strangers of a
/// viewable image only the marked preview, and the original only where
/// `access` says so.
pub async fn signed_urls(
    st: &Stores,
    uploads: &UploadSettings,
    image: &Image,
    access: &Access,
    now: OffsetDateTime,
) -> Result<SignedUrls, Error> {
    image.require_ready()?;
    let ttl = uploads.image_url_ttl_secs;
    let d = Duration::from_secs(ttl);
    let (c, i) = (&image.owner, &image.id);
    let mut out = SignedUrls {
        image_id: image.id.clone(),
        expires_at: rfc3339(now + time::Duration::seconds(ttl as i64)),
        thumbnail: None,
        preview: None,
        preview_marked: false,
        original: None,
    };
    match access.preview {
        Some(Preview::Clean) => {
            out.thumbnail = Some(st.objects.presign_get(&keys::thumb_key(c, i), d).await?);
            out.preview = Some(st.objects.presign_get(&keys::preview_key(c, i), d).await?);
        }
        Some(Preview::Marked) => {
            let key = marked_preview(st, uploads.jpeg_quality, image).await?;
            out.preview = Some(st.objects.presign_get(&key, d).await?);
            out.preview_marked = true;
        }
        None => return Err(Error::NotFound("image")),
    }
    if access.original {
        out.original = Some(st.objects.presign_get(&keys::original_key(c, i), d).await?);
    }
    Ok(out)
}

/// The preview with the "cannot print" mark, made on first request and
/// cached in S3 (M10). Two concurrent first requests write the same bytes.
async fn marked_preview(st: &Stores, quality: u8, image: &Image) -> Result<String, Error> {
    let key = keys::marked_preview_key(&image.owner, &image.id);
    if st.objects.exists(&key).await? {
        return Ok(key);
    }
    let preview = match st
        .objects
        .get_bounded(&keys::preview_key(&image.owner, &image.id), 64 << 20)
        .await?
    {
        Fetched::Bytes(b) => b,
        _ => return Err(anyhow::anyhow!("the preview of {} is missing", image.id).into()),
    };
    let id = image.id.clone();
    let marked =
        tokio::task::spawn_blocking(move || printvault_imaging::mark_cannot_print(&preview, quality))
            .await
            .map_err(|e| anyhow::anyhow!("marking task failed: {e}"))?
            .map_err(|r| anyhow::anyhow!("marking the preview of {id}: {r}"))?;
    st.objects.put(&key, marked, "image/jpeg").await?;
    Ok(key)
}
