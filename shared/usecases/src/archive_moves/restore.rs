//! The restore (M32): a customer asks for an archived original back. S3's
//! `RestoreObject` makes a temporary copy readable for some days
//! (`printvault_domain::archive::Restore`); when S3 says it is ready, the
//! record says until when, and the owner gets one email through the
//! notifier.
//!
//! Each step is safe to repeat:
//! 1. the ask is recorded on the image (a conditional write over the ask
//!    as read: one ask per restore, with the owner's address then);
//! 2. S3 is asked, on every ask until it is ready (S3 answers
//!    `RestoreAlreadyInProgress` while it works, so a lost call is healed
//!    by asking again, and nothing is retrieved twice);
//! 3. S3's `ObjectRestore:Completed` event (print-dispatch, on its queue),
//!    or the api finding the copy readable already, reads the expiry from
//!    S3 itself (`HeadObject`), marks the restore ready, and emails once
//!    (the notice ID names the image and the ask).

use printvault_adapters::images::ImageStore;
use printvault_adapters::keys;
use printvault_adapters::notices::NoticeQueue;
use printvault_adapters::objects::{ObjectStore, Restoring};
use printvault_domain::archive::{restore_days, ArchiveSettings, ArchiveState, Restore, RestoreState};
use printvault_domain::ids::{CustomerId, ImageId};
use printvault_domain::image::ImageStatus;
use printvault_domain::notice::restored_notice;
use printvault_domain::when::Timestamp;
use printvault_domain::{Clash, Error, Thing};
use time::OffsetDateTime;
use tracing::{info, warn};

use crate::stores::Stores;

/// What finishing a restore reaches.
pub struct RestoreParts<'a> {
    pub images: &'a ImageStore,
    pub objects: &'a ObjectStore,
    pub notices: &'a NoticeQueue,
}

impl Stores {
    pub fn restore_parts(&self) -> RestoreParts<'_> {
        RestoreParts {
            images: &self.images,
            objects: &self.objects,
            notices: &self.notices,
        }
    }
}

/// The caller asks for image `id`'s archived original back, readable for
/// `days` (or the operator's default) once S3 has it. Returns the restore
/// as it stands, and its state at `now`.
pub async fn ask_restore(
    st: &Stores,
    settings: &ArchiveSettings,
    caller: &CustomerId,
    id: &ImageId,
    days: Option<u32>,
    now: OffsetDateTime,
) -> Result<(Restore, RestoreState), Error> {
    let days = restore_days(days, settings.restore_days)?;
    let at = Timestamp::at(now);
    let image = st
        .images
        .get(caller, id)
        .await?
        .filter(|i| i.status == ImageStatus::Ready && !i.deleting)
        .ok_or(Error::NotFound(Thing::Image))?;
    let Some(archive) = image
        .archive
        .as_ref()
        .filter(|a| a.state == ArchiveState::Archived)
    else {
        return Err(Error::Conflict(Clash::NotArchived));
    };
    let restore = match &archive.restore {
        Some(r) if r.state(at) != RestoreState::Expired => r.clone(),
        prev => {
            let email = st
                .accounts
                .customer(caller)
                .await?
                .ok_or(Error::NotFound(Thing::Image))?
                .email;
            let asked = Restore::asked(at, days, email);
            if !st.images.ask_restore(&image, &asked, prev.as_ref()).await? {
                // Another ask, or a deletion, came first: look again.
                return Err(Error::Conflict(Clash::Raced));
            }
            info!(image = %id, days, "restore asked");
            asked
        }
    };
    if restore.readable(at) {
        return Ok((restore, RestoreState::Restored));
    }
    let key = keys::original_key(caller, id);
    st.objects
        .restore(&key, restore.days, &settings.restore_tier)
        .await?;
    // A copy readable already (one restored before): it is ready now.
    let restore = restore_completed(&st.restore_parts(), &key, now)
        .await?
        .unwrap_or(restore);
    let state = restore.state(at);
    Ok((restore, state))
}

/// S3 says the restore of the object at `key` is complete: if S3 has a
/// readable copy and the record an ask, marks it ready until S3's expiry
/// and emails the owner (once per ask). Returns the restore as it stands;
/// `None` when there is nothing to finish (not an original, not readable,
/// or no ask recorded).
pub async fn restore_completed(
    parts: &RestoreParts<'_>,
    key: &str,
    now: OffsetDateTime,
) -> Result<Option<Restore>, Error> {
    let Some((owner, id)) = keys::parse_original_key(key) else {
        warn!(key, "a restore of something that is not an original: ignored");
        return Ok(None);
    };
    let Some(Restoring::Ready(until)) = parts.objects.restoring(key).await? else {
        return Ok(None);
    };
    let Some(restore) = parts
        .images
        .restore_ready(&owner, &id, Timestamp::at(now), Timestamp::at(until))
        .await?
    else {
        warn!(image = %id, "a restored original without an ask on its record: no email");
        return Ok(None);
    };
    let Some(image) = parts.images.get(&owner, &id).await? else {
        return Ok(None);
    };
    parts.notices.send(&restored_notice(&image, &restore)?).await?;
    info!(image = %id, until = %restore.until.map(|u| u.to_string()).unwrap_or_default(), "restore ready");
    Ok(Some(restore))
}
