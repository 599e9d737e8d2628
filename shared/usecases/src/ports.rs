//! Narrow ports for the use cases whose order of steps or retries are
//! unit-tested: changing and deleting an image. [`Stores`] implements them
//! over DynamoDB, S3 and SQS; the tests implement them in memory.
//!
//! Each method states its contract; errors are the domain's, already
//! translated by the adapters.

use printvault_adapters::keys;
use printvault_domain::ids::{AlbumId, CustomerId, ImageId};
use printvault_domain::image::Image;
use printvault_domain::image::Saved;
use printvault_domain::image_event::ImageEvent;
use printvault_domain::retention::DeletionAudit;
use printvault_domain::sharing::Target;
use printvault_domain::trash::Trashed;
use printvault_domain::Error;
use std::future::Future;

use crate::Stores;

/// Image records, read and written by their owner.
pub trait ImageRecords {
    /// The owner's image record, being deleted, in the trash or not; `None`
    /// if there is none.
    fn get(
        &self,
        owner: &CustomerId,
        id: &ImageId,
    ) -> impl Future<Output = Result<Option<Image>, Error>> + Send;
    /// Saves `after` if the record is still at `before.rev`, together with
    /// its search index entries; `Stale` (nothing written) otherwise.
    fn save(&self, before: &Image, after: &Image) -> impl Future<Output = Result<Saved, Error>> + Send;
    /// Marks the image as being deleted and returns the record as marked;
    /// `None` if there is no such image.
    fn mark_deleting(
        &self,
        owner: &CustomerId,
        id: &ImageId,
    ) -> impl Future<Output = Result<Option<Image>, Error>> + Send;
    /// The retention sweep's trashing: moves `read` to the trash as `t`,
    /// only while its record is still exactly as read (revision, retention
    /// schedule; ready, not trashed, not being deleted), writing `audit`
    /// with the mark, atomically. `false` (nothing written) when it changed.
    fn mark_trashed(
        &self,
        read: &Image,
        t: &Trashed,
        audit: &DeletionAudit,
    ) -> impl Future<Output = Result<bool, Error>> + Send;
    /// The owner's trashing: moves the image to the trash as `t` if it is
    /// ready and neither trashed nor being deleted, whatever else changed;
    /// the record as marked, or `None`.
    fn trash_now(
        &self,
        owner: &CustomerId,
        id: &ImageId,
        t: &Trashed,
    ) -> impl Future<Output = Result<Option<Image>, Error>> + Send;
    /// Notes `albums` on the trashing `t` and lists the image in its
    /// owner's trash; `false` when it is no longer trashed as `t`.
    fn trash_started(
        &self,
        image: &Image,
        t: &Trashed,
        albums: &[AlbumId],
    ) -> impl Future<Output = Result<bool, Error>> + Send;
    /// Takes back [`Self::mark_trashed`] of `read` as `t`, and its audit
    /// entry, if nothing else moved the record since: the deletion was not
    /// due after all.
    fn unmark_trashed(&self, read: &Image, t: &Trashed) -> impl Future<Output = Result<(), Error>> + Send;
    /// Records that the trashing `t` is tidied; `false` when the image is
    /// not trashed as `t` any more.
    fn tidied(&self, image: &Image, t: &Trashed) -> impl Future<Output = Result<bool, Error>> + Send;
    /// Frees the content hash the image claimed (M7), if it still holds it.
    fn release_hash(
        &self,
        owner: &CustomerId,
        sha256: &str,
        id: &ImageId,
    ) -> impl Future<Output = Result<(), Error>> + Send;
    /// Deletes the record (and its trash entry). Deleting one that is gone
    /// succeeds.
    fn delete(&self, image: &Image) -> impl Future<Output = Result<(), Error>> + Send;
}

