//! M1: register, log in, log out.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use printvault_usecases::accounts;
use serde::Deserialize;

use crate::auth::Caller;
use crate::extract::JsonBody;
use crate::views::accounts::{Registered, SessionView};
use crate::{ApiError, AppState};

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Credentials {
    #[schema(format = Email, example = "ann@example.com")]
    email: String,
    /// At least 10 characters.
    #[schema(min_length = 10, example = "correct horse battery")]
    password: String,
}

#[utoipa::path(post, path = "/v1/accounts", tag = "accounts", request_body = Credentials,
    responses((status = 201, description = "Registered", body = Registered), (status = 409, description = "An account with this email address exists", body = crate::views::ErrorBody)))]
pub async fn register(
    State(st): State<AppState>,
    JsonBody(c): JsonBody<Credentials>,
) -> Result<(StatusCode, Json<Registered>), ApiError> {
    let customer = accounts::register(&st.stores, &c.email, &c.password, st.now()).await?;
    Ok((StatusCode::CREATED, Json((&customer).into())))
}

#[utoipa::path(post, path = "/v1/sessions", tag = "accounts", request_body = Credentials,
    responses((status = 201, description = "A new session; send its token as `Authorization: Bearer <token>`", body = SessionView), (status = 401, description = "The email address or password is wrong", body = crate::views::ErrorBody)))]
pub async fn login(
    State(st): State<AppState>,
    JsonBody(c): JsonBody<Credentials>,
) -> Result<(StatusCode, Json<SessionView>), ApiError> {
    let session = accounts::log_in(&st.stores, &st.settings.sessions, &c.email, c.password, st.now()).await?;
    Ok((StatusCode::CREATED, Json((&session).into())))
}

#[utoipa::path(delete, path = "/v1/sessions/current", tag = "accounts", security(("bearer" = [])),
    responses((status = 204, description = "The session token stops working at once")))]
pub async fn logout(State(st): State<AppState>, caller: Caller) -> Result<StatusCode, ApiError> {
    accounts::log_out(&st.stores, &caller.token_digest).await?;
    Ok(StatusCode::NO_CONTENT)
}
