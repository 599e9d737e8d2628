//! M6: operators add images to the screening blocklist.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use printvault_usecases::blocklist::add_to_blocklist;
use serde::Deserialize;

use crate::auth::Operator;
use crate::extract::QueryParams;
use crate::views::operator::BlocklistEntryView;
use crate::{ApiError, AppState};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AddQuery {
    reason: Option<String>,
}

/// `POST /v1/operator/blocklist?reason=…` with the image bytes as the body.
pub async fn add(
    State(st): State<AppState>,
    _op: Operator,
    QueryParams(q): QueryParams<AddQuery>,
    body: Bytes,
) -> Result<(StatusCode, Json<BlocklistEntryView>), ApiError> {
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
