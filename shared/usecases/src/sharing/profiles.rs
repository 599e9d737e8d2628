//! M2 the caller's own customer information, and M4 profile shares: one
//! named customer may read chosen fields of it.

use printvault_adapters::accounts::Customer;
use printvault_domain::account::Email;
use printvault_domain::ids::CustomerId;
use printvault_domain::profile::{Profile, ProfileUpdate};
use printvault_domain::sharing::ProfileShare;
use printvault_domain::when::rfc3339;
use printvault_domain::Error;
use time::OffsetDateTime;

use super::customer_by_email;
use crate::Stores;

pub async fn customer(st: &Stores, c: &CustomerId) -> Result<Customer, Error> {
    st.accounts.customer(c).await?.ok_or(Error::NotFound("customer"))
}

/// Applies `update` to the profile as it is; if another change lands in
/// between, reads it again and re-applies, so neither change is lost.
pub async fn update(
    st: &Stores,
    c: &CustomerId,
    update: ProfileUpdate,
    now: OffsetDateTime,
) -> Result<Customer, Error> {
    for _ in 0..3 {
        let mut customer = customer(st, c).await?;
        let before = customer.clone();
        customer.profile.apply(update.clone(), now.date())?;
        if st.accounts.put_profile(&before, &customer.profile).await? {
            customer.profile_rev += 1;
            return Ok(customer);
        }
    }
    Err(Error::Conflict(
        "other requests keep changing this profile; try again".into(),
    ))
}

/// Lets the customer holding `email` read the owner's profile, or `fields` of it.
pub async fn share(
    st: &Stores,
    owner: &CustomerId,
    email: &str,
    fields: Option<Vec<String>>,
    now: OffsetDateTime,
) -> Result<ProfileShare, Error> {
    let email = Email::parse(email)?;
    let reader = customer_by_email(st, "reader_email", &email).await?;
    let share = ProfileShare::new(owner.clone(), reader, email.to_string(), fields, rfc3339(now))?;
    st.sharing.share_profile(&share).await?;
    Ok(share)
}

pub async fn shares(st: &Stores, owner: &CustomerId) -> Result<Vec<ProfileShare>, Error> {
    st.sharing.profile_shares_of(owner).await
}

pub async fn shared_with(st: &Stores, reader: &CustomerId) -> Result<Vec<ProfileShare>, Error> {
    st.sharing.profiles_shared_with(reader).await
}

pub async fn unshare(st: &Stores, owner: &CustomerId, reader: &CustomerId) -> Result<(), Error> {
    st.sharing.unshare_profile(owner, reader).await
}

/// Another customer's profile and the share that lets `reader` see it;
/// `NotFound` for anyone they do not share with.
pub async fn read_shared(
    st: &Stores,
    reader: &CustomerId,
    owner: &CustomerId,
) -> Result<(Profile, ProfileShare), Error> {
    let nf = || Error::NotFound("profile");
    let share = st.sharing.profile_share(owner, reader).await?.ok_or_else(nf)?;
    let customer = st.accounts.customer(owner).await?.ok_or_else(nf)?;
    Ok((customer.profile, share))
}
