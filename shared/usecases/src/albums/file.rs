//! Filing an image (M12, M14): each image event makes a ready image
//! searchable and puts it in exactly the automatic albums its attributes
//! call for now (the rules are `printvault_domain::album::Filing`'s).
//!
//! Events come at least once, possibly late, so:
//! - the event only names the image; the record is read afresh, and an
//!   image that is gone or not `ready` is skipped (success, no retry);
//! - one automatic album per key per customer (the port claims the key),
//!   and filing an image twice changes nothing, so a repeated event changes
//!   nothing;
//! - an edit that lands while filing makes it read and file again, so the
//!   last pass always works from the image as it is.

use printvault_domain::album::{auto_albums_for, Admit, Filing};
use printvault_domain::ids::{AlbumId, CustomerId, ImageId};
use printvault_domain::image::{Image, ImageStatus};
use printvault_domain::image_event::{ImageEvent, Kind};
use printvault_domain::profile::Profile;
use printvault_domain::Error;
use std::future::Future;
use time::OffsetDateTime;
use tracing::{info, warn};

/// Filing passes per event; more only when the owner keeps editing while
/// it files (then the next `attributes_changed` event files again).
const MAX_PASSES: usize = 3;

/// What filing one event did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Classified {
    /// The image is gone or not ready: nothing to file.
    Skipped(&'static str),
    /// The image is in each of these automatic albums (`added` of them
    /// new), and was taken out of `removed` that it no longer belongs in.
    Filed {
        albums: usize,
        added: usize,
        removed: usize,
    },
}

/// Whether filing an image into an album landed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Filed {
    Done,
    /// The image was deleted since it was read.
    ImageGone,
}

/// What filing reads and writes.
pub trait FilingPorts: Sync {
    /// The image, in any status; `None` when there is none.
    fn image(
        &self,
        owner: &CustomerId,
        id: &ImageId,
    ) -> impl Future<Output = Result<Option<Image>, Error>> + Send;
    /// The owner's profile (their dates name albums); the default when none.
    fn profile(&self, owner: &CustomerId) -> impl Future<Output = Result<Profile, Error>> + Send;
    /// Makes `image` searchable as it is; `false` (nothing written) when
    /// its record is no longer exactly this.
    fn index(&self, image: &Image) -> impl Future<Output = Result<bool, Error>> + Send;
    /// Each album the image is in, with the automatic key it was filed
    /// under (`None`: its owner put it there).
    fn memberships(
        &self,
        image: &Image,
    ) -> impl Future<Output = Result<Vec<(AlbumId, Option<String>)>, Error>> + Send;
    /// The owner's automatic album for `key`, made (named `name`) if there
    /// is none; `None` when its owner deleted it (it stays dismissed).
    fn auto_album(
        &self,
        owner: &CustomerId,
        key: &str,
        name: &str,
        now: OffsetDateTime,
    ) -> impl Future<Output = Result<Option<AlbumId>, Error>> + Send;
    /// Puts the image in the album under `key`. Repeating it changes nothing.
    fn file(
        &self,
        image: &Image,
        album: &AlbumId,
        key: &str,
        now: OffsetDateTime,
    ) -> impl Future<Output = Result<Filed, Error>> + Send;
    /// Takes the image out of the album. Repeating it changes nothing.
    fn unfile(&self, image: &Image, album: &AlbumId) -> impl Future<Output = Result<(), Error>> + Send;
}

/// Indexes a ready image (on `image.ready`) and files it into exactly the
/// automatic albums its attributes call for now.
pub async fn file<P: FilingPorts>(
    ports: &P,
    event: &ImageEvent,
    now: OffsetDateTime,
) -> Result<Classified, Error> {
    let (owner, id) = (&event.owner, &event.image_id);
    let mut filed = Classified::Filed {
        albums: 0,
        added: 0,
        removed: 0,
    };
    let mut indexed = event.kind != Kind::Ready;
    for _ in 0..MAX_PASSES {
        let image = match ports.image(owner, id).await? {
            Some(image) if !image.deleting => image,
            _ => {
                info!("image is gone; nothing to file");
                return Ok(Classified::Skipped("gone"));
            }
        };
        if image.status != ImageStatus::Ready {
            info!(
                status = image.status.as_str(),
                "image is not ready; nothing to file"
            );
            return Ok(Classified::Skipped("not ready"));
        }
        if !indexed {
            // Searchable (M14) as it is now; a late event never writes back
            // what an edit removed (edits update search themselves).
            if !ports.index(&image).await? {
                info!("image changed while it was indexed; reading it again");
                continue;
            }
            indexed = true;
        }
        filed = match file_once(ports, &image, now).await? {
            Some(f) => f,
            None => return Ok(Classified::Skipped("gone")),
        };
        match ports.image(owner, id).await? {
            Some(again) if again.attributes != image.attributes => {
                info!("attributes changed while filing; filing again");
            }
            _ => break,
        }
    }
    if !indexed {
        return Err(Error::Unexpected(anyhow::anyhow!(
            "the image kept changing while it was indexed; the event is retried"
        )));
    }
    Ok(filed)
}

/// One reconciliation of `image`'s automatic albums; `None` when the image
/// was deleted under us.
async fn file_once<P: FilingPorts>(
    ports: &P,
    image: &Image,
    now: OffsetDateTime,
) -> Result<Option<Classified>, Error> {
    let profile = ports.profile(&image.owner).await?;
    let memberships = ports.memberships(image).await?;
    let mut plan = Filing::plan(auto_albums_for(&image.attributes, &profile), &memberships);
    for album in &plan.stale {
        ports.unfile(image, album).await?;
        info!(album_id = %album, "taken out of an automatic album it no longer belongs in");
    }
    let mut added = 0;
    for (key, name) in plan.wanted.clone() {
        let Some(album) = ports.auto_album(&image.owner, &key, &name, now).await? else {
            info!(key = %key, "its owner deleted this automatic album; not filed");
            continue;
        };
        match plan.admit(&album) {
            Admit::AlreadyIn => continue,
            Admit::Full => {
                warn!(album_id = %album, key = %key, "image is in too many albums; not filed");
                continue;
            }
            Admit::Yes => {}
        }
        if ports.file(image, &album, &key, now).await? == Filed::ImageGone {
            info!("image is gone; nothing more to file");
            return Ok(None);
        }
        info!(album_id = %album, key = %key, "filed into an automatic album");
        added += 1;
    }
    Ok(Some(Classified::Filed {
        albums: plan.wanted.len(),
        added,
        removed: plan.stale.len(),
    }))
}
