//! M1: register, log in, log out, and who a session token belongs to.

use printvault_adapters::accounts::Customer;
use printvault_domain::account::{decoy_hash, Email, Password, PasswordHash, SessionToken};
use printvault_domain::ids::CustomerId;
use printvault_domain::settings::SessionSettings;
use printvault_domain::when::rfc3339;
use printvault_domain::Error;
use time::OffsetDateTime;

use crate::Stores;

/// A session just opened. The token is shown once; only its hash is stored.
pub struct Session {
    pub token: SessionToken,
    pub customer: CustomerId,
    pub expires_at: OffsetDateTime,
}

/// Hashing is deliberately slow, so it runs off the async workers.
async fn blocking<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> Result<T, Error> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| anyhow::anyhow!("password hashing task failed: {e}").into())
}

pub async fn register(
    st: &Stores,
    email: &str,
    password: &str,
    now: OffsetDateTime,
) -> Result<Customer, Error> {
    let email = Email::parse(email)?;
    let password = Password::parse(password)?;
    let hash = blocking(move || PasswordHash::create(&password)).await??;
    let customer = Customer {
        customer_id: CustomerId::generate(),
        email,
        created_at: rfc3339(now),
        profile: Default::default(),
        profile_rev: 0,
    };
    st.accounts.register(&customer, &hash).await?;
    tracing::info!(customer_id = %customer.customer_id, "customer registered");
    Ok(customer)
}

/// Opens a session. The password is checked against a decoy when the email
/// is unknown, so timing does not reveal which addresses have accounts.
pub async fn log_in(
    st: &Stores,
    cfg: &SessionSettings,
    email: &str,
    password: String,
    now: OffsetDateTime,
) -> Result<Session, Error> {
    let wrong = || Error::Unauthorized("the email address or password is wrong".into());
    let email = Email::parse(email).map_err(|_| wrong())?;
    let (customer, hash) = match st.accounts.credentials(&email).await? {
        Some((id, h)) => (Some(id), h),
        None => (None, decoy_hash().clone()),
    };
    let ok = blocking(move || hash.verify(&password)).await?;
    let customer = match (ok, customer) {
        (true, Some(id)) => id,
        _ => return Err(wrong()),
    };
    let token = SessionToken::generate();
    let expires_at = now + time::Duration::hours(cfg.ttl_hours as i64);
    st.accounts
        .create_session(&token.digest(), &customer, expires_at.unix_timestamp())
        .await?;
    tracing::info!(customer_id = %customer, "session opened");
    Ok(Session {
        token,
        customer,
        expires_at,
    })
}

/// The customer a presented token belongs to, if it is live.
pub async fn session_owner(
    st: &Stores,
    token: &SessionToken,
    now: OffsetDateTime,
) -> Result<Option<CustomerId>, Error> {
    st.accounts.session(&token.digest(), now.unix_timestamp()).await
}

pub async fn log_out(st: &Stores, token_digest: &str) -> Result<(), Error> {
    st.accounts.delete_session(token_digest).await
}
