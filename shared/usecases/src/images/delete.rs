//! Deleting an image for good: what it removes, and in which order. The
//! trash's purge (by the trash sweep, or the owner emptying the trash) and
//! the owner's delete of an upload that never became an image call this.

use printvault_domain::ids::{CustomerId, ImageId};
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
    st.delete(&image).await?;
    tracing::info!(customer_id = %image.owner, image_id = %image.id, "image deleted");
    Ok(())
}
