//! M12 albums: made by hand here, or automatically by classify. An album is
//! `NotFound` to anyone but its owner and its grantees.

pub mod file;
#[cfg(test)]
mod file_tests;
pub mod file_wiring;

use printvault_adapters::Page;
use printvault_domain::access::{Access, LinkTerms};
use printvault_domain::album::{album_name, check_album_room, Album, AlbumKind, MAX_BULK};
use printvault_domain::ids::{AlbumId, CustomerId, ImageId};
use printvault_domain::image::{Attributes, AttributesPatch, Image};
use printvault_domain::settings::QuotaSettings;
use printvault_domain::sharing::Target;
use printvault_domain::when::Timestamp;
use printvault_domain::Error;
use printvault_domain::Thing;
use printvault_domain::{Clash, Counted, Problem};
use time::OffsetDateTime;

use crate::access::access;
use crate::images::{change_image, own_ready_image};
use crate::Stores;

/// One image of an album page, as the caller may see it.
pub enum AlbumImage {
    /// The caller owns it.
    Own(Image),
    /// Someone else's, with what the caller may do with it.
    Shared(Image, Access),
}

/// The caller's own album, or `NotFound`.
pub async fn own_album(st: &Stores, owner: &CustomerId, id: &AlbumId) -> Result<Album, Error> {
    st.albums
        .get(owner, id)
        .await?
        .ok_or(Error::NotFound(Thing::Album))
}

/// A new manual album. A customer has at most `quotas.albums` albums,
/// automatic ones included.
pub async fn create(
    st: &Stores,
    quotas: &QuotaSettings,
    owner: &CustomerId,
    name: &str,
    now: OffsetDateTime,
) -> Result<Album, Error> {
    let most = quotas.albums;
    if st.albums.count(owner, most).await? >= most {
        return Err(Error::Conflict(Clash::AtMost {
            of: Counted::Albums,
            most: most as usize,
        }));
    }
    let album = Album {
        album_id: AlbumId::generate(),
        owner: owner.clone(),
        name: album_name(name)?,
        kind: AlbumKind::Manual,
        auto_key: None,
        created_at: Timestamp::at(now),
    };
    st.albums.create(&album).await?;
    Ok(album)
}

/// The owner's albums, manual and automatic, a page at a time.
pub async fn list(
    st: &Stores,
    owner: &CustomerId,
    limit: u32,
    cursor: Option<&str>,
) -> Result<Page<Album>, Error> {
    st.albums.page(owner, limit, cursor).await
}

/// The caller's own album, or one granted to them, with a page of its images.
pub async fn read(
    st: &Stores,
    caller: &CustomerId,
    id: &AlbumId,
    limit: u32,
    cursor: Option<&str>,
) -> Result<(Album, Page<AlbumImage>), Error> {
    let nf = || Error::NotFound(Thing::Album);
    let album = match st.albums.get(caller, id).await? {
        Some(a) => a,
        None => {
            let grant = st
                .sharing
                .grant_of(&Target::Album(id.clone()), caller)
                .await?
                .ok_or_else(nf)?;
            // An owner in arrears (M24): their grants stop serving until they pay.
            if !st.billing.overdue(&grant.owner).await?.is_empty() {
                return Err(nf());
            }
            st.albums.get(&grant.owner, id).await?.ok_or_else(nf)?
        }
    };
    let page = album_images(st, Some(caller), &album, None, limit, cursor).await?;
    Ok((album, page))
}

/// A page of the album's images as `caller` (or a link holder) may see them;
/// images they may not see are left out.
pub async fn album_images(
    st: &Stores,
    caller: Option<&CustomerId>,
    album: &Album,
    link: Option<LinkTerms>,
    limit: u32,
    cursor: Option<&str>,
) -> Result<Page<AlbumImage>, Error> {
    let page = st.albums.images(&album.album_id, limit, cursor).await?;
    let mut items = Vec::with_capacity(page.items.len());
    for id in &page.items {
        let Some(image) = st.images.get(&album.owner, id).await? else {
            continue;
        };
        if caller == Some(&album.owner) {
            items.push(AlbumImage::Own(image));
            continue;
        }
        let a = access(st, caller, &image, link).await?;
        if a.can_see() {
            items.push(AlbumImage::Shared(image, a));
        }
    }
    Ok(Page {
        items,
        next_cursor: page.next_cursor,
    })
}

pub async fn rename(st: &Stores, owner: &CustomerId, id: &AlbumId, name: &str) -> Result<Album, Error> {
    let mut album = own_album(st, owner, id).await?;
    album.name = album_name(name)?;
    st.albums
        .rename(&album.owner, &album.album_id, &album.name)
        .await?;
    Ok(album)
}

/// Deletes the album (never its images), and every grant and link of it.
pub async fn delete(st: &Stores, owner: &CustomerId, id: &AlbumId) -> Result<(), Error> {
    let album = own_album(st, owner, id).await?;
    st.sharing
        .revoke_all(&album.owner, &Target::Album(album.album_id.clone()))
        .await?;
    st.albums.delete(&album).await
}

pub async fn add_image(
    st: &Stores,
    owner: &CustomerId,
    album: &AlbumId,
    image: &ImageId,
    now: OffsetDateTime,
) -> Result<(), Error> {
    let album = own_album(st, owner, album).await?;
    let image = own_ready_image(st, owner, image).await?;
    check_album_room(&image.albums, &album.album_id)?;
    st.albums
        .add(&album.owner, &album.album_id, &image.id, Timestamp::at(now), None)
        .await
}

pub async fn remove_image(
    st: &Stores,
    owner: &CustomerId,
    album: &AlbumId,
    image: &ImageId,
) -> Result<(), Error> {
    let album = own_album(st, owner, album).await?;
    st.albums.remove(&album.owner, &album.album_id, image).await
}

/// Applies one attribute edit (M8) to many of the owner's images. The edit
/// is checked once up front, so a bad edit fails whole; each image then
/// has its own outcome, in the order given.
pub async fn bulk_attributes(
    st: &Stores,
    owner: &CustomerId,
    image_ids: &[String],
    patch: AttributesPatch,
) -> Result<Vec<Result<(), Error>>, Error> {
    if image_ids.is_empty() || image_ids.len() > MAX_BULK {
        return Err(Error::invalid(
            "image_ids",
            Problem::Count {
                min: 1,
                max: MAX_BULK,
            },
        ));
    }
    Attributes::default().apply(patch.clone())?;
    let mut results = Vec::with_capacity(image_ids.len());
    for raw in image_ids {
        let outcome = match ImageId::parse(raw) {
            Err(_) => Err(Error::NotFound(Thing::Image)),
            Ok(id) => change_image(st, owner, &id, Some(&patch), |image| {
                image.attributes.apply(patch.clone())
            })
            .await
            .map(|_| ()),
        };
        if let Err(Error::Unexpected(e)) = &outcome {
            // Reported inside a 200, so it is never logged as a response.
            tracing::error!(image_id = %raw, error = ?e, "a bulk edit failed for one image");
        }
        results.push(outcome);
    }
    Ok(results)
}
