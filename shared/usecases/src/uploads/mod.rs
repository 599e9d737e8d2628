//! Finalising an upload (M5-M7): an object under `incoming/` becomes a
//! ready, rejected or duplicate image.
//!
//! Every step is safe to repeat, because SQS delivers at least once: the
//! original and its renditions go under fixed keys (a rewrite is a no-op),
//! the record leaves `pending` only by conditional write, and the incoming
//! object is deleted only after the record is settled. A crash at any point
//! followed by a redelivery ends with one record and no orphans.
//!
//! A ready image's bytes go on its owner's storage meter (M23) from its
//! `finalised_at`, in the same write that makes it ready. It gets its first
//! retention schedule (M26), and is announced on the image-events queue
//! (for classify, M12) before its incoming object is deleted, and again on
//! every redelivery of an upload that is already ready: a crash between
//! settling and announcing is repaired by the redelivery, and classify makes
//! repeats harmless. A redelivery also meters and schedules an image that
//! is not yet, for records settled before those were part of settling.

mod budget;
mod develop;
pub mod ports;
pub mod wiring;

#[cfg(test)]
mod claim_tests;
#[cfg(test)]
mod fakes;
#[cfg(test)]
mod tests;

pub use budget::MemoryBudget;
pub use ports::{Blocklist, Files, Incoming, UploadFiles, UploadRecords};

use printvault_domain::ids::{CustomerId, ImageId};
use printvault_domain::image::{Finalised, Image, ImageStatus};
use printvault_domain::image_event::ImageEvent;
use printvault_domain::retention::Schedule;
use printvault_domain::settings::Settings;
use printvault_domain::upload::{HashClaim, Outcome, Settled};
use printvault_domain::when::Clock;
use printvault_domain::when::Timestamp;
use printvault_domain::Clash;
use printvault_domain::Error;
use time::OffsetDateTime;
use tracing::{info, warn};

use crate::ports::ImageAnnouncer;

/// What finalising one upload did.
// One short-lived value per message: boxing would buy nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq)]
pub enum Finalisation {
    /// The record now has this outcome.
    Settled(Outcome),
    /// It had been finalised before (a redelivery): anything the first
    /// delivery left undone is done now.
    AlreadyFinal(ImageStatus),
    /// The image was deleted (or is being deleted) before it was finalised:
    /// its objects are removed.
    Orphan,
}

/// What finalising needs besides its ports.
pub struct Setup<'a> {
    pub settings: &'a Settings,
    /// Read when the upload is finalised (after it waited for memory and
    /// was processed): its bytes count from then.
    pub clock: &'a Clock,
    /// The memory the uploads in flight share.
    pub budget: &'a MemoryBudget,
}

/// Finalises the upload of image `id` of `owner`.
pub async fn finalise<P>(
    ports: &P,
    with: &Setup<'_>,
    owner: &CustomerId,
    id: &ImageId,
) -> Result<Finalisation, Error>
where
    P: UploadRecords + UploadFiles + Blocklist + ImageAnnouncer,
{
    let image = match ports.get(owner, id).await? {
        Some(image) if !image.deleting => image,
        _ => {
            info!(image_id = %id, "no record for upload; deleting the orphan");
            ports.remove_all(owner, id).await?;
            return Ok(Finalisation::Orphan);
        }
    };
    if image.status != ImageStatus::Pending {
        let now = with.clock.now();
        info!(image_id = %id, status = image.status.as_str(), "already finalised (redelivery)");
        if let (ImageStatus::Ready, Some(f)) = (image.status, &image.finalised) {
            ports.meter(&image, f.bytes, metered_from(f)).await?;
            if image.retention.is_none() {
                start_retention(ports, with, &image, f, now).await?;
            }
            ports.enter_archive(owner, f.finalised_at.time().date()).await?;
            ports.announce(&ImageEvent::ready(owner, id)).await?;
        }
        ports.drop_incoming(owner, id).await?;
        return Ok(Finalisation::AlreadyFinal(image.status));
    }
    let outcome = decide(ports, with, &image).await?;
    settle(ports, with, &image, outcome, with.clock.now()).await
}

