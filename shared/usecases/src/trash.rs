//! The owner's trash: what is in it, taking an image back, and purging
//! one or all of it now. Moving an image in is `images::trash_image`; the
//! trash sweep ([`sweep_trash`]) purges what has expired.
//!
//! A restore and a purge are both conditioned on the trashing they read
//! (`trashed.at`), on the one record: whichever lands first wins, and the
//! other finds the image gone from the trash.

use printvault_adapters::images::TrashEntry;
use printvault_adapters::Page;
use printvault_domain::ids::{CustomerId, ImageId};
use printvault_domain::image::Image;
use printvault_domain::trash::Trashed;
use printvault_domain::when::Timestamp;
use printvault_domain::{Error, Thing};
use serde::Serialize;
use time::OffsetDateTime;

use crate::images::{delete_image, tidy};
use crate::sweeps::Report;
use crate::Stores;

/// Tries of re-indexing a restored image that its owner keeps changing.
const INDEX_ATTEMPTS: usize = 5;

/// One page of `owner`'s trash, most recently trashed first.
pub async fn list(
    st: &Stores,
    owner: &CustomerId,
    limit: u32,
    cursor: Option<&str>,
) -> Result<Page<TrashEntry>, Error> {
    st.images.trash_page(owner, limit, cursor).await
}

/// The owner's trashed image, or `NotFound` (not theirs, not in the trash,
/// or being purged).
async fn in_trash(st: &Stores, owner: &CustomerId, id: &ImageId) -> Result<(Image, Trashed), Error> {
    let image = st
        .images
        .trashed(owner, id)
        .await?
        .ok_or(Error::NotFound(Thing::Image))?;
    let t = image.trashed.clone().ok_or(Error::NotFound(Thing::Image))?;
    Ok((image, t))
}

/// Takes the owner's image `id` out of the trash, as it was: its
/// attributes, class, prices and selection, its search entries, and the
/// albums it was in that still exist. Its grants and links stay revoked.
/// Its retention starts again from today. `NotFound` when it is not in the
/// trash (never was, restored already, or purged or being purged).
pub async fn restore(
    st: &Stores,
    owner: &CustomerId,
    id: &ImageId,
    now: OffsetDateTime,
) -> Result<Image, Error> {
    let (mut image, mut t) = in_trash(st, owner, id).await?;
    if !t.tidy {
        // A trashing a crash cut short: finish it first, then read the
        // albums it noted.
        if !tidy(st, &image, &t).await? {
            return Err(Error::NotFound(Thing::Image));
        }
        (image, t) = in_trash(st, owner, id).await?;
    }
    if !st
        .images
        .untrash(&image, &t, now.date(), Timestamp::at(now))
        .await?
    {
        return Err(Error::NotFound(Thing::Image));
    }
    // Indexed as the record now is: an edit landing meanwhile has indexed
    // itself, and the next try reads it.
    let mut restored = None;
    for _ in 0..INDEX_ATTEMPTS {
        let Some(now_image) = st.images.get(owner, id).await? else {
            return Err(Error::NotFound(Thing::Image));
        };
        if st.search.add(&now_image).await? {
            restored = Some(now_image);
            break;
        }
    }
    let restored = match restored {
        Some(r) => r,
        None => st
            .images
            .get(owner, id)
            .await?
            .ok_or(Error::NotFound(Thing::Image))?,
    };
    for album in &t.albums {
        if st.albums.get(owner, album).await?.is_none() {
            continue;
        }
        match st.albums.add(owner, album, id, Timestamp::at(now), None).await {
            Ok(()) | Err(Error::NotFound(_)) => {}
            Err(e) => return Err(e),
        }
    }
    tracing::info!(customer_id = %owner, image_id = %id, by = t.by.as_str(), "image restored from the trash");
    Ok(st.images.get(owner, id).await?.unwrap_or(restored))
}

/// Purges `image`, trashed as `t`, through the one delete. `false` when it
/// is no longer trashed as `t` (a restore won, or another purge began).
async fn purge(st: &Stores, image: &Image, t: &Trashed, now: OffsetDateTime) -> Result<bool, Error> {
    if !st.images.mark_purging(image, t).await? {
        return Ok(false);
    }
    match delete_image(st, &image.owner, &image.id, now).await {
        Ok(()) | Err(Error::NotFound(_)) => Ok(true),
        Err(e) => Err(e),
    }
}

/// Purges the owner's trashed image `id` now (`DELETE /v1/trash/{id}`).
pub async fn purge_now(
    st: &Stores,
    owner: &CustomerId,
    id: &ImageId,
    now: OffsetDateTime,
) -> Result<(), Error> {
    let (image, t) = in_trash(st, owner, id).await?;
    if purge(st, &image, &t, now).await? {
        tracing::info!(customer_id = %owner, image_id = %id, "image purged from the trash by its owner");
        Ok(())
    } else {
        Err(Error::NotFound(Thing::Image))
    }
}

/// What one `DELETE /v1/trash` did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Emptied {
    /// Images purged by this call.
    pub purged: u32,
    /// Whether images are left (more than one call purges): call again.
    pub more: bool,
}

/// Purges up to `batch` images of the owner's trash, oldest trashing last
/// (one page of the listing): call again while `more`.
pub async fn empty(
    st: &Stores,
    owner: &CustomerId,
    batch: u32,
    now: OffsetDateTime,
) -> Result<Emptied, Error> {
    let page = st.images.trash_page(owner, batch, None).await?;
    let mut purged = 0;
    for entry in &page.items {
        match purge_now(st, owner, &entry.image_id, now).await {
            Ok(()) => purged += 1,
            Err(Error::NotFound(_)) => {}
            Err(e) => return Err(e),
        }
    }
    let more = page.next_cursor.is_some() && !st.images.trash_page(owner, 1, None).await?.items.is_empty();
    Ok(Emptied { purged, more })
}

/// The trash sweep for the day of `now`: finishes every trashing a crash
/// left untidy, and purges every image whose purge day has come, through
/// the one delete. Each action is conditioned on the trashing it read, so
/// a run again, or a restore in between, changes nothing twice.
pub async fn sweep_trash(st: &Stores, now: OffsetDateTime) -> Result<Report, Error> {
    let today = now.date();
    let mut report = Report::new("trash", today);
    for image in st.images.trash_due(today).await? {
        let Some(t) = image.trashed.clone() else { continue };
        if image.deleting {
            // A purge a crash cut short: finish it.
            match delete_image(st, &image.owner, &image.id, now).await {
                Ok(()) => report.count("purges_finished"),
                Err(Error::NotFound(_)) => {}
                Err(e) => return Err(e),
            }
            continue;
        }
        if !t.tidy {
            if tidy(st, &image, &t).await? {
                report.count("tidied");
            }
            if !t.due(today) {
                continue;
            }
        }
        if t.due(today) && purge(st, &image, &t, now).await? {
            tracing::info!(customer_id = %image.owner, image_id = %image.id, trashed_at = %t.at, "image purged from the trash");
            report.count("purged");
        }
    }
    Ok(report)
}
