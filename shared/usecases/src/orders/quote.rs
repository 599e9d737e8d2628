//! Quoting (M15-M17, M19): which lines the buyer may print, at what terms,
//! decided by the one permission function, and priced.

use printvault_domain::access::{decide, Facts, Principal, PrintTerms};
use printvault_domain::catalogue::Medium;
use printvault_domain::ids::{CustomerId, ImageId, QuoteId};
use printvault_domain::image::{Image, ImageStatus};
use printvault_domain::order::{BuyerRef, Printable, Quote, QuoteRequest, QuoteTerms, Slug};
use printvault_domain::pricing::{PrintSize, Source};
use printvault_domain::settings::Settings;
use printvault_domain::when::Timestamp;
use printvault_domain::Rule;
use printvault_domain::{CannotApply, Error};
use std::collections::HashMap;
use time::OffsetDateTime;

use crate::Stores;

/// What `caller` may print of `image`, and at what terms. Grants and share
/// links never change print terms (`decide` gives them the market terms an
/// image's class gives everyone), so only the group relation is gathered.
async fn print_terms(
    st: &Stores,
    caller: Option<&CustomerId>,
    image: &Image,
    owner_in_arrears: bool,
    groups: &mut HashMap<CustomerId, bool>,
) -> Result<Option<PrintTerms>, Error> {
    let is_owner = caller == Some(&image.owner);
    let ready = image.status == ImageStatus::Ready && !image.deleting;
    let mut same_group = false;
    if let Some(c) = caller.filter(|_| !is_owner && ready && !owner_in_arrears) {
        same_group = match groups.get(&image.owner) {
            Some(known) => *known,
            None => {
                let g = st.sharing.same_group(c, &image.owner).await?;
                groups.insert(image.owner.clone(), g);
                g
            }
        };
    }
    let facts = facts(caller, image, same_group, owner_in_arrears);
    // The owner sees a pending or deleting image of their own; it still
    // cannot be printed until it is ready.
    Ok(decide(&facts).print.filter(|_| ready))
}

fn price_of(image: &Image, size: PrintSize) -> Option<printvault_domain::money::Yen> {
    image.prices.map(|p| match size {
        PrintSize::L => p.l,
        PrintSize::TwoL => p.two_l,
    })
}

/// Prices `req` for `caller` (None: a guest) and keeps the quote until it
/// expires. Images are read in batches (two BatchGetItem per 100 lines).
pub async fn quote(
    st: &Stores,
    settings: &Settings,
    caller: Option<&CustomerId>,
    req: QuoteRequest,
    now: OffsetDateTime,
) -> Result<Quote, Error> {
    req.validate(settings.orders.max_lines as usize)?;
    let lab_id = st
        .labs
        .lab_for(&req.location)
        .await?
        .ok_or_else(|| Error::rule("location", Rule::NoLabFor(req.location.to_string())))?;
    let mut ids: Vec<ImageId> = req.lines.iter().map(|l| l.image_id.clone()).collect();
    ids.sort();
    ids.dedup();
    let mut found = st.images.find_many(&ids).await?;
    // An image in the trash is gone to everyone.
    found.retain(|i| i.trashed.is_none());
    // An owner in arrears (M24) sells nothing (`decide`): their images
    // answer as if they did not exist (one read of the register).
    let mut owners: Vec<CustomerId> = found
        .iter()
        .map(|i| i.owner.clone())
        .filter(|o| caller != Some(o))
        .collect();
    owners.sort();
    owners.dedup();
    let in_arrears = st.billing.in_arrears(&owners).await?;
    let images: HashMap<ImageId, Image> = found.into_iter().map(|i| (i.id.clone(), i)).collect();
    let mut groups = HashMap::new();
    let mut lines = Vec::with_capacity(req.lines.len());
    for (n, line) in req.lines.iter().enumerate() {
        let n = n + 1;
        let gone = || {
            Error::CannotApply(CannotApply::LineNotFound {
                line: n,
                image: line.image_id.clone(),
            })
        };
        let image = images.get(&line.image_id).ok_or_else(gone)?;
        if let Some(a) = &image.archive {
            // Its original is on a disc (M32): its owner is told which;
            // anyone else, that it is not offered.
            return Err(Error::CannotApply(if caller == Some(&image.owner) {
                CannotApply::LineArchived {
                    line: n,
                    image: line.image_id.clone(),
                    disc: a.disc_id.clone(),
                }
            } else {
                CannotApply::LineNotOffered {
                    line: n,
                    image: line.image_id.clone(),
                }
            }));
        }
        let locked = in_arrears.contains(&image.owner);
        let source = match print_terms(st, caller, image, locked, &mut groups).await? {
            Some(PrintTerms::Own) => Source::Own,
            Some(PrintTerms::Market) => Source::Stranger {
                price: price_of(image, line.size).ok_or_else(gone)?,
            },
            None if decide_sees(caller, image, locked) => {
                return Err(Error::CannotApply(CannotApply::LineNotOffered {
                    line: n,
                    image: line.image_id.clone(),
                }))
            }
            None => return Err(gone()),
        };
        lines.push(Printable {
            request: line.clone(),
            owner: image.owner.clone(),
            source,
        });
    }
    let buyer = match caller {
        Some(c) => BuyerRef::Customer {
            customer_id: c.clone(),
        },
        None => BuyerRef::Guest,
    };
    let q = Quote::build(
        terms(settings, buyer, (req.location, lab_id), req.medium, now),
        lines,
    )?;
    st.orders.put_quote(&q).await?;
    Ok(q)
}

/// What a quote for `buyer` at `location` (printed by `lab_id`) on
/// `medium` is made at, now: the operator's rates, valid for
/// `orders.quote_ttl_minutes`.
pub(crate) fn terms(
    settings: &Settings,
    buyer: BuyerRef,
    (location, lab_id): (Slug, Slug),
    medium: Medium,
    now: OffsetDateTime,
) -> QuoteTerms<'_> {
    let expires = now + time::Duration::minutes(i64::from(settings.orders.quote_ttl_minutes));
    QuoteTerms {
        quote_id: QuoteId::generate(),
        buyer,
        location,
        lab_id,
        medium,
        rates: &settings.pricing.prints,
        media: &settings.pricing.media,
        created_at: Timestamp::at(now),
        expires_at: Timestamp::at(expires),
        ttl: expires.unix_timestamp(),
    }
}

/// The facts of a print decision. Grants and share links are left out:
/// they never change print terms.
fn facts(caller: Option<&CustomerId>, image: &Image, same_group: bool, owner_in_arrears: bool) -> Facts {
    Facts {
        principal: if caller.is_some() {
            Principal::Customer
        } else {
            Principal::Anonymous
        },
        ready: image.status == ImageStatus::Ready && !image.deleting,
        owner_in_arrears,
        class: image.class,
        is_owner: caller == Some(&image.owner),
        same_group,
        image_grant: false,
        album_grant: false,
        link: None,
    }
}

/// Whether the caller may see the image at all (a viewable stranger's
/// image): then saying "not offered for printing" gives nothing away.
fn decide_sees(caller: Option<&CustomerId>, image: &Image, owner_in_arrears: bool) -> bool {
    decide(&facts(caller, image, false, owner_in_arrears)).can_see()
}
