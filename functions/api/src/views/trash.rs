//! The trash: what a customer deleted, kept `trash.keep_days` before it is
//! purged.

use printvault_adapters::images::TrashEntry;
use printvault_adapters::Page;
use printvault_domain::billing::day_str;
use printvault_domain::ids::ImageId;
use printvault_domain::trash::TrashedBy;
use printvault_usecases::trash::Emptied;
use serde::Serialize;
use utoipa::ToSchema;

/// An image in the trash.
#[derive(Serialize, ToSchema)]
pub struct TrashedImage {
    #[schema(value_type = String, example = "img_01JDQ3V6ZK8R2M4N5P6Q7R8S9T")]
    pub image_id: ImageId,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file_name: Option<String>,
    /// Its original's size: billed (M23) until it is purged.
    pub bytes: u64,
    /// When it was deleted (RFC 3339).
    #[schema(example = "2026-12-07T10:00:00Z")]
    pub trashed_at: String,
    /// The day the trash sweep purges it, unless restored before.
    #[schema(example = "2027-01-07")]
    pub purge_on: String,
    /// Who deleted it: its owner, or the retention sweep (M26, M27) after
    /// a warning.
    #[schema(value_type = String, example = "owner")]
    pub by: TrashedBy,
}

impl From<&TrashEntry> for TrashedImage {
    fn from(e: &TrashEntry) -> Self {
        Self {
            image_id: e.image_id.clone(),
            file_name: e.file_name.clone(),
            bytes: e.bytes,
            trashed_at: e.trashed_at.to_string(),
            purge_on: day_str(e.purge_on),
            by: e.by,
        }
    }
}

/// `GET /v1/trash`: the caller's trash, most recently deleted first.
#[derive(Serialize, ToSchema)]
pub struct TrashPage {
    pub images: Vec<TrashedImage>,
    /// Pass back as `cursor` for the next page; null on the last.
    pub next_cursor: Option<String>,
}

impl From<&Page<TrashEntry>> for TrashPage {
    fn from(p: &Page<TrashEntry>) -> Self {
        Self {
            images: p.items.iter().map(TrashedImage::from).collect(),
            next_cursor: p.next_cursor.clone(),
        }
    }
}

/// `DELETE /v1/trash`: what this call purged.
#[derive(Serialize, ToSchema)]
pub struct EmptiedView {
    /// Images purged by this call.
    pub purged: u32,
    /// Images are left (one call purges at most `trash.empty_batch`): call
    /// again.
    pub more: bool,
}

impl From<Emptied> for EmptiedView {
    fn from(e: Emptied) -> Self {
        Self {
            purged: e.purged,
            more: e.more,
        }
    }
}
