//! Verified addresses (issue 7, items 2 and 3). An account exists only once
//! its address is verified, and a new address replaces the old only once it
//! is verified, so nothing addressed to an email (invitations, grants,
//! profile shares) ever reaches someone who does not hold that mailbox.
//!
//! Registering answers the same whether the address is new or taken: a new
//! address gets a single-use code, a taken one gets a note that someone
//! tried. Only the mailbox's holder learns which.

use printvault_adapters::accounts::{Customer, Pending, PendingVerification, Verified};
use printvault_domain::account::{Email, Password, PasswordHash, SessionToken};
use printvault_domain::ids::CustomerId;
use printvault_domain::notice::{Message, Notice, NoticeId, VerifyPurpose};
use printvault_domain::settings::{AccountSettings, MailSettings};
use printvault_domain::when::Timestamp;
use printvault_domain::Error;
use printvault_domain::Rule;
use time::OffsetDateTime;

use super::blocking;
use crate::mail_limits::may_mail;
use crate::Stores;

/// Where emailed verification links point: the api's public base URL.
pub struct LinkBase<'a>(pub &'a str);

impl LinkBase<'_> {
    fn verify_link(&self, code: &SessionToken) -> String {
        format!(
            "{}/v1/accounts/verify?code={}",
            self.0.trim_end_matches('/'),
            code.as_str()
        )
    }
}

fn unused() -> Error {
    Error::rule("code", Rule::UnknownCode)
}

/// One notice per address per hour at most, however often someone tries.
async fn tell_address_in_use(st: &Stores, email: &Email, now: OffsetDateTime) -> Result<(), Error> {
    let hour = now.unix_timestamp() / 3600;
    let notice = Notice {
        notice_id: NoticeId::parse(&format!("address-in-use:{}:{hour}", email.digest()))?,
        to: email.clone(),
        message: Message::AddressInUse,
    };
    st.notices.send(&notice).await
}

/// Stores a pending verification under a fresh code and emails the code.
async fn send_code(
    st: &Stores,
    cfg: &AccountSettings,
    base: &LinkBase<'_>,
    email: &Email,
    pending: Pending,
    purpose: VerifyPurpose,
    now: OffsetDateTime,
) -> Result<(), Error> {
    let code = SessionToken::generate();
    let digest = code.digest();
    let expires = now + time::Duration::minutes(cfg.verification_ttl_minutes as i64);
    let v = PendingVerification {
        email: email.clone(),
        pending,
        expires_at: expires.unix_timestamp(),
    };
    st.accounts.put_verification(&digest, &v).await?;
    let notice = Notice {
        notice_id: NoticeId::parse(&format!("verify:{digest}"))?,
        to: email.clone(),
        message: Message::VerifyEmail {
            purpose,
            link: base.verify_link(&code),
            code: code.as_str().to_owned(),
            expires_at: Timestamp::at(expires),
        },
    };
    st.notices.send(&notice).await
}

/// Starts a registration. The answer is the same for a new address and a
/// taken one; the password is hashed either way, so timing tells nothing.
/// Past the address's mail limits (`mail`) nothing is sent, and the answer
/// is the same again.
pub async fn register(
    st: &Stores,
    cfg: &AccountSettings,
    mail: &MailSettings,
    base: &LinkBase<'_>,
    email: &str,
    password: &str,
    now: OffsetDateTime,
) -> Result<Email, Error> {
    let email = Email::parse(email)?;
    let password = Password::parse_for(password, &email)?;
    let hash = blocking(move || PasswordHash::create(&password)).await??;
    if !may_mail(st, mail, &email, "registration", now).await? {
        return Ok(email);
    }
    if st.accounts.credentials(&email).await?.is_some() {
        tell_address_in_use(st, &email, now).await?;
        tracing::info!(email = %email.digest(), "registration for a taken address; its holder was told");
    } else {
        let pending = Pending::Register {
            password_hash: hash.0,
        };
        send_code(st, cfg, base, &email, pending, VerifyPurpose::Register, now).await?;
        tracing::info!(email = %email.digest(), "registration started; code sent");
    }
    Ok(email)
}

/// Starts moving the caller's account to `new_email`. As with registering,
/// a taken address answers the same and its holder is told, and past the
/// address's mail limits nothing is sent and the answer is the same.
pub async fn change_email(
    st: &Stores,
    cfg: &AccountSettings,
    mail: &MailSettings,
    base: &LinkBase<'_>,
    caller: &CustomerId,
    new_email: &str,
    now: OffsetDateTime,
) -> Result<Email, Error> {
    let email = Email::parse(new_email)?;
    let me = crate::sharing::profiles::customer(st, caller).await?;
    if me.email == email {
        return Err(Error::rule("email", Rule::SameEmail));
    }
    if !may_mail(st, mail, &email, "email change", now).await? {
        return Ok(email);
    }
    if st.accounts.credentials(&email).await?.is_some() {
        tell_address_in_use(st, &email, now).await?;
    } else {
        let pending = Pending::ChangeEmail {
            customer_id: caller.clone(),
        };
        send_code(st, cfg, base, &email, pending, VerifyPurpose::ChangeEmail, now).await?;
    }
    tracing::info!(customer_id = %caller, "email change started");
    Ok(email)
}

/// Uses an emailed code: creates the account, or moves it to the new
/// address; then attaches what waited for the address.
pub async fn verify(st: &Stores, code: &str, now: OffsetDateTime) -> Result<Verified, Error> {
    let code = SessionToken::from_presented(code.trim()).ok_or_else(unused)?;
    let digest = code.digest();
    let v = st
        .accounts
        .verification(&digest, now.unix_timestamp())
        .await?
        .ok_or_else(unused)?;
    let done = match v.pending {
        Pending::Register { password_hash } => {
            let customer = Customer {
                customer_id: CustomerId::generate(),
                email: v.email.clone(),
                created_at: Timestamp::at(now),
                profile: Default::default(),
                profile_rev: 0,
                anniversaries: Default::default(),
                archive: Default::default(),
            };
            st.accounts
                .complete_registration(&digest, &customer, &PasswordHash(password_hash))
                .await?;
            tracing::info!(customer_id = %customer.customer_id, "customer registered (address verified)");
            Verified::Registered(customer)
        }
        Pending::ChangeEmail { customer_id } => {
            let before = st.accounts.customer(&customer_id).await?.ok_or_else(unused)?;
            st.accounts
                .complete_email_change(&digest, &before, &v.email)
                .await?;
            // Reminders of open invoices go to the new address too.
            st.billing.readdress_invoices(&customer_id, &v.email).await?;
            tracing::info!(%customer_id, "email address changed (new address verified)");
            Verified::EmailChanged(Customer {
                email: v.email.clone(),
                ..before
            })
        }
    };
    let customer = match &done {
        Verified::Registered(c) | Verified::EmailChanged(c) => c,
    };
    crate::sharing::attach_waiting(st, &customer.customer_id, &customer.email).await?;
    Ok(done)
}
