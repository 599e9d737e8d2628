//! The wire format: every response body the api sends is one of these
//! `Serialize` types, one module per resource. Their schemas (`ToSchema`)
//! are the ones published in the OpenAPI document.

pub mod accounts;
pub mod albums;
pub mod archive;
pub mod catalogue;
pub mod exports;
pub mod groups;
pub mod images;
pub mod invoices;
pub mod operator;
pub mod orders;
pub mod profile;
pub mod search;
pub mod sharing;
pub mod trash;

use serde::Serialize;
use utoipa::ToSchema;

/// `GET /v1/health`.
#[derive(Serialize, ToSchema)]
pub struct Health {
    #[schema(example = "ok")]
    pub status: &'static str,
}

/// The one error body: `{"error": {"code": "...", "message": "..."}}`.
#[derive(Serialize, ToSchema)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Serialize, ToSchema)]
pub struct ErrorDetail {
    /// Stable and machine-readable: `invalid_request`, `invalid_json`,
    /// `invalid_query`, `unauthorized`, `not_found`, `conflict`, `too_large`,
    /// `too_many_requests` (with `Retry-After`), `unsupported_media_type`,
    /// `method_not_allowed`, `internal`.
    #[schema(example = "not_found")]
    pub code: &'static str,
    /// A sentence for the customer saying what is wrong.
    #[schema(example = "image not found")]
    pub message: String,
}
