//! Changing an image (M8-M11): read, apply, save on the condition of the
//! revision read, and try again from a fresh read when another change won.

use printvault_domain::album::auto_albums_may_change;
use printvault_domain::ids::{CustomerId, ImageId};
use printvault_domain::image::{AttributesPatch, Image, Saved};
use printvault_domain::image_event::ImageEvent;
use printvault_domain::Clash;
use printvault_domain::Error;
use printvault_domain::Thing;

use crate::ports::{ImageAnnouncer, ImageRecords};

/// How often a change is re-applied when other requests keep saving changes
/// to the same image first.
pub const CHANGE_ATTEMPTS: usize = 3;

/// M8 attributes and M9 selection, as one edit.
#[derive(Debug, Clone, Default)]
pub struct ImageEdit {
    pub attributes: Option<AttributesPatch>,
    pub selected: Option<bool>,
    /// Whether others may see the place's coordinates.
    pub location_shared: Option<bool>,
}

/// Applies `edit` to the owner's ready image on `today`.
pub async fn edit<S: ImageRecords + ImageAnnouncer + Sync>(
    st: &S,
    owner: &CustomerId,
    id: &ImageId,
    edit: &ImageEdit,
    today: time::Date,
) -> Result<Image, Error> {
    change_image(st, owner, id, edit.attributes.as_ref(), |image| {
        if let Some(patch) = &edit.attributes {
            image.attributes.apply(patch.clone())?;
        }
        if let Some(shared) = edit.location_shared {
            image.location_shared = shared;
        }
        if let Some(selected) = edit.selected {
            image.select(selected, today);
        }
        Ok(())
    })
    .await
}

/// Applies `change` to the owner's ready image and saves it; search follows
/// in the same transaction. If another request saved a change in between,
/// the image is read again and `change` applied to that, so no change ever
/// overwrites another; after [`CHANGE_ATTEMPTS`] the caller gets `Conflict`.
/// When `patch` sets the date taken, event or place, or the change moved the
/// image between automatic albums, classify is asked to file it again; if
/// that message cannot be sent the caller gets the error, and repeating the
/// same change sends it again.
pub async fn change_image<S: ImageRecords + ImageAnnouncer + Sync>(
    st: &S,
    owner: &CustomerId,
    id: &ImageId,
    patch: Option<&AttributesPatch>,
    change: impl Fn(&mut Image) -> Result<(), Error>,
) -> Result<Image, Error> {
    for _ in 0..CHANGE_ATTEMPTS {
        let before = st.get(owner, id).await?.ok_or(Error::NotFound(Thing::Image))?;
        before.require_ready()?;
        let mut after = before.clone();
        change(&mut after)?;
        if st.save(&before, &after).await? == Saved::Stale {
            continue;
        }
        after.rev = before.rev + 1;
        if patch.is_some_and(AttributesPatch::touches_auto_album_fields)
            || auto_albums_may_change(&before.attributes, &after.attributes)
        {
            st.announce(&ImageEvent::attributes_changed(&after.owner, &after.id))
                .await?;
        }
        return Ok(after);
    }
    Err(Error::Conflict(Clash::KeptChanging(Thing::Image)))
}