/// Works out what the upload becomes, writing the original and its
/// renditions first when it is accepted.
async fn decide<P>(ports: &P, with: &Setup<'_>, image: &Image) -> Result<Outcome, Error>
where
    P: UploadRecords + UploadFiles + Blocklist,
{
    let up = &with.settings.uploads;
    let bytes = match ports.incoming(&image.owner, &image.id, up.max_bytes).await? {
        Incoming::Missing => {
            return Ok(Outcome::rejected(
                "missing",
                "the uploaded file could not be found; request a new upload URL and upload again",
            ))
        }
        Incoming::TooLarge(n) => {
            return Ok(Outcome::rejected(
                "too_large",
                format!("the file is {n} bytes; the limit is {} bytes", up.max_bytes),
            ))
        }
        Incoming::Bytes(b) => b,
    };
    if bytes.len() as u64 != image.declared_bytes {
        return Ok(Outcome::rejected(
            "size_mismatch",
            format!(
                "the file is {} bytes but {} bytes were declared",
                bytes.len(),
                image.declared_bytes
            ),
        ));
    }
    let (limits, renditions) = develop::limits(up);
    // Held until the renditions are written.
    let _memory = with.budget.reserve_upload(&bytes, &limits, &renditions).await;
    let data = bytes.clone();
    let processed =
        tokio::task::spawn_blocking(move || printvault_imaging::process(&data, &limits, &renditions))
            .await
            .map_err(|e| Error::Unexpected(anyhow::anyhow!("the image pipeline stopped: {e}")))?;
    let p = match processed {
        Ok(p) => p,
        Err(r) => return Ok(Outcome::rejected(r.code(), r.to_string())),
    };
    let sha = hex::encode(p.fingerprint.sha256);
    let max_distance = with.settings.screening.max_phash_distance;
    if let Some(m) = ports.find_match(&sha, p.fingerprint.phash, max_distance).await? {
        warn!(image_id = %image.id, ?m, "upload matches the blocklist");
        return Ok(Outcome::rejected("blocklisted", m.reason()));
    }
    if let Some(existing) = claim_hash(ports, image, &sha).await? {
        return Ok(Outcome::Duplicate(existing));
    }
    let attributes = develop::exif_attributes(&p);
    let files = Files {
        mime: p.format.mime(),
        sha256: p.fingerprint.sha256,
        thumbnail: p.thumbnail,
        preview: p.preview,
        original: bytes.clone(),
    };
    ports.store(&image.owner, &image.id, &files).await?;
    Ok(Outcome::Ready {
        attributes,
        finalised: Finalised {
            format: p.format.as_str().into(),
            bytes: bytes.len() as u64,
            width: p.width,
            height: p.height,
            sha256: sha,
            phash: printvault_domain::screening::phash_hex(p.fingerprint.phash),
            finalised_at: Timestamp::at(with.clock.now()),
        },
    })
}

async fn settle<P>(
    ports: &P,
    with: &Setup<'_>,
    image: &Image,
    outcome: Outcome,
    now: OffsetDateTime,
) -> Result<Finalisation, Error>
where
    P: UploadRecords + UploadFiles + ImageAnnouncer,
{
    let (owner, id) = (&image.owner, &image.id);
    let from = match &outcome {
        Outcome::Ready { finalised, .. } => metered_from(finalised),
        _ => now.unix_timestamp(),
    };
    if ports.settle(image, &outcome, from).await? == Settled::NotPending {
        // The record left `pending` under us: deleted by its owner, or
        // settled by a concurrent delivery. Only a deletion leaves work.
        let now_image = ports.get(owner, id).await?;
        if now_image.as_ref().is_none_or(|i| i.deleting) {
            ports.remove_all(owner, id).await?;
            if let Outcome::Ready { finalised, .. } = &outcome {
                ports.release_hash(owner, &finalised.sha256, id).await?;
            }
            return Ok(Finalisation::Orphan);
        }
        let status = now_image.map_or(ImageStatus::Pending, |i| i.status);
        return Ok(Finalisation::AlreadyFinal(status));
    }
    match &outcome {
        Outcome::Ready { finalised, .. } => {
            info!(image_id = %id, customer_id = %owner, bytes = finalised.bytes, width = finalised.width, height = finalised.height, "image finalised");
            start_retention(ports, with, image, finalised, now).await?;
            ports
                .enter_archive(owner, finalised.finalised_at.time().date())
                .await?;
            // Announce before deleting incoming/, so an upload whose
            // incoming object is gone has been announced. A failure here is
            // reported and the redelivery announces it again.
            ports.announce(&ImageEvent::ready(owner, id)).await?;
            ports.drop_incoming(owner, id).await?;
        }
        Outcome::Rejected(r) => {
            info!(image_id = %id, code = %r.code, reason = %r.reason, "upload rejected");
            // Renditions may exist from an earlier, interrupted delivery.
            ports.remove_all(owner, id).await?;
        }
        Outcome::Duplicate(of) => {
            info!(image_id = %id, duplicate_of = %of, "duplicate upload");
            ports.remove_all(owner, id).await?;
        }
    }
    Ok(Finalisation::Settled(outcome))
}

/// Claims the upload's content hash (M7); the image that holds it when it
/// is another's. A claim left by an image that is gone (deleted while its
/// upload was being finalised) is taken over.
async fn claim_hash<P: UploadRecords>(ports: &P, image: &Image, sha: &str) -> Result<Option<ImageId>, Error> {
    let owner = &image.owner;
    for _ in 0..3 {
        let HashClaim::Taken(holder) = ports.claim_hash(owner, sha, &image.id).await? else {
            return Ok(None);
        };
        match ports.get(owner, &holder).await? {
            Some(h) if !holds_for_good(&h) => ports.release_hash(owner, sha, &holder).await?,
            Some(h) if h.deleting => {
                // A ready image being deleted: its deletion may yet be taken
                // back (the retention sweep's, when it is no longer due).
                return Err(Error::Conflict(Clash::SameBytesDeleting { image: holder }));
            }
            Some(_) => return Ok(Some(holder)),
            None => ports.release_hash(owner, sha, &holder).await?,
        }
    }
    Err(Error::Unexpected(anyhow::anyhow!(
        "the content hash kept changing hands; the upload is retried"
    )))
}

/// Whether `holder`, an image holding a content hash, keeps it: anything
/// but an upload that never became ready and never will (deleted while
/// pending, or rejected or a duplicate after claiming it in an earlier,
/// interrupted delivery).
fn holds_for_good(holder: &Image) -> bool {
    match holder.status {
        ImageStatus::Pending => !holder.deleting,
        ImageStatus::Ready => true,
        ImageStatus::Rejected | ImageStatus::Duplicate => false,
    }
}

/// The unix second a ready image's bytes count from: when it was finalised.
fn metered_from(f: &Finalised) -> i64 {
    f.finalised_at.unix()
}

/// Gives a ready image its first retention step (M26: the storage-period
/// notice), once: only a record without a schedule takes it.
async fn start_retention<P: UploadRecords>(
    ports: &P,
    with: &Setup<'_>,
    image: &Image,
    f: &Finalised,
    _now: OffsetDateTime,
) -> Result<(), Error> {
    let uploaded = f.finalised_at.time().date();
    let schedule = Schedule::for_new_image(uploaded, &with.settings.retention);
    ports.start_retention(image, &schedule).await
}
