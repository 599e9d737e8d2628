//! Short-lived URLs for what a caller may fetch of an image.

use printvault_adapters::keys;
use printvault_domain::access::{Access, Preview};
use printvault_domain::ids::ImageId;
use printvault_domain::image::Image;
use printvault_domain::settings::UploadSettings;
use printvault_domain::when::Timestamp;
use printvault_domain::Error;
use printvault_domain::Thing;
use std::time::Duration;
use time::OffsetDateTime;

use crate::Stores;

/// Presigned GET URLs, each absent when the caller may not have it.
pub struct SignedUrls {
    pub image_id: ImageId,
    pub expires_at: Timestamp,
    pub thumbnail: Option<String>,
    pub preview: Option<String>,
    /// The preview carries the "cannot print" mark (M10).
    pub preview_marked: bool,
    pub original: Option<String>,
}

/// Presigns the URLs `access` allows for the ready `image`: the owner and
/// the owner's friends get the thumbnail and preview, strangers of a
/// viewable image only the marked preview, and the original only where
/// `access` says so: the owner the file as uploaded, anyone else a copy
/// without location metadata.
pub async fn signed_urls(
    st: &Stores,
    uploads: &UploadSettings,
    image: &Image,
    access: &Access,
    by_owner: bool,
    now: OffsetDateTime,
) -> Result<SignedUrls, Error> {
    image.require_ready()?;
    let ttl = uploads.image_url_ttl_secs;
    let d = Duration::from_secs(ttl);
    let (c, i) = (&image.owner, &image.id);
    let mut out = SignedUrls {
        image_id: image.id.clone(),
        expires_at: Timestamp::at(now + time::Duration::seconds(ttl as i64)),
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
            let quality = uploads.jpeg_quality;
            let key = made_once(
                st,
                keys::marked_preview_key(c, i),
                keys::preview_key(c, i),
                64 << 20,
                "image/jpeg",
                move |preview| {
                    printvault_imaging::mark_cannot_print(&preview, quality).map_err(|r| r.to_string())
                },
            )
            .await?;
            out.preview = Some(st.objects.presign_get(&key, d).await?);
            out.preview_marked = true;
        }
        None => return Err(Error::NotFound(Thing::Image)),
    }
    // An original on an archive disc (M32) is in cold storage: no link,
    // except to its owner while a copy they asked for is restored.
    let readable = match &image.archive {
        None => true,
        Some(a) => by_owner && a.restore.as_ref().is_some_and(|r| r.readable(Timestamp::at(now))),
    };
    if access.original && readable {
        let key = if by_owner {
            keys::original_key(c, i)
        } else {
            let format = image.finalised.as_ref().map_or("jpeg", |f| f.format.as_str());
            made_once(
                st,
                keys::shared_original_key(c, i),
                keys::original_key(c, i),
                uploads.max_bytes + 1,
                &format!("image/{format}"),
                |original| printvault_imaging::strip_location(&original).map_err(|e| e.to_string()),
            )
            .await?
        };
        out.original = Some(st.objects.presign_get(&key, d).await?);
    }
    Ok(out)
}

/// [`printvault_adapters::objects::ObjectStore::made_once`]; a source
/// that is missing or too large is an error here (the image is ready).
async fn made_once(
    st: &Stores,
    key: String,
    source: String,
    max_bytes: u64,
    content_type: &str,
    make: impl FnOnce(bytes::Bytes) -> Result<Vec<u8>, String> + Send + 'static,
) -> Result<String, Error> {
    st.objects
        .made_once(key, source.clone(), max_bytes, content_type, make)
        .await?
        .ok_or_else(|| anyhow::anyhow!("{source} is missing or too large").into())
}
