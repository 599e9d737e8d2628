//! Who is calling: a customer with a bearer session token, or an operator
//! with the operator key.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::StatusCode;
use printvault_domain::account::{secrets_match, SessionToken};
use printvault_domain::ids::CustomerId;

use crate::{ApiError, AppState};

/// An authenticated customer and the token they presented.
pub struct Caller {
    pub customer: CustomerId,
    pub token_digest: String,
}

fn unauthorized(msg: &str) -> ApiError {
    ApiError::new(StatusCode::UNAUTHORIZED, "unauthorized", msg)
}

fn bearer(parts: &Parts) -> Option<&str> {
    let v = parts.headers.get(http::header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = v.split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| token.trim())
}

/// A customer in arrears (M24) may only read and pay invoices (and log
/// out): everything else answers 402 with the invoices to pay.
fn in_arrears(overdue: &[printvault_domain::billing::InvoiceId]) -> ApiError {
    let ids: Vec<String> = overdue.iter().map(ToString::to_string).collect();
    ApiError::new(
        StatusCode::PAYMENT_REQUIRED,
        "payment_required",
        if ids.len() == 1 {
            format!(
                "your account is in arrears: invoice {} is unpaid past its grace period. Paying it unlocks \
                 your account at once (GET /v1/invoices shows what is due); nothing has been deleted",
                ids[0]
            )
        } else {
            format!(
                "your account is in arrears: invoices {} are unpaid past their grace period. Paying them \
                 unlocks your account at once (GET /v1/invoices shows what is due); nothing has been deleted",
                ids.join(", ")
            )
        },
    )
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let caller = AnyStanding::from_request_parts(parts, state).await?.0;
        let overdue = state.stores.billing.overdue(&caller.customer).await?;
        if !overdue.is_empty() {
            return Err(in_arrears(&overdue));
        }
        Ok(caller)
    }
}

/// An authenticated customer, in arrears or not: for the routes a customer
/// in arrears may still use (their invoices, logging out).
pub struct AnyStanding(pub Caller);

impl FromRequestParts<AppState> for AnyStanding {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let raw = bearer(parts)
            .ok_or_else(|| unauthorized("send a session token: Authorization: Bearer <token>"))?;
        let token = SessionToken::from_presented(raw)
            .ok_or_else(|| unauthorized("the session token is invalid or has expired"))?;
        let customer = printvault_usecases::accounts::session_owner(&state.stores, &token, state.now())
            .await?
            .ok_or_else(|| unauthorized("the session token is invalid or has expired"))?;
        Ok(Self(Caller {
            customer,
            token_digest: token.digest(),
        }))
    }
}

/// A customer if the request carries a session token, else anonymous. A
/// token that is present but invalid is refused, never silently ignored.
pub struct MaybeCaller(pub Option<Caller>);

impl FromRequestParts<AppState> for MaybeCaller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        if parts.headers.contains_key(http::header::AUTHORIZATION) {
            Ok(Self(Some(Caller::from_request_parts(parts, state).await?)))
        } else {
            Ok(Self(None))
        }
    }
}

/// An operator, proven by the `x-operator-key` header.
pub struct Operator;

impl FromRequestParts<AppState> for Operator {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let key = parts.headers.get("x-operator-key").and_then(|v| v.to_str().ok());
        match key {
            Some(k) if secrets_match(k, &state.operator_key) => Ok(Self),
            _ => Err(unauthorized("operator routes need a valid x-operator-key header")),
        }
    }
}

/// A print lab, proven by its `x-lab-key` header (M21). Only the key's
/// SHA-256 is stored.
pub struct Lab(pub printvault_domain::order::Slug);

impl FromRequestParts<AppState> for Lab {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let refused = || unauthorized("lab routes need a valid x-lab-key header");
        let key = parts
            .headers
            .get("x-lab-key")
            .and_then(|v| v.to_str().ok())
            .and_then(printvault_domain::account::SessionToken::from_presented)
            .ok_or_else(refused)?;
        match state.stores.labs.lab_by_key(&key.digest()).await? {
            Some(lab) => Ok(Self(lab)),
            None => Err(refused()),
        }
    }
}
