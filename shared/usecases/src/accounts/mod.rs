//! M1: register (with a verified address), log in, log out, and who a
//! session token belongs to.

mod verify;
pub use verify::{change_email, register, verify, LinkBase};

use printvault_domain::account::{decoy_hash, Email, SessionToken};
use printvault_domain::guessing::{self, Counted};
use printvault_domain::ids::CustomerId;
use printvault_domain::settings::Settings;
use printvault_domain::{Error, Unauthenticated};
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

/// Opens a session. The password is checked against a decoy when the email
/// is unknown, so timing does not reveal which addresses have accounts.
/// Failed logins are counted per address and per `source` (the caller's IP
/// address); past the free ones each locks further logins for a growing
/// delay (`printvault_domain::guessing`), refused before any password is
/// checked. Unknown addresses are counted like known ones.
pub async fn log_in(
    st: &Stores,
    settings: &Settings,
    email: &str,
    password: String,
    source: &str,
    now: OffsetDateTime,
) -> Result<Session, Error> {
    let wrong = || Error::NotAuthenticated(Unauthenticated::WrongCredentials);
    let email = Email::parse(email).map_err(|_| wrong())?;
    let account = email.digest();
    let unix = now.unix_timestamp();
    let (by_account, by_source) = tokio::try_join!(
        st.accounts.failures(Counted::Account, &account, unix),
        st.accounts.failures(Counted::Source, source, unix),
    )?;
    guessing::check(&by_account, unix)?;
    guessing::check(&by_source, unix)?;
    let (customer, hash) = match st.accounts.credentials(&email).await? {
        Some((id, h)) => (Some(id), h),
        None => (None, decoy_hash().clone()),
    };
    let ok = blocking(move || hash.verify(&password)).await?;
    let customer = match (ok, customer) {
        (true, Some(id)) => id,
        _ => {
            let g = &settings.accounts.guessing;
            let (a, s) = tokio::try_join!(
                st.accounts.record_failure(Counted::Account, &account, unix, g),
                st.accounts.record_failure(Counted::Source, source, unix, g),
            )?;
            tracing::info!(email = %account, failures = a.count, source_failures = s.count, "login failed");
            return Err(wrong());
        }
    };
    if by_account.count > 0 {
        st.accounts.forget_failures(Counted::Account, &account).await?;
    }
    // What waits for the address normally attached when it was verified;
    // this catches anything a crash in between left waiting.
    crate::sharing::attach_waiting(st, &customer, &email).await?;
    let token = SessionToken::generate();
    let expires_at = now + time::Duration::hours(settings.sessions.ttl_hours as i64);
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

/// A notice that bounced or drew a complaint, and the account its address
/// belongs to now (`None` if nobody holds it).
pub struct FlaggedNotice {
    pub flag: printvault_adapters::accounts::mail_flags::MailFlag,
    pub customer: Option<CustomerId>,
}

/// For an operator: the notices SES reported bounced or complained of
/// (the notifier flags each), a page at a time, each with the customer
/// who holds its address (one batched read per page).
pub async fn mail_flags(
    st: &Stores,
    limit: u32,
    cursor: Option<&str>,
) -> Result<printvault_adapters::Page<FlaggedNotice>, Error> {
    let page = st.accounts.mail_flags(limit, cursor).await?;
    let addresses: Vec<Email> = page
        .items
        .iter()
        .filter_map(|f| Email::parse(&f.to).ok())
        .collect();
    let holders = st.accounts.holders_of(&addresses).await?;
    let items = page
        .items
        .into_iter()
        .map(|flag| {
            let customer = Email::parse(&flag.to).ok().and_then(|e| holders.get(&e).cloned());
            FlaggedNotice { flag, customer }
        })
        .collect();
    Ok(printvault_adapters::Page {
        items,
        next_cursor: page.next_cursor,
    })
}
