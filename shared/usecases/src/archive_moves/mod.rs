//! The move (M32): once a disc is `written`, each of its originals leaves
//! online storage, once. The default moves it to S3 Glacier Deep Archive
//! (`archive.storage_class`) by a `CopyObject` of itself; its record names
//! the disc (`archive`), and keeps its thumbnail and preview.
//!
//! Per image, each step safe to repeat (`archive::Archived` says why):
//! 1. claim it, if it is still the buyer's, ready and not being deleted
//!    (a conditional write that one mover wins);
//! 2. copy the original to the archive class, unless it is there already
//!    (so it is never copied twice, whoever crashed where);
//! 3. mark it `archived`.
//!
//! An image another mover holds makes the run fail after the others, so
//! the message comes back: by then that mover finished, or its claim is
//! stale and this one takes it over. A run short of time hands the rest on
//! ([`move_disc_while`]). When every image is settled, the
//! customer's archive schedule is freed of the proposal.

pub mod ports;
pub mod restore;
pub mod wiring;

#[cfg(test)]
mod fakes;
#[cfg(test)]
mod tests;

pub use ports::{MovePorts, Original};

use printvault_domain::archive::{Archived, Claim};
use printvault_domain::ids::OrderId;
use printvault_domain::image::ImageStatus;
use printvault_domain::lab_report::disc::DiscStage;
use printvault_domain::when::Timestamp;
use printvault_domain::{Clash, Error, Thing};
use time::OffsetDateTime;
use tracing::{info, warn};

/// What one run of the move did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Moved {
    /// Moved by this run.
    pub moved: usize,
    /// Moved before.
    pub already: usize,
    /// Not moved: deleted, being deleted, its original gone, or on
    /// another disc.
    pub passed: usize,
    /// Not reached for lack of time: handed on to the next run.
    pub left: usize,
}

/// Moves the originals of written disc `order_id`, as mover `me` (unique
/// to this run) at `now`.
pub async fn move_disc<P: MovePorts>(
    ports: &P,
    order_id: &OrderId,
    me: &str,
    now: OffsetDateTime,
) -> Result<Moved, Error> {
    move_disc_while(ports, order_id, me, now, || true).await
}

/// [`move_disc`], starting each image only while `time_left()`: a run out
/// of time queues the move again (`MovePorts::hand_on`) and stops, so a
/// disc larger than one run moves in several, each carrying on where the
/// last stopped (what it moved is `Done`), without waiting for a lease or
/// a visibility timeout.
pub async fn move_disc_while<P: MovePorts>(
    ports: &P,
    order_id: &OrderId,
    me: &str,
    now: OffsetDateTime,
    time_left: impl Fn() -> bool,
) -> Result<Moved, Error> {
    let order = ports
        .order(order_id)
        .await?
        .ok_or(Error::NotFound(Thing::Order))?;
    let (Some(terms), Some(owner)) = (&order.archive, order.buyer.customer()) else {
        warn!("not an archive disc: nothing to move");
        return Ok(Moved::default());
    };
    if ports.disc_record(order_id).await?.map(|r| r.stage) != Some(DiscStage::Written) {
        warn!("the disc is not written: nothing moves");
        return Ok(Moved::default());
    }
    let at = Timestamp::at(now);
    let images = ports.images(&terms.images).await?;
    let mut out = Moved::default();
    let mut held = 0;
    for (n, id) in terms.images.iter().enumerate() {
        if !time_left() {
            out.left = terms.images.len() - n;
            break;
        }
        let Some(image) = images
            .iter()
            .find(|i| &i.id == id)
            .filter(|i| &i.owner == owner && i.status == ImageStatus::Ready && !i.deleting)
        else {
            out.passed += 1;
            continue;
        };
        match Archived::claim(image.archive.as_ref(), order_id, me, at) {
            Claim::Done => {
                out.already += 1;
                continue;
            }
            Claim::OtherDisc => {
                out.passed += 1;
                continue;
            }
            Claim::Held => {
                held += 1;
                continue;
            }
            Claim::Take => {}
        }
        if !ports
            .claim(image, &Archived::moving(order_id, me, at), at)
            .await?
        {
            // Deleted meanwhile, or another mover won: look again.
            let again = ports.images(std::slice::from_ref(id)).await?;
            match again
                .first()
                .filter(|i| i.status == ImageStatus::Ready && !i.deleting)
            {
                None => out.passed += 1,
                Some(i) if Archived::claim(i.archive.as_ref(), order_id, me, at) == Claim::Done => {
                    out.already += 1
                }
                Some(_) => held += 1,
            }
            continue;
        }
        match ports.original(image).await? {
            Original::Online => ports.to_archive(image).await?,
            Original::Moved => {}
            Original::Missing => {
                warn!(image = %image.id, "a ready image without its original: left for an operator");
                ports.release(image, me).await?;
                out.passed += 1;
                continue;
            }
        }
        if ports.mark_archived(image, order_id, me, at).await? {
            out.moved += 1;
        } else {
            held += 1;
        }
    }
    info!(
        moved = out.moved,
        already = out.already,
        passed = out.passed,
        left = out.left,
        held,
        "archive move"
    );
    if out.left > 0 {
        // Handed on whatever else: the next run finds what another mover
        // held done, or stale.
        ports.hand_on(order_id).await?;
        return Ok(out);
    }
    if held > 0 {
        return Err(Error::Conflict(Clash::Raced));
    }
    ports.free_schedule(owner, &terms.proposal_id).await?;
    Ok(out)
}
