//! X4: share links to one image or album, and what a link opens.

use printvault_adapters::Page;
use printvault_domain::access::Access;
use printvault_domain::account::SessionToken;
use printvault_domain::album::Album;
use printvault_domain::ids::{CustomerId, ImageId, LinkId};
use printvault_domain::image::Image;
use printvault_domain::settings::{Settings, UploadSettings};
use printvault_domain::sharing::{Link, Target};
use printvault_domain::Error;
use printvault_domain::Thing;
use printvault_domain::{Clash, Counted};
use time::OffsetDateTime;

use super::{own_target, TargetRequest};
use crate::access::access;
use crate::albums::{album_images, AlbumImage};
use crate::images::{signed_urls, SignedUrls};
use crate::Stores;

/// Makes a link to the owner's image or album. The token is returned once,
/// here; only its hash is stored.
pub async fn create(
    st: &Stores,
    settings: &Settings,
    owner: &CustomerId,
    target: TargetRequest,
    hours: Option<u64>,
    allow_original: Option<bool>,
    now: OffsetDateTime,
) -> Result<(Link, SessionToken), Error> {
    let target = own_target(st, owner, target).await?;
    let (link, token) = Link::create(owner.clone(), target, hours, allow_original, now, &settings.links)?;
    let most_links = settings.quotas.live_links;
    let live = st
        .sharing
        .links_of(owner)
        .await?
        .iter()
        .filter(|l| l.is_live(now))
        .count();
    if live >= most_links as usize {
        return Err(Error::Conflict(Clash::AtMost {
            of: Counted::LiveLinks,
            most: most_links as usize,
        }));
    }
    st.sharing.create_link(&link).await?;
    Ok((link, token))
}

pub async fn list(st: &Stores, owner: &CustomerId) -> Result<Vec<Link>, Error> {
    st.sharing.links_of(owner).await
}

pub async fn revoke(st: &Stores, owner: &CustomerId, id: &LinkId) -> Result<(), Error> {
    st.sharing.revoke_link(owner, id).await
}

/// The live link a token opens. Unknown, expired and revoked links are all `NotFound`.
pub async fn live_link(st: &Stores, token: &str, now: OffsetDateTime) -> Result<Link, Error> {
    let token = SessionToken::from_presented(token).ok_or(Error::NotFound(Thing::Link))?;
    let link = st
        .sharing
        .link_by_digest(&token.digest())
        .await?
        .ok_or(Error::NotFound(Thing::Link))?;
    if !link.is_live(now) {
        return Err(Error::NotFound(Thing::Link));
    }
    Ok(link)
}

/// What the live link `token` opens, a page at a time for an album.
pub async fn open_token(
    st: &Stores,
    token: &str,
    limit: u32,
    cursor: Option<&str>,
    now: OffsetDateTime,
) -> Result<Opened, Error> {
    let link = live_link(st, token, now).await?;
    open(st, &link, limit, cursor).await
}

/// The image the live link `token` opens (`image` None), or the image
/// `image` in the album it opens, and what the link allows with it.
pub async fn image_by_token(
    st: &Stores,
    token: &str,
    image: Option<&ImageId>,
    now: OffsetDateTime,
) -> Result<(Image, Access), Error> {
    let link = live_link(st, token, now).await?;
    linked_image(st, &link, image).await
}

/// Short-lived URLs for what the link `token` allows of that image.
pub async fn urls_by_token(
    st: &Stores,
    uploads: &UploadSettings,
    token: &str,
    image: Option<&ImageId>,
    now: OffsetDateTime,
) -> Result<SignedUrls, Error> {
    let (image, access) = image_by_token(st, token, image, now).await?;
    signed_urls(st, uploads, &image, &access, false, now).await
}

/// An image the link covers (the linked image, or one in the linked album;
/// `image` names it then), and what the link allows with it.
pub async fn linked_image(
    st: &Stores,
    link: &Link,
    image: Option<&ImageId>,
) -> Result<(Image, Access), Error> {
    let nf = || Error::NotFound(Thing::Image);
    let id = match (&link.target, image) {
        (Target::Image(i), None) => i.clone(),
        (Target::Album(_), Some(i)) => i.clone(),
        _ => return Err(nf()),
    };
    let image = st.images.get(&link.owner, &id).await?.ok_or_else(nf)?;
    if let Target::Album(a) = &link.target {
        if !image.albums.contains(a) {
            return Err(nf());
        }
    }
    let a = access(st, None, &image, Some(link.terms())).await?;
    if !a.can_see() {
        return Err(nf());
    }
    Ok((image, a))
}

/// What a link opens.
pub enum Opened {
    Image(Box<Image>, Access),
    Album(Album, Page<AlbumImage>),
}

/// What a link opens: the image, or the album with a page of its images.
pub async fn open(st: &Stores, link: &Link, limit: u32, cursor: Option<&str>) -> Result<Opened, Error> {
    match &link.target {
        Target::Image(_) => {
            let (image, a) = linked_image(st, link, None).await?;
            Ok(Opened::Image(Box::new(image), a))
        }
        Target::Album(id) => {
            // An owner in arrears (M24): their links stop serving until they pay.
            if !st.billing.overdue(&link.owner).await?.is_empty() {
                return Err(Error::NotFound(Thing::Link));
            }
            let album = st
                .albums
                .get(&link.owner, id)
                .await?
                .ok_or(Error::NotFound(Thing::Link))?;
            let page = album_images(st, None, &album, Some(link.terms()), limit, cursor).await?;
            Ok(Opened::Album(album, page))
        }
    }
}
