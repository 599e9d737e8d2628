//! Archiving to a disc (M29-M32) as the api serves it so far: a customer's
//! own thresholds, which tighten the operator's, and their proposals.

use printvault_adapters::{cursor, keys, Page};
use printvault_domain::archive::{
    ArchivePrefs, ArchiveSettings, Disc, Offered, Proposal, ProposalStatus, ProposalSummary, Thresholds,
};
use printvault_domain::ids::{CustomerId, ImageId, ProposalId};
use printvault_domain::order::{ArchiveChoice, BuyerRef, Quote};
use printvault_domain::settings::{Settings, UploadSettings};
use printvault_domain::when::Timestamp;
use printvault_domain::{Error, Rule, Thing};
use std::time::Duration;
use time::OffsetDateTime;

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

/// A page of `customer`'s archive proposals, newest first.
pub async fn proposals(
    st: &Stores,
    customer: &CustomerId,
    limit: u32,
    cursor: Option<&str>,
) -> Result<Page<ProposalSummary>, Error> {
    st.archive.proposals(customer, limit, cursor).await
}

/// One proposal as its owner sees it, with a page of its images.
pub struct Shown {
    pub proposal: Proposal,
    /// Its status today.
    pub status: ProposalStatus,
    pub images: Vec<ShownImage>,
    pub next_cursor: Option<String>,
    /// When the thumbnails' links stop working.
    pub urls_expire_at: Timestamp,
}

/// One offered image: its bytes, when it was stored, a thumbnail, and
/// which discs' fills hold it.
pub struct ShownImage {
    pub offered: Offered,
    pub thumbnail: String,
    pub discs: Vec<Disc>,
}

/// `customer`'s proposal `id`, with `limit` of its images after `cursor`
/// (oldest first). Another customer's proposal is not found.
pub async fn proposal(
    st: &Stores,
    uploads: &UploadSettings,
    customer: &CustomerId,
    id: &ProposalId,
    (limit, cursor): (u32, Option<&str>),
    now: OffsetDateTime,
) -> Result<Shown, Error> {
    let p = st
        .archive
        .proposal(customer, id)
        .await?
        .ok_or(Error::NotFound(Thing::Proposal))?;
    let after = cursor
        .map(|c| cursor::decode(c, |s| ImageId::parse(s).is_ok()))
        .transpose()?;
    let discs = p.discs_of_each();
    let ttl = uploads.image_url_ttl_secs;
    let mut images = Vec::new();
    let mut rest = p
        .images
        .iter()
        .zip(discs)
        .filter(|(o, _)| after.as_deref().is_none_or(|a| o.image.as_str() > a));
    for (o, discs) in rest.by_ref().take(limit as usize) {
        let key = keys::thumb_key(customer, &o.image);
        images.push(ShownImage {
            offered: o.clone(),
            thumbnail: st.objects.presign_get(&key, Duration::from_secs(ttl)).await?,
            discs,
        });
    }
    let next_cursor = match (rest.next(), images.last()) {
        (Some(_), Some(last)) => Some(cursor::encode(last.offered.image.as_str())),
        _ => None,
    };
    Ok(Shown {
        status: p.status_on(now.date()),
        proposal: p,
        images,
        next_cursor,
        urls_expire_at: Timestamp::at(now + time::Duration::seconds(ttl as i64)),
    })
}

/// Quotes a disc of `customer`'s proposal `id` (M30): the disc's fill less
/// the images taken out, at the medium's fee and points, written by the
/// lab of the chosen location. It is ordered like any quote
/// (`POST /v1/orders`).
pub async fn quote(
    st: &Stores,
    settings: &Settings,
    customer: &CustomerId,
    id: &ProposalId,
    choice: ArchiveChoice,
    now: OffsetDateTime,
) -> Result<Quote, Error> {
    let p = st
        .archive
        .proposal(customer, id)
        .await?
        .ok_or(Error::NotFound(Thing::Proposal))?;
    let terms = p.choose(&choice, now.date())?;
    let lab_id = st
        .labs
        .lab_for(&choice.location)
        .await?
        .ok_or_else(|| Error::rule("location", Rule::NoLabFor(choice.location.to_string())))?;
    let buyer = BuyerRef::Customer {
        customer_id: customer.clone(),
    };
    let medium = terms.disc.medium();
    let q = Quote::for_archive(
        crate::orders::quote_terms(settings, buyer, (choice.location, lab_id), medium, now),
        terms,
    )?;
    st.orders.put_quote(&q).await?;
    Ok(q)
}
