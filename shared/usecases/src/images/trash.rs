//! Moving an image to the trash: by its owner ([`trash_image`]) or by the
//! retention sweep ([`trash_unchanged`]). Both mark the record first, which
//! hides it from every reader at once and stops any change, filing or
//! index write landing after; then [`tidy`] removes its search entries,
//! album memberships, grants and links, and records that it did. A crash
//! in between leaves the trashing untidy, which the trash sweep (or the
//! owner's next delete or restore) finishes.

use printvault_domain::ids::{CustomerId, ImageId};
use printvault_domain::image::{Image, ImageStatus};
use printvault_domain::retention::DeletionAudit;
use printvault_domain::sharing::Target;
use printvault_domain::trash::{Trashed, TrashedBy};
use printvault_domain::{Clash, Error, Thing};
use time::OffsetDateTime;

use super::{delete_image, CHANGE_ATTEMPTS};
use crate::ports::{ImageParts, ImageRecords};

/// The owner's delete (M5): a ready image goes to the trash for
/// `keep_days`; one that never became an image (pending, rejected, a
/// duplicate) is deleted at once, there being nothing to restore. One being
/// deleted (a purge a crash cut short) is finished. Deleting an image
/// already in the trash finishes its trashing if a crash cut it
/// short; otherwise it is `NotFound`, as the image is gone from the gallery.
pub async fn trash_image<S: ImageRecords + ImageParts + Sync>(
    st: &S,
    owner: &CustomerId,
    id: &ImageId,
    now: OffsetDateTime,
    keep_days: u32,
) -> Result<(), Error> {
    for _ in 0..CHANGE_ATTEMPTS {
        let image = st.get(owner, id).await?.ok_or(Error::NotFound(Thing::Image))?;
        if image.deleting {
            // A deletion a crash cut short: finish it.
            return delete_image(st, owner, id, now).await;
        }
        if let Some(t) = image.trashed.clone() {
            // Gone from the gallery: `NotFound`, as for any image gone,
            // once a trashing a crash cut short is finished.
            if !t.tidy {
                tidy(st, &image, &t).await?;
                return Ok(());
            }
            return Err(Error::NotFound(Thing::Image));
        }
        if image.status != ImageStatus::Ready {
            return delete_image(st, owner, id, now).await;
        }
        let t = Trashed::new(now, keep_days, TrashedBy::Owner, Vec::new());
        if let Some(marked) = st.trash_now(owner, id, &t).await? {
            tidy(st, &marked, &t).await?;
            tracing::info!(customer_id = %owner, image_id = %id, purge_on = %t.purge_on, "image moved to the trash");
            return Ok(());
        }
    }
    Err(Error::Conflict(Clash::KeptChanging(Thing::Image)))
}

/// The retention sweep's deletion (M26, M27) of the image it decided on as
/// `read`: to the trash, only if nothing changed since that read (a
/// selection, edit or class change bumps the revision; another run moves
/// the schedule), with its audit entry written with the mark. `Ok(false)`
/// when the image changed since (or is gone, trashed or being deleted):
/// nothing was written, and the caller decides again from a fresh read.
///
/// What the decision counted outside the record (the prints a lab reports,
/// which move no revision) may have grown until the mark: `still_due` asks
/// again once the image is marked, and if it answers no, the mark and its
/// audit entry are taken back and `Ok(false)` returned. The mark is the
/// moment of the decision: a print reported after it is too late.
pub async fn trash_unchanged<S, F, Fut>(
    st: &S,
    read: &Image,
    audit: &DeletionAudit,
    now: OffsetDateTime,
    keep_days: u32,
    still_due: F,
) -> Result<bool, Error>
where
    S: ImageRecords + ImageParts + Sync,
    F: FnOnce() -> Fut,
    Fut: std::future::Future<Output = Result<bool, Error>>,
{
    let t = Trashed::new(now, keep_days, TrashedBy::Retention, Vec::new());
    if !st.mark_trashed(read, &t, audit).await? {
        return Ok(false);
    }
    if !still_due().await? {
        st.unmark_trashed(read, &t).await?;
        return Ok(false);
    }
    tidy(st, &marked(read.clone(), &t), &t).await?;
    Ok(true)
}

/// The record as [`ImageRecords::mark_trashed`] left it.
fn marked(mut image: Image, t: &Trashed) -> Image {
    image.trashed = Some(t.clone());
    image.retention = None;
    image.rev += 1;
    image
}

/// Lists a trashed image in its owner's trash, noting the albums it is in
/// for a restore, then removes what shows it to anyone (its grants and
/// links, which stay revoked; its search entries; its album memberships,
/// which a restore puts back), then records the trashing as tidied. Each
/// step is safe to repeat: the albums are noted before any membership goes
/// (the record's set only shrinks as they go). `Ok(false)` when the image
/// is no longer trashed as `t`.
pub async fn tidy<S: ImageRecords + ImageParts + Sync>(
    st: &S,
    image: &Image,
    t: &Trashed,
) -> Result<bool, Error> {
    let mut albums = t.albums.clone();
    albums.extend(image.albums.iter().filter(|a| !t.albums.contains(a)).cloned());
    if !st.trash_started(image, t, &albums).await? {
        return Ok(false);
    }
    st.revoke_grants_and_links(&image.owner, &Target::Image(image.id.clone()))
        .await?;
    st.remove_from_search(image).await?;
    for album in &albums {
        st.remove_from_album(&image.owner, album, &image.id).await?;
    }
    st.tidied(image, t).await
}
