//! Which images a proposal offers for one disc (M29): the oldest that fit.

use super::capacity::{image_sectors, Disc, FIXED_SECTORS};
use crate::ids::ImageId;
use crate::when::Timestamp;

/// An image the archive sweep may propose: one that is ready, not being
/// deleted, not archived and not in an open proposal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    pub image: ImageId,
    /// The original's bytes.
    pub bytes: u64,
    /// When it was stored: the oldest go first.
    pub stored: Timestamp,
    /// Selected by its owner (M9): kept online, so never proposed.
    pub selected: bool,
}

/// What one disc would hold.
#[derive(Debug, Clone, PartialEq, Eq)]
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

/// The oldest `candidates` that fit one `disc`, oldest first. Selected
/// images are left out, and so is an image too large for the disc on its
/// own; otherwise the fill stops at the first image that does not fit, so
/// that the disc holds one unbroken stretch of time (its label shows the
/// range). Ties in age go by image ID, so the same candidates always make
/// the same fill.
pub fn fill(candidates: &[Candidate], disc: Disc) -> Fill {
    let mut eligible: Vec<&Candidate> = candidates
        .iter()
        .filter(|c| !c.selected && image_sectors(c.bytes) <= disc.usable_sectors())
        .collect();
    eligible.sort_by(|a, b| (a.stored, &a.image).cmp(&(b.stored, &b.image)));
    let mut out = Fill {
        disc,
        images: Vec::new(),
        bytes: 0,
        sectors: FIXED_SECTORS,
    };
    for c in eligible {
        let next = out.sectors + image_sectors(c.bytes);
        if next > disc.sectors() {
            break;
        }
        out.sectors = next;
        out.bytes += c.bytes;
        out.images.push(c.image.clone());
    }
    out
}
