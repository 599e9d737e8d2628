//! Archiving to a disc (M29-M32).

use printvault_adapters::Page;
use printvault_domain::archive::{
    ArchivePrefs, Crossing, Disc, DiscFill, ProposalStatus, ProposalSummary, Restore, RestoreState,
    Thresholds, YearlyDate,
};
use printvault_domain::billing::day_str;
use printvault_domain::ids::{ImageId, ProposalId};
use printvault_domain::lab_report::disc::{DiscRecord, DiscStage};
use printvault_usecases::archive::Shown;
use serde::Serialize;
use utoipa::ToSchema;

/// `GET` and `PUT /v1/profile/archive-thresholds`: the caller's own
/// thresholds, and the ones that apply (the tighter of theirs and the
/// operator's).
#[derive(Serialize, ToSchema)]
pub struct ArchiveThresholds {
    pub own: ArchivePrefs,
    pub applied: AppliedThresholds,
}

/// Reaching one of these (or the yearly date) makes a proposal to archive
/// the oldest images onto a disc.
#[derive(Serialize, ToSchema)]
pub struct AppliedThresholds {
    /// Bytes of originals stored.
    #[schema(example = 10737418240_u64)]
    pub max_stored_bytes: u64,
    #[schema(example = 5000)]
    pub max_images: u32,
    /// Years since the oldest image was stored.
    #[schema(example = 3)]
    pub max_age_years: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub yearly_on: Option<YearlyDate>,
}

impl ArchiveThresholds {
    pub fn new(own: ArchivePrefs, applied: Thresholds) -> Self {
        Self {
            own,
            applied: AppliedThresholds {
                max_stored_bytes: applied.max_stored_bytes,
                max_images: applied.max_images,
                max_age_years: applied.max_age_years,
                yearly_on: applied.yearly_on,
            },
        }
    }
}

/// `GET /v1/archive/proposals`: the caller's proposals, newest first.
#[derive(Serialize, ToSchema)]
pub struct ProposalList {
    pub proposals: Vec<ProposalSummaryView>,
    /// Pass back as `cursor` for the next page; null on the last.
    pub next_cursor: Option<String>,
}

/// A proposal without its images.
#[derive(Serialize, ToSchema)]
pub struct ProposalSummaryView {
    #[schema(value_type = String, example = "arp_01JDQ3V6ZK8R2M4N5P6Q7R8S9T")]
    pub proposal_id: ProposalId,
    /// Today's: an open proposal past its last day has lapsed.
    pub status: ProposalStatus,
    /// The day it was made (`YYYY-MM-DD`).
    #[schema(value_type = String, example = "2027-03-10")]
    pub made_on: String,
    /// The first day it no longer stands.
    #[schema(value_type = String, example = "2027-04-09")]
    pub expires_on: String,
    /// The thresholds crossed.
    pub crossed: Vec<Crossing>,
    /// What each disc would hold.
    pub discs: Vec<DiscView>,
}

/// What one disc would hold.
#[derive(Serialize, ToSchema)]
pub struct DiscView {
    pub disc: Disc,
    pub images: u32,
    /// The originals' bytes.
    pub bytes: u64,
    /// 2,048-byte sectors the disc's files take, file system included.
    pub sectors: u64,
    /// The sectors a blank disc of this kind holds (`docs/archive.md`).
    pub capacity_sectors: u64,
}

/// `GET /v1/archive/proposals/{proposal_id}`: a proposal with a page of
/// its images, oldest first.
#[derive(Serialize, ToSchema)]
pub struct ProposalView {
    #[serde(flatten)]
    pub summary: ProposalSummaryView,
    pub images: Vec<ProposedImage>,
    /// Pass back as `cursor` for the next page of images; null on the last.
    pub next_cursor: Option<String>,
    /// When the thumbnails' links stop working (RFC 3339).
    #[schema(value_type = String)]
    pub urls_expire_at: String,
}

