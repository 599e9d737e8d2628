//! The caller's own images (M5, M7-M9) and what others may see of them
//! (M10, M11). Anything the caller may not see is `NotFound`, exactly like
//! an image that does not exist.

mod change;
mod delete;
mod trash;
mod upload;
mod urls;

#[cfg(test)]
mod memory;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod trash_tests;

pub use change::{change_image, edit, ImageEdit, CHANGE_ATTEMPTS};
pub use delete::delete_image;
pub use trash::{tidy, trash_image, trash_unchanged};
pub use upload::{request_upload, UploadTicket};
pub use urls::{signed_urls, SignedUrls};

use printvault_adapters::Page;
use printvault_domain::access::Access;
use printvault_domain::classification::ClassChange;
use printvault_domain::ids::{CustomerId, ImageId};
use printvault_domain::image::Image;
use printvault_domain::settings::Settings;
use printvault_domain::Error;
use printvault_domain::Thing;

use crate::access::access;
use crate::Stores;

/// An image and what the caller may do with it.
pub struct Visible {
    pub image: Image,
    pub access: Access,
}

impl Visible {
    /// Whether the caller is the image's owner (who sees everything about it).
    pub fn is_owner(&self, caller: Option<&CustomerId>) -> bool {
        caller == Some(&self.image.owner)
    }
}

/// The image as `caller` may see it at `now`, or `NotFound`.
pub async fn visible(
    st: &Stores,
    caller: Option<&CustomerId>,
    id: &ImageId,
    now: time::OffsetDateTime,
) -> Result<Visible, Error> {
    // The caller's own partition first: one read for the common case.
    let image = match caller {
        Some(c) => st.images.get(c, id).await?,
        None => None,
    };
    let image = match image {
        Some(i) => i,
        None => st.images.find(id).await?.ok_or(Error::NotFound(Thing::Image))?,
    };
    if image.lapsed(now.unix_timestamp()) {
        return Err(Error::NotFound(Thing::Image));
    }
    let access = access(st, caller, &image, None).await?;
    if !access.can_see() {
        return Err(Error::NotFound(Thing::Image));
    }
    Ok(Visible { image, access })
}

/// Short-lived URLs for what `caller` may fetch of the image.
pub async fn urls_for(
    st: &Stores,
    uploads: &printvault_domain::settings::UploadSettings,
    caller: Option<&CustomerId>,
    id: &ImageId,
    now: time::OffsetDateTime,
) -> Result<SignedUrls, Error> {
    let v = visible(st, caller, id, now).await?;
    let by_owner = caller == Some(&v.image.owner);
    signed_urls(st, uploads, &v.image, &v.access, by_owner, now).await
}

/// The owner's image, being deleted or not; `NotFound` for anyone else's
/// and for one in the trash.
pub async fn own_image(st: &Stores, owner: &CustomerId, id: &ImageId) -> Result<Image, Error> {
    st.images
        .get(owner, id)
        .await?
        .ok_or(Error::NotFound(Thing::Image))
}

/// The owner's ready image: `NotFound` if gone or being deleted, `Conflict`
/// while it is not ready.
pub async fn own_ready_image(st: &Stores, owner: &CustomerId, id: &ImageId) -> Result<Image, Error> {
    let image = own_image(st, owner, id).await?;
    image.require_ready()?;
    Ok(image)
}

/// The owner's images, newest first, a page at a time, without pending
/// uploads lapsed at `now` (DynamoDB's TTL deletes them a little later) and
/// without those in the trash: a page may then hold fewer than `limit`.
pub async fn list_images(
    st: &Stores,
    owner: &CustomerId,
    limit: u32,
    cursor: Option<&str>,
    now: time::OffsetDateTime,
) -> Result<Page<Image>, Error> {
    let mut page = st.images.list(owner, limit, cursor).await?;
    page.items
        .retain(|i| !i.lapsed(now.unix_timestamp()) && i.trashed.is_none());
    Ok(page)
}

/// M10, M11: who may see and print the image, and at what price.
pub async fn classify(
    st: &Stores,
    settings: &Settings,
    owner: &CustomerId,
    id: &ImageId,
    change: ClassChange,
) -> Result<Image, Error> {
    let (class, prices) = change.validate(&settings.pricing.image_price)?;
    let image = change_image(st, owner, id, None, |image| {
        image.class = class;
        image.prices = prices;
        Ok(())
    })
    .await?;
    tracing::info!(image_id = %image.id, class = class.as_str(), "image classified");
    Ok(image)
}
