//! Which images a proposal offers for one disc (M29): the oldest that fit.

use super::capacity::{image_sectors, Disc, FIXED_SECTORS};
use crate::ids::ImageId;
use crate::when::Timestamp;
use serde::{Deserialize, Serialize};

/// An image the archive sweep may propose: one that is ready, not being
/// deleted, not archived and not in an open proposal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    pub image: ImageId,
    /// The original's bytes.
    pub bytes: u64,
    /// When it was stored (its age counts from here; the order is its
    /// ID's).
    pub stored: Timestamp,
    /// Selected by its owner (M9): kept online, so never proposed.
    pub selected: bool,
}

/// What one disc would hold.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fill {
    pub disc: Disc,
    /// Oldest first.
    pub images: Vec<ImageId>,
    /// The originals' bytes.
    pub bytes: u64,
    /// The sectors the disc's files take, [`FIXED_SECTORS`] included:
    /// never more than [`Disc::sectors`].
    pub sectors: u64,
}

/// The oldest `candidates` that fit one `disc`, oldest first, at most
/// `max_images` of them. Selected images are left out, and so is an image
/// too large for the disc on its own; otherwise the fill stops at the first
/// image that does not fit, so that the disc holds one unbroken stretch of
/// time (its label shows the range). Age is upload order: image IDs are
/// ULIDs, which sort by the moment the upload began, so the same
/// candidates always make the same fill, in whatever order they come.
pub fn fill(candidates: &[Candidate], disc: Disc, max_images: u32) -> Fill {
    fill_until(candidates, disc, max_images).0
}

/// Whether `candidates`, the oldest of a customer's read so far (every one
/// older than the last read included), settle every disc's fill: each
/// stopped at an image that did not fit or at `max_images`, so that
/// reading further could change none.
pub fn enough(candidates: &[Candidate], max_images: u32) -> bool {
    Disc::ALL.iter().all(|d| fill_until(candidates, *d, max_images).1)
}

/// The fill, and whether it stopped before running out of candidates.
fn fill_until(candidates: &[Candidate], disc: Disc, max_images: u32) -> (Fill, bool) {
    let mut eligible: Vec<&Candidate> = candidates
        .iter()
        .filter(|c| !c.selected && image_sectors(c.bytes) <= disc.usable_sectors())
        .collect();
    eligible.sort_by(|a, b| a.image.cmp(&b.image));
    let mut out = Fill {
        disc,
        images: Vec::new(),
        bytes: 0,
        sectors: FIXED_SECTORS,
    };
    for c in eligible {
        let next = out.sectors + image_sectors(c.bytes);
        if next > disc.sectors() || out.images.len() >= max_images as usize {
            return (out, true);
        }
        out.sectors = next;
        out.bytes += c.bytes;
        out.images.push(c.image.clone());
    }
    let full = out.images.len() >= max_images as usize;
    (out, full)
}
