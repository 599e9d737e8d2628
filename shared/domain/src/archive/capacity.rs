//! What fits on a disc: each medium's data capacity in 2,048-byte sectors,
//! less what the file system and the disc's own extras take, as a budget
//! the disc builder keeps to (`docs/archive.md` gives the sources).

use serde::{Deserialize, Serialize};

/// The sector of a data disc (ISO 9660, Mode 1 / DVD / BD user data).
pub const SECTOR: u64 = 2048;

/// Fixed room for what does not grow with the images: the system area and
/// volume descriptors (ISO 9660, the Joliet supplementary descriptor, the
/// terminator), the path tables of both trees, the root and data
/// directories' own records, `index.html`'s frame, and the index sheet's
/// fixed part (its page furniture and the embedded font subsets): 8 MiB.
pub const FIXED_SECTORS: u64 = 4096;

/// Room each image takes besides its original's sectors:
/// - its XMP sidecar, at most 4 KiB (2 sectors; the builder caps it);
/// - its directory records, original and sidecar, in the ISO 9660 tree with
///   Rock Ridge fields and in the Joliet tree: four records of at most 255
///   bytes, which never span a sector, so one sector covers them;
/// - its entry on the index sheet and in `index.html`: a thumbnail of at
///   most 64 KiB (the builder recompresses a larger one) and a line of text,
///   32 sectors.
pub const PER_IMAGE_SECTORS: u64 = 2 + 1 + 32;

/// A disc an archive is written to (M30).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Disc {
    /// CD-R, 80 minutes ("700 MB").
    Cd,
    /// DVD±R, single layer ("4.7 GB").
    Dvd,
    /// BD-R, single layer ("25 GB").
    Bd,
}

impl Disc {
    pub const ALL: [Disc; 3] = [Disc::Cd, Disc::Dvd, Disc::Bd];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Cd => "cd",
            Self::Dvd => "dvd",
            Self::Bd => "bd",
        }
    }

    /// The user-data sectors a blank disc of this kind holds, the smallest
    /// of its common variants:
    /// - CD-R 80 min: 75 sectors a second for 80 minutes, 360,000;
    /// - DVD+R single layer: 2,295,104 (DVD-R holds 2,298,496);
    /// - BD-R single layer: 11,826,176, what is left when a burner formats
    ///   it with its default spare area for defect management (12,219,392
    ///   unformatted).
    pub fn sectors(self) -> u64 {
        match self {
            Self::Cd => 360_000,
            Self::Dvd => 2_295_104,
            Self::Bd => 11_826_176,
        }
    }

    /// The sectors left for images: [`Self::sectors`] less [`FIXED_SECTORS`].
    pub fn usable_sectors(self) -> u64 {
        self.sectors() - FIXED_SECTORS
    }
}

/// The sectors one image of `bytes` takes on a disc: its original, rounded
/// up to whole sectors, and [`PER_IMAGE_SECTORS`].
pub fn image_sectors(bytes: u64) -> u64 {
    bytes.div_ceil(SECTOR) + PER_IMAGE_SECTORS
}

/// Bytes in decimal units, as a disc's capacity is sold: on the index
/// sheet and the disc's `index.html`.
pub fn size_text(bytes: u64) -> String {
    let b = bytes as f64;
    if b >= 1e9 {
        format!("{:.2} GB", b / 1e9)
    } else if b >= 1e6 {
        format!("{:.1} MB", b / 1e6)
    } else {
        format!("{} kB", (b / 1e3).ceil().max(1.0))
    }
}
