//! M1: register (the address is verified first), log in, log out, and move
//! an account to a new address.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse};
use axum::Json;
use printvault_adapters::accounts::Verified;
use printvault_usecases::accounts::{self, LinkBase};
use serde::Deserialize;

use crate::auth::{AnyStanding, Caller};
use crate::extract::{JsonBody, PublicBase, SourceIp};
use crate::views::accounts::{SessionView, VerificationSent, VerifiedView};
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

/// Starts a registration: a single-use code goes to the address, and the
/// account exists once it comes back (`POST /v1/accounts/verify`). The
/// answer is the same whether the address is new or already has an
/// account, so it tells nobody who has one; an existing account's holder
/// is emailed that someone tried. Past the address's mail limits
/// (`settings.mail`) nothing is sent, and the answer is the same again.
#[utoipa::path(post, path = "/v1/accounts", tag = "accounts", request_body = Credentials,
    responses((status = 202, description = "A verification email is on its way (or, for a taken address, a note to its holder)", body = VerificationSent)))]
pub async fn register(
    State(st): State<AppState>,
    PublicBase(base): PublicBase,
    JsonBody(c): JsonBody<Credentials>,
) -> Result<(StatusCode, Json<VerificationSent>), ApiError> {
    let cfg = &st.settings.accounts;
    let email = accounts::register(
        &st.stores,
        cfg,
        &st.settings.mail,
        &LinkBase(&base),
        &c.email,
        &c.password,
        st.now(),
    )
    .await?;
    Ok((StatusCode::ACCEPTED, Json(VerificationSent::new(email))))
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct VerifyCode {
    /// The code from the verification email (also in its link).
    #[schema(example = "3q2-7wXyZ0aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456")]
    code: String,
}

/// Uses a verification code: creates the account (201), or moves an account
/// to its new address (200). Each code works once, until it expires.
#[utoipa::path(post, path = "/v1/accounts/verify", tag = "accounts", request_body = VerifyCode,
    responses((status = 201, description = "The account exists; log in", body = VerifiedView),
        (status = 200, description = "The account moved to the verified address", body = VerifiedView),
        (status = 409, description = "Another account verified this address first", body = crate::views::ErrorBody)))]
pub async fn verify(
    State(st): State<AppState>,
    JsonBody(body): JsonBody<VerifyCode>,
) -> Result<(StatusCode, Json<VerifiedView>), ApiError> {
    let done = accounts::verify(&st.stores, &body.code, st.now()).await?;
    let status = match done {
        Verified::Registered(_) => StatusCode::CREATED,
        Verified::EmailChanged(_) => StatusCode::OK,
    };
    Ok((status, Json(done.into())))
}

/// The page a verification email links to. It sends the code from its own
/// address bar with `POST /v1/accounts/verify` when the reader presses the
/// button, so a mail scanner that opens links uses nothing up.
#[utoipa::path(get, path = "/v1/accounts/verify", tag = "accounts",
    responses((status = 200, description = "A page with a confirm button", content_type = "text/html", body = String)))]
pub async fn verify_page() -> impl IntoResponse {
    (
        [(
            http::header::CONTENT_SECURITY_POLICY,
            "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'",
        )],
        Html(include_str!("verify.html")),
    )
}

/// The email address to move the caller's account to. It moves once the
/// code sent there comes back; until then the old address stays.
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewEmail {
    #[schema(format = Email, example = "ann.new@example.com")]
    email: String,
}

#[utoipa::path(put, path = "/v1/profile/email", tag = "accounts", security(("bearer" = [])), request_body = NewEmail,
    responses((status = 202, description = "A verification email is on its way to the new address", body = VerificationSent)))]
pub async fn change_email(
    State(st): State<AppState>,
    caller: Caller,
    PublicBase(base): PublicBase,
    JsonBody(body): JsonBody<NewEmail>,
) -> Result<(StatusCode, Json<VerificationSent>), ApiError> {
    let cfg = &st.settings.accounts;
    let email = accounts::change_email(
        &st.stores,
        cfg,
        &st.settings.mail,
        &LinkBase(&base),
        &caller.customer,
        &body.email,
        st.now(),
    )
    .await?;
    Ok((StatusCode::ACCEPTED, Json(VerificationSent::new(email))))
}

/// Opens a session. After a few failed logins for one address, or from one
/// source address, each further failure locks logins there for a delay that
/// doubles, answered 429 with `Retry-After`; a success forgets the address's
/// failures.
#[utoipa::path(post, path = "/v1/sessions", tag = "accounts", request_body = Credentials,
    responses((status = 201, description = "A new session; send its token as `Authorization: Bearer <token>`", body = SessionView),
        (status = 401, description = "The email address or password is wrong", body = crate::views::ErrorBody),
        (status = 429, description = "Too many failed logins; try again after `Retry-After` seconds", body = crate::views::ErrorBody,
            headers(("retry-after" = u64, description = "Seconds until a login is considered again")))))]
pub async fn login(
    State(st): State<AppState>,
    SourceIp(source): SourceIp,
    JsonBody(c): JsonBody<Credentials>,
) -> Result<(StatusCode, Json<SessionView>), ApiError> {
    let session = accounts::log_in(&st.stores, &st.settings, &c.email, c.password, &source, st.now()).await?;
    Ok((StatusCode::CREATED, Json((&session).into())))
}

#[utoipa::path(delete, path = "/v1/sessions/current", tag = "accounts", security(("bearer" = [])),
    responses((status = 204, description = "The session token stops working at once")))]
pub async fn logout(
    State(st): State<AppState>,
    AnyStanding(caller): AnyStanding,
) -> Result<StatusCode, ApiError> {
    accounts::log_out(&st.stores, &caller.token_digest).await?;
    Ok(StatusCode::NO_CONTENT)
}
