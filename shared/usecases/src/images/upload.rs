//! M5: a presigned PUT URL for one new image, and its pending record.

use printvault_adapters::keys;
use printvault_adapters::objects::Presigned;
use printvault_domain::ids::CustomerId;
use printvault_domain::image::Image;
use printvault_domain::settings::Settings;
use printvault_domain::upload::UploadRequest;
use printvault_domain::when::Timestamp;
use printvault_domain::{Error, Limit};
use std::time::Duration;
use time::OffsetDateTime;

use crate::Stores;

/// Where and until when the client may PUT the bytes.
pub struct UploadTicket {
    pub image: Image,
    pub upload: Presigned,
    pub expires_at: Timestamp,
}

/// Checks the request, records a pending image and signs a PUT bound to its
/// key, content type and length.
pub async fn request_upload(
    st: &Stores,
    settings: &Settings,
    owner: &CustomerId,
    req: UploadRequest,
    now: OffsetDateTime,
) -> Result<UploadTicket, Error> {
    let up = &settings.uploads;
    let valid = req.validate(up.max_bytes)?;
    let quota = settings.quotas.pending_uploads;
    if st
        .images
        .pending_uploads(owner, now.unix_timestamp(), quota)
        .await?
        >= quota
    {
        return Err(Error::OverLimit(Limit::PendingUploads {
            max: quota,
            retry_after_secs: up.url_ttl_secs,
        }));
    }
    let mut image = Image::pending(
        owner.clone(),
        valid.file_name,
        valid.content_type,
        valid.content_length,
        Timestamp::at(now),
    );
    let grace = settings.quotas.pending_upload_grace_hours as i64 * 3600;
    image.expires_at = Some(now.unix_timestamp() + up.url_ttl_secs as i64 + grace);
    st.images.put_pending(&image).await?;
    let upload = st
        .objects
        .presign_put(
            &keys::incoming_key(&image.owner, &image.id),
            valid.content_type,
            valid.content_length,
            Duration::from_secs(up.url_ttl_secs),
        )
        .await?;
    tracing::info!(customer_id = %image.owner, image_id = %image.id, bytes = valid.content_length, "upload requested");
    Ok(UploadTicket {
        image,
        upload,
        expires_at: Timestamp::at(now + time::Duration::seconds(up.url_ttl_secs as i64)),
    })
}
