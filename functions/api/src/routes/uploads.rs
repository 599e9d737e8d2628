//! M5: a presigned PUT URL for one new image.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::Json;
use printvault_adapters::keys;
use printvault_domain::ids::ImageId;
use printvault_domain::image::{Image, ImageStatus};
use printvault_domain::upload::UploadRequest;
use serde_json::json;
use std::time::Duration;

use crate::auth::Caller;
use crate::error::JsonBody;
use crate::state::rfc3339;
use crate::{ApiError, AppState};

pub async fn request(
    State(st): State<AppState>,
    caller: Caller,
    JsonBody(req): JsonBody<UploadRequest>,
) -> Result<impl IntoResponse, ApiError> {
    let up = &st.settings.uploads;
    let valid = req.validate(up.max_bytes)?;
    let now = st.now();
    let image = Image {
        id: ImageId::generate(),
        owner: caller.customer.clone(),
        status: ImageStatus::Pending,
        file_name: valid.file_name,
        declared_type: valid.content_type.to_owned(),
        declared_bytes: valid.content_length,
        created_at: rfc3339(now),
        rejection: None,
        duplicate_of: None,
        finalised: None,
        attributes: Default::default(),
        selected: false,
        class: Default::default(),
        prices: None,
        albums: Vec::new(),
        rev: 0,
        deleting: false,
        own_index_move: None,
    };
    st.images.put_pending(&image).await?;
    let presigned = st
        .objects
        .presign_put(
            &keys::incoming_key(&image.owner, &image.id),
            valid.content_type,
            valid.content_length,
            Duration::from_secs(up.url_ttl_secs),
        )
        .await?;
    tracing::info!(customer_id = %image.owner, image_id = %image.id, bytes = valid.content_length, "upload requested");
    Ok((
        StatusCode::CREATED,
        Json(json!({
            "image_id": image.id,
            "status": image.status,
            "upload": presigned,
            "expires_at": rfc3339(now + time::Duration::seconds(up.url_ttl_secs as i64)),
        })),
    ))
}
