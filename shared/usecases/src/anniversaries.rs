//! Event notices (M28) as the api serves them: the customer's choice of
//! notices, and the thumbnails a notice shows through its link.

use printvault_adapters::keys;
use printvault_domain::account::SessionToken;
use printvault_domain::anniversary::Preferences;
use printvault_domain::ids::CustomerId;
use printvault_domain::image::ImageStatus;
use printvault_domain::settings::UploadSettings;
use printvault_domain::Error;
use printvault_domain::Thing;
use std::time::Duration;
use time::OffsetDateTime;

use crate::Stores;

/// Which event notices `customer` wants.
pub async fn preferences(st: &Stores, customer: &CustomerId) -> Result<Preferences, Error> {
    let c = st
        .accounts
        .customer(customer)
        .await?
        .ok_or(Error::NotFound(Thing::Customer))?;
    Ok(c.anniversaries)
}

/// Replaces `customer`'s choice, checked; returns it as stored.
pub async fn set_preferences(
    st: &Stores,
    customer: &CustomerId,
    p: Preferences,
) -> Result<Preferences, Error> {
    let p = p.validate()?;
    st.accounts.set_anniversary_preferences(customer, &p).await?;
    Ok(p)
}

/// A short-lived URL of the `n`th thumbnail the notice link `token` shows.
/// An unknown or expired link, an index it does not have, and an image
/// since deleted or no longer ready are all `NotFound`, alike.
pub async fn notice_thumbnail(
    st: &Stores,
    uploads: &UploadSettings,
    token: &str,
    n: usize,
    now: OffsetDateTime,
) -> Result<String, Error> {
    let nf = || Error::NotFound(Thing::Link);
    let token = SessionToken::from_presented(token).ok_or_else(nf)?;
    let link = st
        .accounts
        .notice_link(&token.digest(), now.unix_timestamp())
        .await?
        .ok_or_else(nf)?;
    let id = link.images.get(n).ok_or_else(nf)?;
    st.images
        .get(&link.owner, id)
        .await?
        .filter(|i| i.status == ImageStatus::Ready && !i.deleting)
        .ok_or_else(nf)?;
    st.objects
        .presign_get(
            &keys::thumb_key(&link.owner, id),
            Duration::from_secs(uploads.image_url_ttl_secs),
        )
        .await
        .map_err(Error::from)
}
