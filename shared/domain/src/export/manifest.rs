//! `manifest.json`, in every part of an export (X3): every image with its
//! path, part and SHA-256, and the rest of the account. Its JSON Schema is
//! `docs/export.schema.json`; `tests/tests/export_format.rs` validates a
//! manifest with every section against it.
//!
//! These types are the file's contract, kept apart from the records they
//! are made from: a link's token digest, a grantee's customer ID or an
//! order's internal shares never go in it.

use serde::{Deserialize, Serialize};

use crate::attributes::Attributes;
use crate::classification::Prices;
use crate::ids::{AlbumId, CustomerId, ImageId};
use crate::when::Timestamp;

/// The format's name and version: `format` of every manifest.
pub const FORMAT: &str = "printvault-export/1";

/// The whole manifest.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    pub format: String,
    pub export_id: String,
    pub customer_id: CustomerId,
    pub email: String,
    pub made_at: Timestamp,
    /// This part's number, from 1, and how many parts the export has.
    pub part: u32,
    pub parts: u32,
    pub images: Vec<ManifestImage>,
    pub albums: Vec<ManifestAlbum>,
    pub grants: Vec<ManifestGrant>,
    pub links: Vec<ManifestLink>,
    pub groups: Vec<ManifestGroup>,
    pub orders: Vec<ManifestOrder>,
    pub points: Vec<ManifestPoints>,
    pub invoices: Vec<ManifestInvoice>,
}

/// One image: where it is, and what the owner set on it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ManifestImage {
    pub image_id: ImageId,
    /// The part that holds it.
    pub part: u32,
    pub path: String,
    pub sidecar: String,
    /// Of the original as stored (and as in the part).
    pub sha256: String,
    pub bytes: u64,
    /// `jpeg`, `png` or `webp`.
    pub format: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file_name: Option<String>,
    pub stored_at: Timestamp,
    pub selected: bool,
    /// `private`, `viewable` or `printable`.
    pub class: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prices: Option<Prices>,
    pub location_shared: bool,
    pub attributes: Attributes,
}

/// An album and its images, in order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManifestAlbum {
    pub album_id: AlbumId,
    pub name: String,
    /// `manual` or `automatic`.
    pub kind: String,
    pub created_at: Timestamp,
    pub images: Vec<ImageId>,
}

/// What a grant or link opens: one of its two fields.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManifestTarget {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image_id: Option<ImageId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub album_id: Option<AlbumId>,
}

/// A grant the customer gave.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManifestGrant {
    pub target: ManifestTarget,
    pub grantee_email: String,
    pub created_at: Timestamp,
}

/// A share link the customer made (never its token).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManifestLink {
    pub link_id: String,
    pub target: ManifestTarget,
    pub created_at: Timestamp,
    pub expires_at: Timestamp,
    pub allow_original: bool,
}

/// A group the customer is in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManifestGroup {
    pub group_id: String,
    pub name: String,
    /// Whether the customer made it.
    pub owner: bool,
    /// The members' addresses.
    pub members: Vec<String>,
}

/// An order the customer placed, with its lines.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManifestOrder {
    pub order_id: String,
    pub status: String,
    pub created_at: Timestamp,
    pub location: String,
    pub medium: String,
    pub total: i64,
    pub points_redeemed: i64,
    pub amount_due: i64,
    pub refund_due: i64,
    pub lines: Vec<ManifestLine>,
}

/// One line of an order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManifestLine {
    pub line: u32,
    pub image_id: ImageId,
    pub size: String,
    pub copies: u32,
    pub amount: i64,
    pub points: i64,
}

/// One entry of the customer's points ledger (M18).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManifestPoints {
    pub journal_id: String,
    pub at: Timestamp,
    /// Points in (positive) or out (negative).
    pub amount: i64,
    pub what: String,
}

/// A storage invoice (M23).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManifestInvoice {
    pub invoice_id: String,
    /// `YYYY-MM`.
    pub month: String,
    pub status: String,
    pub amount: i64,
    pub gib_months: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub paid_at: Option<Timestamp>,
}
