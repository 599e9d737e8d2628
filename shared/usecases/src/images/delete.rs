//! Deleting an image: what it removes, and in which order. The api calls
//! this for its owner; the retention sweep calls the same, after a mark
//! that holds only if the image is still as the sweep read it.

use printvault_domain::ids::{CustomerId, ImageId};
use printvault_domain::image::Image;
use printvault_domain::retention::DeletionAudit;
use printvault_domain::sharing::Target;
use printvault_domain::Error;
use printvault_domain::Thing;

use crate::ports::{image_keys, ImageParts, ImageRecords};

/// Marks the image as being deleted, then deletes its objects, its hash
/// claim, its grants and links, its search entries and album memberships,
/// takes its bytes off the storage meter, and deletes its record last, so a crash part-way leaves a record to retry the
/// delete from, never an orphan. The mark comes first so that no concurrent
/// change, filing or index write can land after the clean-up read what to
/// undo. Deleting again after a crash finishes the job.
pub async fn delete_image<S: ImageRecords + ImageParts + Sync>(
    st: &S,
    owner: &CustomerId,
    id: &ImageId,
    now: time::OffsetDateTime,
) -> Result<(), Error> {
    let image = st
        .mark_deleting(owner, id)
        .await?
        .ok_or(Error::NotFound(Thing::Image))?;
    for key in image_keys(&image.owner, &image.id) {
        st.delete_object(&key).await?;
    }
    if let Some(f) = &image.finalised {
        st.release_hash(&image.owner, &f.sha256, &image.id).await?;
    }
    st.revoke_grants_and_links(&image.owner, &Target::Image(image.id.clone()))
        .await?;
    st.remove_from_search(&image).await?;
    for album in &image.albums {
        st.remove_from_album(&image.owner, album, &image.id).await?;
    }
    // Its bytes stop counting before the record (which marks them metered)
    // goes: a crash in between re-runs this, which meters out once.
    st.meter_out(&image, now.unix_timestamp()).await?;
    st.delete(&image.owner, &image.id).await?;
    tracing::info!(customer_id = %image.owner, image_id = %image.id, "image deleted");
    Ok(())
}

/// The retention sweep's deletion (M26, M27) of the image it decided on
/// as `read`: it goes only if nothing changed since that read (a
/// selection, edit or class change bumps the revision; another run moves
/// the schedule), and its audit entry is written with the mark, before
/// anything is removed. Then [`delete_image`] does the rest, as for the
/// api. `Ok(false)` when the image changed since (or is gone, or already
/// being deleted): nothing was written, and the caller decides again from
/// a fresh read. Cut short after the mark, [`delete_image`] finishes it
/// (the audit entry is already there, and is not written twice).
///
/// What the decision counted outside the record (the prints a lab reports,
/// which move no revision) may have grown until the mark: `still_due`
/// asks again once the image is marked, and if it answers no, the mark
/// and its audit entry are taken back and `Ok(false)` returned. The mark
/// is the moment of the decision: a print reported after it is too late.
pub async fn delete_unchanged<S, F, Fut>(
    st: &S,
    read: &Image,
    audit: &DeletionAudit,
    now: time::OffsetDateTime,
    still_due: F,
) -> Result<bool, Error>
where
    S: ImageRecords + ImageParts + Sync,
    F: FnOnce() -> Fut,
    Fut: std::future::Future<Output = Result<bool, Error>>,
{
    if !st.mark_deleting_unchanged(read, audit).await? {
        return Ok(false);
    }
    if !still_due().await? {
        st.unmark_deleting(read).await?;
        return Ok(false);
    }
    match delete_image(st, &read.owner, &read.id, now).await {
        Ok(()) | Err(Error::NotFound(_)) => Ok(true),
        Err(e) => Err(e),
    }
}
