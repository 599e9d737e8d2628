//! M15, M11: the catalogue, open to anyone.

use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;
use axum::Json;

use crate::views::catalogue::CatalogueView;
use crate::{ApiError, AppState};

/// How long a browser or a CDN may keep the catalogue: a changed setting
/// or a newly registered lab shows within a minute.
const CACHE_CONTROL: &str = "public, max-age=60";

/// What a customer may order, at what terms, and where: the print sizes
/// with their fee and points per print and the range an owner's price per
/// print must fall in, the terms of a stranger's printable image, the
/// record media with their fee per order, and every output location a
/// quote may name with the lab that prints there. No token is needed, and
/// the answer is the same for every caller.
#[utoipa::path(get, path = "/v1/catalogue", tag = "catalogue",
    responses((status = 200, description = "The catalogue, as the settings and the registered labs have it now", body = CatalogueView,
        headers(("Cache-Control" = String, description = "`public, max-age=60`")))))]
pub async fn read(State(st): State<AppState>) -> Result<impl IntoResponse, ApiError> {
    let c = printvault_usecases::catalogue::catalogue(&st.stores, &st.settings).await?;
    Ok((
        [(header::CACHE_CONTROL, CACHE_CONTROL)],
        Json(CatalogueView::from(&c)),
    ))
}
