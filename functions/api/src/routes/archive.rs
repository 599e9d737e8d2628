//! Archiving to a disc (M29-M32): so far, the caller's own thresholds.

use axum::extract::State;
use axum::Json;
use printvault_domain::archive::ArchivePrefs;
use printvault_usecases::archive;

use crate::auth::Caller;
use crate::extract::JsonBody;
use crate::views::archive::ArchiveThresholds;
use crate::{ApiError, AppState};

#[utoipa::path(get, path = "/v1/profile/archive-thresholds", tag = "archive", security(("bearer" = [])),
    responses((status = 200, description = "The caller's own archive thresholds (M29), and the ones that apply: the tighter of theirs and the operator's", body = ArchiveThresholds)))]
pub async fn read(State(st): State<AppState>, caller: Caller) -> Result<Json<ArchiveThresholds>, ApiError> {
    let (own, applied) = archive::thresholds(&st.stores, &st.settings.archive, &caller.customer).await?;
    Ok(Json(ArchiveThresholds::new(own, applied)))
}

/// Sets the caller's own thresholds: each may only tighten the operator's
/// (a field left out keeps the operator's), and a yearly date is theirs
/// alone (29 February is kept on 28 February in other years). The archive
/// sweep holds the caller to them from its next run.
#[utoipa::path(put, path = "/v1/profile/archive-thresholds", tag = "archive", security(("bearer" = [])), request_body = ArchivePrefs,
    responses((status = 200, description = "The thresholds as stored, and the ones that now apply", body = ArchiveThresholds),
        (status = 400, description = "A threshold looser than the operator's, or zero, or a day no year has", body = crate::views::ErrorBody)))]
pub async fn set(
    State(st): State<AppState>,
    caller: Caller,
    JsonBody(own): JsonBody<ArchivePrefs>,
) -> Result<Json<ArchiveThresholds>, ApiError> {
    let (own, applied) = archive::set_thresholds(
        &st.stores,
        &st.settings.archive,
        &caller.customer,
        own,
        st.now().date(),
    )
    .await?;
    Ok(Json(ArchiveThresholds::new(own, applied)))
}
