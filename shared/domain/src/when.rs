//! The one way times are written into records and JSON.

use time::OffsetDateTime;

/// RFC 3339 in UTC, to the second: `2026-11-29T07:08:38Z`.
pub fn rfc3339(t: OffsetDateTime) -> String {
    let t = t.to_offset(time::UtcOffset::UTC);
    t.replace_nanosecond(0)
        .unwrap_or(t)
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}

/// Reads back what [`rfc3339`] wrote.
pub fn parse_rfc3339(s: &str) -> Option<OffsetDateTime> {
    OffsetDateTime::parse(s, &time::format_description::well_known::Rfc3339).ok()
}

#[cfg(test)]
mod tests {
    #[test]
    fn seconds_in_utc() {
        let t = time::macros::datetime!(2026-11-29 16:08:38.123 +9);
        assert_eq!(super::rfc3339(t), "2026-11-29T07:08:38Z");
        assert_eq!(
            super::parse_rfc3339("2026-11-29T07:08:38Z").map(super::rfc3339),
            Some(super::rfc3339(t))
        );
    }
}
