//! Print dispatch (M21): a paid order's lines become jobs on its lab's FIFO
//! queue. A job is plain JSON, shaped the way lab APIs (Prodigi, WHCC)
//! shape an order item, and documented by `docs/lab-job.schema.json`.

use crate::when::Timestamp;
use serde::{Deserialize, Serialize};

pub mod disc;

use crate::catalogue::{sku, Medium};
use crate::ids::{ImageId, OrderId};
use crate::image::{Image, ImageStatus};
use crate::order::{Address, Order, QuotedLine};
use crate::pricing::PrintSize;

/// The version of the job format; a lab client refuses others.
pub const JOB_VERSION: u32 = 1;

/// A message on the dispatch queue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind")]
pub enum DispatchMessage {
    /// The order is paid: send its lines to its lab.
    #[serde(rename = "order.paid")]
    OrderPaid { order_id: OrderId },
    /// The lab reported the order's disc written: move its originals to
    /// the archive class (M32).
    #[serde(rename = "disc.written")]
    DiscWritten { order_id: OrderId },
}

impl DispatchMessage {
    pub fn to_body(&self) -> String {
        // Strings only: serialising cannot fail.
        serde_json::to_string(self).unwrap_or_default()
    }

    pub fn from_body(body: &str) -> Result<Self, String> {
        serde_json::from_str(body).map_err(|e| format!("not a dispatch message: {e}"))
    }
}

/// How the image is fitted to the paper.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sizing {
    pub size: PrintSize,
    pub width_mm: u32,
    pub height_mm: u32,
    /// `fill`: crop to fill the paper (the lab's usual default).
    pub fit: String,
}

/// One file a job needs, fetched from `url` before `url_expires_at`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Asset {
    pub image_id: ImageId,
    /// A presigned GET of the original.
    pub url: String,
    pub url_expires_at: Timestamp,
    /// What the download must be: its length and SHA-256 (hex).
    pub bytes: u64,
    pub sha256: String,
    /// `jpeg`, `png` or `webp`.
    pub format: String,
}

/// One line of a paid order, as its lab receives it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LabJob {
    pub version: u32,
    /// `<order_id>:<line>`: unique, and the FIFO deduplication ID. A lab that
    /// sees a job ID again has the job already.
    pub job_id: String,
    /// The order, as the merchant's reference on the lab's side.
    pub merchant_reference: OrderId,
    pub line: u32,
    pub lab_id: String,
    /// The output location (store or delivery area).
    pub location: String,
    /// Size and medium: `L-photo_paper`.
    pub sku: String,
    pub medium: Medium,
    pub copies: u32,
    pub sizing: Sizing,
    pub assets: Vec<Asset>,
    pub recipient: Address,
    /// `print_envelope` or `disc_case`.
    pub packaging: String,
    pub created_at: Timestamp,
}

impl LabJob {
    /// The job of `line` of `order`, with its one asset.
    pub fn new(order: &Order, line: &QuotedLine, asset: Asset, created_at: Timestamp) -> Self {
        let (width_mm, height_mm) = line.size.millimetres();
        Self {
            version: JOB_VERSION,
            job_id: job_id(&order.order_id, line.line),
            merchant_reference: order.order_id.clone(),
            line: line.line,
            lab_id: order.lab_id.to_string(),
            location: order.location.to_string(),
            sku: sku(line.size, order.medium),
            medium: order.medium,
            copies: line.copies,
            sizing: Sizing {
                size: line.size,
                width_mm,
                height_mm,
                fit: "fill".into(),
            },
            assets: vec![asset],
            recipient: order.address.clone(),
            packaging: order.medium.packaging().into(),
            created_at,
        }
    }
}

/// Which bytes of an image a lab gets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Version {
    /// The original as uploaded: the buyer's own image.
    AsUploaded,
    /// The original without its location (GPS) metadata: anyone else's,
    /// whatever the owner shares with people (issue 18).
    WithoutLocation,
}

impl Version {
    /// What a lab printing `image` for `order` gets.
    pub fn for_order(order: &Order, image: &Image) -> Self {
        if order.buyer.customer() == Some(&image.owner) {
            Self::AsUploaded
        } else {
            Self::WithoutLocation
        }
    }
}

/// Whether a line of a paid order may still go to the lab: its image is
/// ready, not being deleted and its original not on an archive disc (M32),
/// and a stranger's image's owner is not in
/// arrears (M24: an owner in arrears sells nothing). The checks of the
/// order held when it was placed; this is what may have changed since.
pub fn still_printable(order: &Order, image: &Image, owner_in_arrears: bool) -> bool {
    let own = order.buyer.customer() == Some(&image.owner);
    image.status == ImageStatus::Ready
        && !image.deleting
        && image.archive.is_none()
        && (own || !owner_in_arrears)
}

/// Why a line failed at dispatch, as the buyer reads it.
pub const UNPRINTABLE: &str = "the image can no longer be printed (deleted by its owner, its original archived to a disc, or its owner's account is on hold); this line is refunded";

/// `<order>:<line>`.
pub fn job_id(order: &OrderId, line: u32) -> String {
    format!("{order}:{line}")
}