/// Everything else that holds a part of an image. Each removal succeeds when
/// there is nothing left to remove, so a repeated delete finishes the job.
pub trait ImageParts {
    fn delete_object(&self, key: &str) -> impl Future<Output = Result<(), Error>> + Send;
    fn revoke_grants_and_links(
        &self,
        owner: &CustomerId,
        target: &Target,
    ) -> impl Future<Output = Result<(), Error>> + Send;
    fn remove_from_search(&self, image: &Image) -> impl Future<Output = Result<(), Error>> + Send;
    fn remove_from_album(
        &self,
        owner: &CustomerId,
        album: &AlbumId,
        image: &ImageId,
    ) -> impl Future<Output = Result<(), Error>> + Send;
    /// Stops the image's bytes counting on its owner's storage meter (M23)
    /// at unix second `at`, if they were counting.
    fn meter_out(&self, image: &Image, at: i64) -> impl Future<Output = Result<(), Error>> + Send;
}

/// The image-events queue classify reads.
pub trait ImageAnnouncer {
    fn announce(&self, event: &ImageEvent) -> impl Future<Output = Result<(), Error>> + Send;
}

impl ImageRecords for Stores {
    async fn get(&self, owner: &CustomerId, id: &ImageId) -> Result<Option<Image>, Error> {
        self.images.record(owner, id).await
    }
    async fn save(&self, before: &Image, after: &Image) -> Result<Saved, Error> {
        self.images.save_details(before, after, &self.search).await
    }
    async fn mark_deleting(&self, owner: &CustomerId, id: &ImageId) -> Result<Option<Image>, Error> {
        self.images.mark_deleting(owner, id).await
    }
    async fn mark_trashed(&self, read: &Image, t: &Trashed, audit: &DeletionAudit) -> Result<bool, Error> {
        self.images.mark_trashed(read, t, audit).await
    }
    async fn trash_now(&self, owner: &CustomerId, id: &ImageId, t: &Trashed) -> Result<Option<Image>, Error> {
        self.images.trash_now(owner, id, t).await
    }
    async fn trash_started(&self, image: &Image, t: &Trashed, albums: &[AlbumId]) -> Result<bool, Error> {
        self.images.trash_started(image, t, albums).await
    }
    async fn unmark_trashed(&self, read: &Image, t: &Trashed) -> Result<(), Error> {
        self.images.unmark_trashed(read, t).await
    }
    async fn tidied(&self, image: &Image, t: &Trashed) -> Result<bool, Error> {
        self.images.tidied(image, t).await
    }
    async fn release_hash(&self, owner: &CustomerId, sha256: &str, id: &ImageId) -> Result<(), Error> {
        self.images.release_hash(owner, sha256, id).await
    }
    async fn delete(&self, image: &Image) -> Result<(), Error> {
        self.images.delete(image).await
    }
}

impl ImageParts for Stores {
    async fn delete_object(&self, key: &str) -> Result<(), Error> {
        Ok(self.objects.delete(key).await?)
    }
    async fn revoke_grants_and_links(&self, owner: &CustomerId, target: &Target) -> Result<(), Error> {
        self.sharing.revoke_all(owner, target).await
    }
    async fn remove_from_search(&self, image: &Image) -> Result<(), Error> {
        self.search.remove(image).await
    }
    async fn remove_from_album(
        &self,
        owner: &CustomerId,
        album: &AlbumId,
        image: &ImageId,
    ) -> Result<(), Error> {
        self.albums.remove(owner, album, image).await
    }
    async fn meter_out(&self, image: &Image, now: i64) -> Result<(), Error> {
        let Some(f) = &image.finalised else { return Ok(()) };
        self.billing
            .meter_image(
                &image.owner,
                &image.id,
                f.bytes,
                now,
                printvault_adapters::billing::Direction::Out,
            )
            .await?;
        Ok(())
    }
}

impl ImageAnnouncer for Stores {
    async fn announce(&self, event: &ImageEvent) -> Result<(), Error> {
        self.events.publish(event).await
    }
}

/// Every S3 key an image may have, for the ports' callers.
pub fn image_keys(owner: &CustomerId, id: &ImageId) -> [String; 6] {
    keys::all_image_keys(owner, id)
}