/// One image a proposal offers.
#[derive(Serialize, ToSchema)]
pub struct ProposedImage {
    #[schema(value_type = String, example = "img_01JDQ3V6ZK8R2M4N5P6Q7R8S9T")]
    pub image_id: ImageId,
    /// The original's bytes.
    pub bytes: u64,
    /// When it was stored (RFC 3339).
    #[schema(value_type = String)]
    pub stored_at: String,
    /// A short-lived link to its thumbnail.
    pub thumbnail_url: String,
    /// The discs whose fill holds it.
    pub discs: Vec<Disc>,
}

fn discs(fills: &[DiscFill]) -> Vec<DiscView> {
    fills
        .iter()
        .map(|f| DiscView {
            disc: f.disc,
            images: f.images,
            bytes: f.bytes,
            sectors: f.sectors,
            capacity_sectors: f.disc.sectors(),
        })
        .collect()
}

impl ProposalList {
    pub fn new(page: &Page<ProposalSummary>, today: time::Date) -> Self {
        Self {
            proposals: page
                .items
                .iter()
                .map(|p| ProposalSummaryView {
                    proposal_id: p.proposal_id.clone(),
                    status: p.status_on(today),
                    made_on: day_str(p.made_on),
                    expires_on: day_str(p.expires_on),
                    crossed: p.crossed.clone(),
                    discs: discs(&p.fills),
                })
                .collect(),
            next_cursor: page.next_cursor.clone(),
        }
    }
}

impl From<Shown> for ProposalView {
    fn from(s: Shown) -> Self {
        let p = &s.proposal;
        Self {
            summary: ProposalSummaryView {
                proposal_id: p.proposal_id.clone(),
                status: s.status,
                made_on: day_str(p.made_on),
                expires_on: day_str(p.expires_on),
                crossed: p.crossed.clone(),
                discs: discs(&p.fills),
            },
            images: s
                .images
                .into_iter()
                .map(|i| ProposedImage {
                    image_id: i.offered.image,
                    bytes: i.offered.bytes,
                    stored_at: i.offered.stored.into(),
                    thumbnail_url: i.thumbnail,
                    discs: i.discs,
                })
                .collect(),
            next_cursor: s.next_cursor,
            urls_expire_at: s.urls_expire_at.into(),
        }
    }
}

/// Where a disc job stands (M32): its stage as its lab last reported it,
/// since `at`, and the SHA-256 of the disc image once it is `written`.
#[derive(Serialize, ToSchema)]
pub struct DiscReportView {
    pub order_id: String,
    pub stage: DiscStage,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub image_sha256: Option<String>,
    pub at: String,
}

impl DiscReportView {
    pub fn of(order: &printvault_domain::ids::OrderId, r: DiscRecord) -> Self {
        Self {
            order_id: order.to_string(),
            stage: r.stage,
            image_sha256: r.image_sha256,
            at: r.at.to_string(),
        }
    }
}

/// An ask for an archived original back (M32), as recorded on the image.
#[derive(Serialize, ToSchema)]
pub struct RestoreAsk {
    pub requested_at: String,
    /// Days the copy stays readable once ready.
    pub days: u32,
    /// When S3 had the copy ready.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ready_at: Option<String>,
    /// Until when the original can be downloaded; ask again after.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub until: Option<String>,
}

impl From<&Restore> for RestoreAsk {
    fn from(r: &Restore) -> Self {
        Self {
            requested_at: r.requested_at.to_string(),
            days: r.days,
            ready_at: r.ready_at.map(|t| t.to_string()),
            until: r.until.map(|t| t.to_string()),
        }
    }
}

/// `POST /v1/images/{id}/restore`: where the restore stands.
#[derive(Serialize, ToSchema)]
pub struct RestoreView {
    pub image_id: ImageId,
    /// `restoring` (an email comes when it is ready), `restored` (the
    /// image's URLs include its original until `restore.until`).
    pub state: RestoreState,
    pub restore: RestoreAsk,
}
