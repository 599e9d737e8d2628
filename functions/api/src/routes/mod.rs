//! The handlers: each parses its request, makes one call into
//! `printvault-usecases`, and maps the result to a view or an error.

pub mod accounts;
pub mod albums;
pub mod anniversaries;
pub mod archive;
pub mod catalogue;
pub mod exports;
pub mod grants;
pub mod groups;
pub mod images;
pub mod invoices;
pub mod lab;
pub mod links;
pub mod operator;
pub mod orders;
pub mod payments;
pub mod profile;
pub mod search;
pub mod trash;
pub mod uploads;

use printvault_domain::settings::ListingSettings;
use serde::Deserialize;

/// `?limit=&cursor=` of every paged listing.
#[derive(Deserialize, Default, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct PageQuery {
    /// Page size, 1 to the listing's maximum (settings `listing.*`).
    #[param(minimum = 1)]
    pub limit: Option<u32>,
    /// The `next_cursor` of the page before; a cursor is opaque and only
    /// continues the listing that issued it.
    pub cursor: Option<String>,
}

impl PageQuery {
    /// The page size: the default when absent, refused outside 1..=max.
    pub fn limit(&self, l: &ListingSettings) -> Result<u32, printvault_domain::Error> {
        page_limit(self.limit, l.default_page_size, l.max_page_size)
    }
}

/// A page size from the query: `default` when absent, refused outside 1..=max.
pub fn page_limit(limit: Option<u32>, default: u32, max: u32) -> Result<u32, printvault_domain::Error> {
    let limit = limit.unwrap_or(default);
    if limit == 0 || limit > max {
        return Err(printvault_domain::Error::invalid(
            "limit",
            printvault_domain::Problem::range(1, max),
        ));
    }
    Ok(limit)
}
