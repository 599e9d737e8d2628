//! Archiving to a disc (M29).

use printvault_domain::archive::{ArchivePrefs, Thresholds, YearlyDate};
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
