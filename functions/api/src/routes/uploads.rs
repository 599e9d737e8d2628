//! M5: a presigned PUT URL for one new image.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use printvault_domain::upload::UploadRequest;
use printvault_usecases::images::request_upload;

use crate::auth::Caller;
use crate::extract::JsonBody;
use crate::views::images::UploadView;
use crate::{ApiError, AppState};

#[utoipa::path(post, path = "/v1/uploads", tag = "images", operation_id = "request_upload", security(("bearer" = [])), request_body = UploadRequest,
    responses((status = 201, description = "A pending image and a presigned PUT bound to its key, type and length (M5)", body = UploadView), (status = 413, description = "The declared length passes the upload limit", body = crate::views::ErrorBody), (status = 429, description = "Too many uploads wait for their bytes (settings `quotas.pending_uploads`)", body = crate::views::ErrorBody)))]
pub async fn request(
    State(st): State<AppState>,
    caller: Caller,
    JsonBody(req): JsonBody<UploadRequest>,
) -> Result<(StatusCode, Json<UploadView>), ApiError> {
    let ticket = request_upload(&st.stores, &st.settings, &caller.customer, req, st.now()).await?;
    Ok((StatusCode::CREATED, Json(ticket.into())))
}
