//! Archiving to a disc (M29-M32) as the api serves it so far: a customer's
//! own thresholds, which tighten the operator's.

use printvault_domain::archive::{ArchivePrefs, ArchiveSettings, Thresholds};
use printvault_domain::ids::CustomerId;
use printvault_domain::{Error, Thing};

use crate::Stores;

/// `customer`'s own thresholds, and the ones that apply to them.
pub async fn thresholds(
    st: &Stores,
    settings: &ArchiveSettings,
    customer: &CustomerId,
) -> Result<(ArchivePrefs, Thresholds), Error> {
    let c = st
        .accounts
        .customer(customer)
        .await?
        .ok_or(Error::NotFound(Thing::Customer))?;
    let applied = c.archive.thresholds(settings);
    Ok((c.archive, applied))
}

/// Replaces `customer`'s own thresholds, refusing any looser than the
/// operator's; returns them with the ones that now apply. The archive
/// sweep looks at them against the new ones from `today` on.
pub async fn set_thresholds(
    st: &Stores,
    settings: &ArchiveSettings,
    customer: &CustomerId,
    own: ArchivePrefs,
    today: time::Date,
) -> Result<(ArchivePrefs, Thresholds), Error> {
    own.validate(settings)?;
    st.accounts.set_archive_preferences(customer, &own).await?;
    st.archive.look_on(customer, today).await?;
    let applied = own.thresholds(settings);
    Ok((own, applied))
}
