//! M28 event notices: the caller's choice of them, and the thumbnails a
//! notice shows through its link.

use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use printvault_domain::anniversary::Preferences;
use printvault_domain::Error;
use printvault_domain::Thing;
use printvault_usecases::anniversaries;

use crate::auth::Caller;
use crate::extract::{JsonBody, PathParam};
use crate::{ApiError, AppState};

#[utoipa::path(get, path = "/v1/profile/anniversary-notices", tag = "anniversaries", security(("bearer" = [])),
    responses((status = 200, description = "Which event notices (M28) the caller gets: all unless turned off, except the muted events", body = Preferences)))]
pub async fn read(State(st): State<AppState>, caller: Caller) -> Result<Json<Preferences>, ApiError> {
    Ok(Json(
        anniversaries::preferences(&st.stores, &caller.customer).await?,
    ))
}

/// Turns event notices off (`enabled: false`), or off for some events
/// (`muted`: the keys the notices name).
#[utoipa::path(put, path = "/v1/profile/anniversary-notices", tag = "anniversaries", security(("bearer" = [])), request_body = Preferences,
    responses((status = 200, description = "The choice as stored (keys in lower case)", body = Preferences), (status = 400, description = "A key that no event can have, or more than 100", body = crate::views::ErrorBody)))]
pub async fn set(
    State(st): State<AppState>,
    caller: Caller,
    JsonBody(p): JsonBody<Preferences>,
) -> Result<Json<Preferences>, ApiError> {
    Ok(Json(
        anniversaries::set_preferences(&st.stores, &caller.customer, p).await?,
    ))
}

/// What an event notice's `<img>` points at: a redirect to a short-lived
/// URL of the thumbnail, while the notice's link lasts
/// (`anniversaries.link_ttl_days`).
#[utoipa::path(get, path = "/v1/notice-links/{token}/images/{n}", tag = "anniversaries",
    params(("token" = String, Path, description = "A notice link's token, as the email carries it", pattern = "^[A-Za-z0-9_-]{43}$"), ("n" = u32, Path, description = "Which of the notice's thumbnails, from 0")),
    responses((status = 302, description = "To a short-lived URL of the thumbnail", headers(("Location" = String, description = "The thumbnail's presigned URL"))), (status = 404, description = "No such live link, no such thumbnail in it, or the image is gone", body = crate::views::ErrorBody)))]
pub async fn thumbnail(
    State(st): State<AppState>,
    PathParam((token, n)): PathParam<(String, String)>,
) -> Result<Response, ApiError> {
    let n: usize = n.parse().map_err(|_| Error::NotFound(Thing::Link))?;
    let url = anniversaries::notice_thumbnail(&st.stores, &st.settings.uploads, &token, n, st.now()).await?;
    Ok((
        StatusCode::FOUND,
        [
            (header::LOCATION, url),
            (header::CACHE_CONTROL, "private, max-age=60".to_owned()),
        ],
    )
        .into_response())
}
