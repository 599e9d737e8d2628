//! The disc job (M32): a paid archive order goes to its lab as one job on
//! the lab's FIFO queue, documented beside the print job in
//! `docs/lab-job.schema.json`.
//!
//! A disc holds up to 1,000 originals, and each presigned URL is about a
//! kilobyte: the whole list would not fit an SQS message (256 KiB). So the
//! job carries the list as a claim check: the `manifest`, a JSON file in
//! the bucket with its own presigned URL, length and SHA-256. The manifest
//! names every original (URL, bytes, SHA-256, its path on the disc and its
//! attributes for the XMP sidecar), the index sheet (PDF and a PNG of each
//! page) and the label. The lab checks the manifest's SHA-256 before it
//! trusts a word of it.

use serde::{Deserialize, Serialize};

use crate::archive::{Disc, SECTOR};
use crate::attributes::Attributes;
use crate::catalogue::Medium;
use crate::ids::{ImageId, OrderId};
use crate::order::{Address, Order};
use crate::when::Timestamp;

mod paths;
#[cfg(test)]
mod tests;

pub use paths::{disc_paths, named_paths, safe_month, sidecar_path, Named, MAX_NAME_UNITS};

/// What a disc job's `kind` says (a print job has none).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum JobKind {
    Disc,
}

/// A file the lab fetches from `url` before `url_expires_at`, which must be
/// `bytes` long with SHA-256 `sha256` (hex).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fetch {
    pub url: String,
    pub url_expires_at: Timestamp,
    pub bytes: u64,
    pub sha256: String,
}

/// What the disc is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DiscSpec {
    /// The disc's ID, printed on its label and sheet: its order's ID.
    pub disc_id: String,
    /// The ISO 9660 volume identifier: `PV_` and the order's ULID.
    pub volume_id: String,
    /// The blank disc's user-data bytes (`archive::Disc::sectors`).
    pub capacity_bytes: u64,
    /// The originals on it, and their bytes.
    pub files: u32,
    pub bytes: u64,
}

/// A paid archive order, as its lab receives it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DiscJob {
    pub version: u32,
    pub kind: JobKind,
    /// `<order_id>:disc`: the FIFO deduplication ID.
    pub job_id: String,
    pub merchant_reference: OrderId,
    pub lab_id: String,
    pub location: String,
    /// `disc-cd`, `disc-dvd` or `disc-bd`.
    pub sku: String,
    pub medium: Medium,
    pub disc: DiscSpec,
    /// The list of files ([`DiscManifest`]).
    pub manifest: Fetch,
    pub recipient: Address,
    /// `disc_case`.
    pub packaging: String,
    pub created_at: Timestamp,
}

/// One original on the disc.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DiscFile {
    pub image_id: ImageId,
    /// Where it goes on the disc ([`disc_paths`]); its XMP sidecar goes
    /// beside it ([`sidecar_path`]).
    pub path: String,
    /// `jpeg`, `png` or `webp`.
    pub format: String,
    /// When it was stored.
    pub stored_at: Timestamp,
    /// Its attributes (M8), for the sidecar.
    pub attributes: Attributes,
    #[serde(flatten)]
    pub fetch: Fetch,
}

/// The index sheet's files.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SheetFiles {
    pub pdf: Fetch,
    /// A PNG of each page, in order.
    pub pages: Vec<Fetch>,
}

/// The manifest a disc job points at.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DiscManifest {
    pub version: u32,
    pub job_id: String,
    pub disc_id: String,
    /// Oldest first.
    pub files: Vec<DiscFile>,
    pub sheet: SheetFiles,
    pub label: Fetch,
}

/// `<order>:disc`.
pub fn disc_job_id(order: &OrderId) -> String {
    format!("{order}:disc")
}

/// `PV_` and the order's ULID: 29 d-characters, within ISO 9660's 32.
pub fn volume_id(order: &OrderId) -> String {
    let ulid = order.as_str().trim_start_matches("ord_");
    format!("PV_{}", ulid.to_ascii_uppercase())
}

impl DiscJob {
    /// The job of `order` (an archive order, on `disc`) whose list is
    /// `manifest`, holding `files` originals of `bytes`.
    pub fn new(order: &Order, disc: Disc, manifest: Fetch, files: u32, bytes: u64, at: Timestamp) -> Self {
        Self {
            version: super::JOB_VERSION,
            kind: JobKind::Disc,
            job_id: disc_job_id(&order.order_id),
            merchant_reference: order.order_id.clone(),
            lab_id: order.lab_id.to_string(),
            location: order.location.to_string(),
            sku: format!("disc-{}", disc.as_str()),
            medium: disc.medium(),
            disc: DiscSpec {
                disc_id: order.order_id.to_string(),
                volume_id: volume_id(&order.order_id),
                capacity_bytes: disc.sectors() * SECTOR,
                files,
                bytes,
            },
            manifest,
            recipient: order.address.clone(),
            packaging: disc.medium().packaging().into(),
            created_at: at,
        }
    }
}
