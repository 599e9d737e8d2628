//! Operators: M6 screening blocklist, M21 print labs (and their keys), and the notices
//! SES reported bounced or complained of (the accounts they flag).

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use printvault_domain::Thing;
use printvault_usecases::blocklist::add_to_blocklist;
use serde::Deserialize;

use crate::auth::Operator;
use crate::extract::QueryParams;
use crate::routes::PageQuery;
use crate::views::operator::{BlocklistEntryView, MailFlagList};
use crate::{ApiError, AppState};

#[derive(Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct AddQuery {
    /// Why the image is blocked (up to 500 characters; default `operator`).
    reason: Option<String>,
}

/// `POST /v1/operator/blocklist?reason=…` with the image bytes as the body.
#[utoipa::path(post, path = "/v1/operator/blocklist", tag = "operator", security(("operator_key" = [])), params(AddQuery),
    request_body(content = Vec<u8>, content_type = "application/octet-stream", description = "The image bytes"),
    responses((status = 201, description = "The entry uploads are screened against (M6)", body = BlocklistEntryView), (status = 413, description = "The body passes 4 MiB (Lambda's 6 MB request limit, with the body base64-encoded); use `local-runner blocklist add` or a smaller copy: resized copies match by perceptual hash", body = crate::views::ErrorBody)))]
pub async fn add(
    State(st): State<AppState>,
    _op: Operator,
    QueryParams(q): QueryParams<AddQuery>,
    body: Result<Bytes, BytesRejection>,
) -> Result<(StatusCode, Json<BlocklistEntryView>), ApiError> {
    let body = body.map_err(|r| match r.status() {
        StatusCode::PAYLOAD_TOO_LARGE => ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "too_large",
            format!(
                "the image must be at most {} MiB (Lambda's 6 MB request limit, with the body base64-encoded); \
                 add a smaller copy, which screening matches by perceptual hash, or use `local-runner blocklist add`",
                crate::BLOCKLIST_BODY_LIMIT >> 20
            ),
        ),
        status => ApiError::new(status, "invalid_request", r.body_text()),
    })?;
    let entry = add_to_blocklist(
        &st.stores.blocklist,
        &st.settings.uploads,
        body.to_vec(),
        q.reason,
        st.now(),
    )
    .await?;
    Ok((StatusCode::CREATED, Json(entry.into())))
}

/// Registers a print lab for its output locations, or changes its name and
/// locations (M21). A new lab's reporting key is in the answer this once.
#[utoipa::path(put, path = "/v1/operator/labs/{lab_id}", tag = "operator", security(("operator_key" = [])),
    params(("lab_id" = String, Path, description = "The lab's slug: 1 to 40 of a-z, 0-9 and '-'")),
    request_body = printvault_domain::lab::LabRequest,
    responses((status = 201, description = "The lab was made; `key` is its reporting key, shown this once", body = crate::views::orders::LabView),
        (status = 200, description = "The lab was changed (its key stays)", body = crate::views::orders::LabView),
        (status = 409, description = "An output location is printed by another lab", body = crate::views::ErrorBody)))]
pub async fn put_lab(
    State(st): State<AppState>,
    _op: Operator,
    crate::extract::PathParam(id): crate::extract::PathParam<String>,
    crate::extract::JsonBody(body): crate::extract::JsonBody<printvault_domain::lab::LabRequest>,
) -> Result<(StatusCode, Json<crate::views::orders::LabView>), ApiError> {
    let id = printvault_domain::order::Slug::parse(&id, "lab")
        .map_err(|_| printvault_domain::Error::NotFound(Thing::Lab))?;
    let (lab, key) = printvault_usecases::orders::register_lab(&st.stores, id, body, st.now()).await?;
    let status = if key.is_some() {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((status, Json(crate::views::orders::LabView::new(&lab, key))))
}

/// Issues the lab a new reporting key, shown in the answer this once, and
/// retires its old key in the same transaction: from this answer on, the
/// old key is refused (401). Only the new key's SHA-256 is stored. A lab's
/// jobs, queue and locations stay as they are.
#[utoipa::path(post, path = "/v1/operator/labs/{lab_id}/key", tag = "operator", security(("operator_key" = [])),
    params(("lab_id" = String, Path, description = "The lab's slug: 1 to 40 of a-z, 0-9 and '-'")),
    responses((status = 200, description = "The lab; `key` is its new reporting key, shown this once (the old one no longer works)", body = crate::views::orders::LabView),
        (status = 404, description = "No such lab", body = crate::views::ErrorBody),
        (status = 409, description = "The lab's key was rotated at the same moment", body = crate::views::ErrorBody)))]
pub async fn rotate_lab_key(
    State(st): State<AppState>,
    _op: Operator,
    crate::extract::PathParam(id): crate::extract::PathParam<String>,
) -> Result<Json<crate::views::orders::LabView>, ApiError> {
    let id = printvault_domain::order::Slug::parse(&id, "lab")
        .map_err(|_| printvault_domain::Error::NotFound(Thing::Lab))?;
    let (lab, key) = printvault_usecases::orders::rotate_lab_key(&st.stores, &id).await?;
    Ok(Json(crate::views::orders::LabView::new(&lab, Some(key))))
}

/// The notices SES reported bounced or complained of, each with the
/// customer whose address it went to: an account an operator should look
/// at (a retention warning that bounced keeps postponing the deletion it
/// announced until the customer is reached). In notice ID order, paged.
#[utoipa::path(get, path = "/v1/operator/mail-flags", tag = "operator", security(("operator_key" = [])), params(PageQuery),
    responses((status = 200, description = "A page of flagged notices", body = MailFlagList)))]
pub async fn mail_flags(
    State(st): State<AppState>,
    _op: Operator,
    QueryParams(q): QueryParams<PageQuery>,
) -> Result<Json<MailFlagList>, ApiError> {
    let limit = q.limit(&st.settings.listing)?;
    let page = printvault_usecases::accounts::mail_flags(&st.stores, limit, q.cursor.as_deref()).await?;
    Ok(Json(MailFlagList {
        flags: page.items.into_iter().map(Into::into).collect(),
        next_cursor: page.next_cursor,
    }))
}
