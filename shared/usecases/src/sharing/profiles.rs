//! M2 the caller's own customer information, and M4 profile shares: one
//! named customer may read chosen fields of it.

use printvault_adapters::accounts::Customer;
use printvault_domain::account::Email;
use printvault_domain::anniversary::profile_days;
use printvault_domain::ids::CustomerId;
use printvault_domain::profile::{Profile, ProfileUpdate};
use printvault_domain::sharing::{
    share_fields, GivenProfileShare, ProfileShare, Recipient, WaitingProfileShare,
};
use printvault_domain::when::Timestamp;
use printvault_domain::Error;
use printvault_domain::Thing;
use printvault_domain::{Clash, Rule};
use time::OffsetDateTime;

use super::{email_of, holder_of, removed};
use crate::Stores;

pub async fn customer(st: &Stores, c: &CustomerId) -> Result<Customer, Error> {
    st.accounts
        .customer(c)
        .await?
        .ok_or(Error::NotFound(Thing::Customer))
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
        // The anniversary index (M28) gains the new dates before the
        // profile is saved and loses the old ones after: a marker left
        // over only makes the sweep read a profile with nothing that day.
        let was = profile_days(&before.profile);
        let will = profile_days(&customer.profile);
        let added: Vec<_> = will.difference(&was).copied().collect();
        st.images.mark_profile_days(c, &added).await?;
        if st.accounts.put_profile(&before, &customer.profile).await? {
            let gone: Vec<_> = was.difference(&will).copied().collect();
            st.images.unmark_profile_days(c, &gone).await?;
            customer.profile_rev += 1;
            return Ok(customer);
        }
    }
    Err(Error::Conflict(Clash::KeptChanging(Thing::Profile)))
}

/// Lets whoever holds `email` read the owner's profile, or `fields` of it.
/// An address without a verified account gets the share when it is
/// verified; the owner is told the same either way.
pub async fn share(
    st: &Stores,
    owner: &CustomerId,
    email: &str,
    fields: Option<Vec<String>>,
    now: OffsetDateTime,
) -> Result<GivenProfileShare, Error> {
    let email = Email::parse(email)?;
    let fields = share_fields(fields)?;
    if email == email_of(st, owner).await? {
        return Err(Error::rule("reader_email", Rule::OwnProfile));
    }
    match holder_of(st, &email).await? {
        Some(reader) => {
            let share = ProfileShare::new(
                owner.clone(),
                reader,
                email.to_string(),
                Some(fields),
                Timestamp::at(now),
            )?;
            st.sharing.share_profile(&share).await?;
            Ok(share.into())
        }
        None => {
            let w = WaitingProfileShare {
                owner: owner.clone(),
                reader_email: email.to_string(),
                fields,
                created_at: Timestamp::at(now),
            };
            st.sharing.wait_profile_share(&w).await?;
            Ok(w.into())
        }
    }
}

/// Who may read the owner's profile, by address.
pub async fn shares(st: &Stores, owner: &CustomerId) -> Result<Vec<GivenProfileShare>, Error> {
    let mut out: Vec<GivenProfileShare> = st
        .sharing
        .profile_shares_of(owner)
        .await?
        .into_iter()
        .map(Into::into)
        .collect();
    out.extend(
        st.sharing
            .waiting_profile_shares(owner)
            .await?
            .into_iter()
            .map(Into::into),
    );
    out.sort_by(|a, b| a.reader_email.cmp(&b.reader_email));
    Ok(out)
}

pub async fn shared_with(st: &Stores, reader: &CustomerId) -> Result<Vec<ProfileShare>, Error> {
    st.sharing.profiles_shared_with(reader).await
}

/// Ends the owner's profile share with `who`, waiting or not.
pub async fn unshare(st: &Stores, owner: &CustomerId, who: &Recipient) -> Result<(), Error> {
    let mut found = false;
    for s in st.sharing.profile_shares_of(owner).await? {
        if who.names(&s.reader, &s.reader_email) {
            found |= removed(st.sharing.unshare_profile(owner, &s.reader).await)?;
        }
    }
    if let Recipient::Email(e) = who {
        for w in st.sharing.waiting_profile_shares(owner).await? {
            if w.reader_email == e.as_str() {
                found |= removed(st.sharing.drop_waiting_profile_share(&w).await)?;
            }
        }
    }
    if found {
        Ok(())
    } else {
        Err(Error::NotFound(Thing::ProfileShare))
    }
}

/// Another customer's profile and the share that lets `reader` see it;
/// `NotFound` for anyone they do not share with.
pub async fn read_shared(
    st: &Stores,
    reader: &CustomerId,
    owner: &CustomerId,
) -> Result<(Profile, ProfileShare), Error> {
    let nf = || Error::NotFound(Thing::Profile);
    let share = st.sharing.profile_share(owner, reader).await?.ok_or_else(nf)?;
    let customer = st.accounts.customer(owner).await?.ok_or_else(nf)?;
    Ok((customer.profile, share))
}
