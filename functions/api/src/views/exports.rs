//! Full exports (X3): a job's progress and parts, and its parts' fresh
//! download links.

use printvault_adapters::Page;
use printvault_domain::export::job::{ExportJob, ExportState};
use printvault_domain::ids::ExportId;
use printvault_usecases::export::jobs::PartUrl;
use serde::Serialize;
use utoipa::ToSchema;

/// One part written.
#[derive(Serialize, ToSchema)]
pub struct ExportPartView {
    /// From 1.
    pub part: u32,
    /// The ZIP file's size.
    pub bytes: u64,
}

/// An export and how far it has got.
#[derive(Serialize, ToSchema)]
pub struct ExportView {
    pub export_id: ExportId,
    /// `queued`, `running`, `done` or `failed`.
    pub state: ExportState,
    /// When it was asked for (RFC 3339).
    #[schema(example = "2026-12-07T10:00:00Z")]
    pub created_at: String,
    /// The images it holds and their originals' bytes, once planned.
    pub images_total: Option<u32>,
    pub bytes_total: Option<u64>,
    /// How many ZIP parts it has, once planned.
    pub parts_total: Option<u32>,
    /// Images (and their bytes) written so far.
    pub images_done: u32,
    pub bytes_done: u64,
    /// The parts written so far. Download them through
    /// `GET /v1/exports/{id}/urls` once the export is done.
    pub parts: Vec<ExportPartView>,
    #[schema(example = "2026-12-07T10:20:00Z")]
    pub finished_at: Option<String>,
    /// When a finished export's parts are removed.
    #[schema(example = "2026-12-14T10:20:00Z")]
    pub parts_expire_at: Option<String>,
    /// Why it failed.
    pub reason: Option<String>,
}

impl From<&ExportJob> for ExportView {
    fn from(j: &ExportJob) -> Self {
        Self {
            export_id: j.export_id.clone(),
            state: j.state,
            created_at: j.created_at.to_string(),
            images_total: j.images_total,
            bytes_total: j.bytes_total,
            parts_total: j.parts_total,
            images_done: j.images_done,
            bytes_done: j.bytes_done,
            parts: j
                .parts_written()
                .map(|p| ExportPartView {
                    part: p.part,
                    bytes: p.bytes,
                })
                .collect(),
            finished_at: j.finished_at.map(|t| t.to_string()),
            parts_expire_at: j.parts_expire_at.map(|t| t.to_string()),
            reason: j.reason.clone(),
        }
    }
}

/// `GET /v1/exports`: the caller's exports, newest first.
#[derive(Serialize, ToSchema)]
pub struct ExportList {
    pub exports: Vec<ExportView>,
    /// Pass back as `cursor` for the next page; null on the last.
    pub next_cursor: Option<String>,
}

impl From<&Page<ExportJob>> for ExportList {
    fn from(p: &Page<ExportJob>) -> Self {
        Self {
            exports: p.items.iter().map(ExportView::from).collect(),
            next_cursor: p.next_cursor.clone(),
        }
    }
}

/// A part's download link.
#[derive(Serialize, ToSchema)]
pub struct PartUrlView {
    pub part: u32,
    pub bytes: u64,
    /// A presigned GET of the ZIP file.
    pub url: String,
    /// When the link stops working (ask again for a fresh one).
    #[schema(example = "2026-12-07T11:20:00Z")]
    pub expires_at: String,
}

/// `GET /v1/exports/{id}/urls`: fresh links for every part.
#[derive(Serialize, ToSchema)]
pub struct ExportUrls {
    pub export_id: ExportId,
    pub parts: Vec<PartUrlView>,
    /// When the parts themselves are removed.
    #[schema(example = "2026-12-14T10:20:00Z")]
    pub parts_expire_at: Option<String>,
}

impl ExportUrls {
    pub fn new(job: &ExportJob, urls: Vec<PartUrl>) -> Self {
        Self {
            export_id: job.export_id.clone(),
            parts: urls
                .into_iter()
                .map(|u| PartUrlView {
                    part: u.part,
                    bytes: u.bytes,
                    url: u.url,
                    expires_at: u.expires_at.to_string(),
                })
                .collect(),
            parts_expire_at: job.parts_expire_at.map(|t| t.to_string()),
        }
    }
}
