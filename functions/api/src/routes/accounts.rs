//! M1: register, log in, log out.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::Json;
use printvault_adapters::accounts::Customer;
use printvault_domain::account::{decoy_hash, Email, Password, PasswordHash, SessionToken};
use printvault_domain::ids::CustomerId;
use printvault_domain::Error;
use serde::Deserialize;
use serde_json::json;

use crate::auth::Caller;
use crate::error::JsonBody;
use crate::state::rfc3339;
use crate::{ApiError, AppState};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Credentials {
    email: String,
    password: String,
}

/// Hashing is deliberately slow, so it runs off the async workers.
async fn blocking<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> Result<T, ApiError> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| ApiError::from(anyhow::anyhow!("password hashing task failed: {e}")))
}

pub async fn register(
    State(st): State<AppState>,
    JsonBody(c): JsonBody<Credentials>,
) -> Result<impl IntoResponse, ApiError> {
    let email = Email::parse(&c.email)?;
    let password = Password::parse(&c.password)?;
    let hash = blocking(move || PasswordHash::create(&password)).await??;
    let customer = Customer {
        customer_id: CustomerId::generate(),
        email,
        created_at: rfc3339(st.now()),
        profile: Default::default(),
        profile_rev: 0,
    };
    st.accounts.register(&customer, &hash).await?;
    tracing::info!(customer_id = %customer.customer_id, "customer registered");
    Ok((
        StatusCode::CREATED,
        Json(json!({"customer_id": customer.customer_id, "email": customer.email})),
    ))
}

pub async fn login(
    State(st): State<AppState>,
    JsonBody(c): JsonBody<Credentials>,
) -> Result<impl IntoResponse, ApiError> {
    let wrong = || Error::Unauthorized("the email address or password is wrong".into());
    let email = Email::parse(&c.email).map_err(|_| wrong())?;
    let found = st.accounts.credentials(&email).await?;
    // Verify against a decoy when the email is unknown, so timing does not
    // reveal which addresses have accounts.
    let (customer, hash) = match found {
        Some((id, h)) => (Some(id), h),
        None => (None, decoy_hash().clone()),
    };
    let ok = blocking(move || hash.verify(&c.password)).await?;
    let customer = match (ok, customer) {
        (true, Some(id)) => id,
        _ => return Err(wrong().into()),
    };
    let token = SessionToken::generate();
    let expires = st.now() + time::Duration::hours(st.settings.sessions.ttl_hours as i64);
    st.accounts
        .create_session(&token.digest(), &customer, expires.unix_timestamp())
        .await?;
    tracing::info!(customer_id = %customer, "session opened");
    Ok((
        StatusCode::CREATED,
        Json(json!({
            "token": token.as_str(),
            "token_type": "Bearer",
            "customer_id": customer,
            "expires_at": rfc3339(expires),
        })),
    ))
}

pub async fn logout(State(st): State<AppState>, caller: Caller) -> Result<StatusCode, ApiError> {
    st.accounts.delete_session(&caller.token_digest).await?;
    Ok(StatusCode::NO_CONTENT)
}
