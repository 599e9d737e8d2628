pub mod accounts;
pub mod albums;
pub mod grants;
pub mod groups;
pub mod images;
pub mod operator;
pub mod profile;
pub mod search;
pub mod uploads;

/// A page size from the query: `default` when absent, refused outside 1..=max.
pub fn page_limit(limit: Option<u32>, default: u32, max: u32) -> Result<u32, printvault_domain::Error> {
    let limit = limit.unwrap_or(default);
    if limit == 0 || limit > max {
        return Err(printvault_domain::Error::invalid(
            "limit",
            format!("limit must be between 1 and {max}"),
        ));
    }
    Ok(limit)
}
