//! Share links (X4): an unguessable token that opens one image or album
//! until it expires or is revoked.

use crate::when::Timestamp;
use crate::Problem;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::access::LinkTerms;
use crate::account::SessionToken;
use crate::ids::{CustomerId, LinkId};
use crate::settings::LinkSettings;
use crate::sharing::Target;
use crate::when::rfc3339;
use crate::Error;

/// A share link. The token itself is never stored, only its SHA-256.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Link {
    pub link_id: LinkId,
    pub owner: CustomerId,
    pub target: Target,
    /// Unix seconds; the link opens nothing from then on.
    pub expires_at: i64,
    pub allow_original: bool,
    pub created_at: Timestamp,
    /// The storage key of the token (not the token).
    pub digest: String,
}

impl Link {
    /// A new link and its token, which is shown once and never stored.
    /// `hours` defaults to the operator's setting and may not pass its maximum.
    pub fn create(
        owner: CustomerId,
        target: Target,
        hours: Option<u64>,
        allow_original: Option<bool>,
        now: OffsetDateTime,
        cfg: &LinkSettings,
    ) -> Result<(Self, SessionToken), Error> {
        let hours = hours.unwrap_or(cfg.default_ttl_hours);
        if hours == 0 || hours > cfg.max_ttl_hours {
            return Err(Error::invalid(
                "expires_in_hours",
                Problem::range(1, cfg.max_ttl_hours as i64),
            ));
        }
        let token = SessionToken::generate();
        let link = Self {
            link_id: LinkId::generate(),
            owner,
            target,
            expires_at: (now + time::Duration::hours(hours as i64)).unix_timestamp(),
            allow_original: allow_original.unwrap_or(false),
            created_at: Timestamp::at(now),
            digest: token.digest(),
        };
        Ok((link, token))
    }

    /// Whether the link still opens anything at `now`.
    pub fn is_live(&self, now: OffsetDateTime) -> bool {
        self.expires_at > now.unix_timestamp()
    }

    /// When it stops working, as RFC 3339.
    pub fn expires(&self) -> String {
        OffsetDateTime::from_unix_timestamp(self.expires_at)
            .map(rfc3339)
            .unwrap_or_default()
    }

    /// What the link allows with the images it opens.
    pub fn terms(&self) -> LinkTerms {
        LinkTerms {
            allow_original: self.allow_original,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::ImageId;

    fn cfg() -> LinkSettings {
        LinkSettings {
            default_ttl_hours: 24,
            max_ttl_hours: 48,
        }
    }

    #[test]
    fn a_link_lives_for_its_hours_and_not_a_second_more() {
        let now = time::macros::datetime!(2026-01-01 00:00 UTC);
        let t = Target::Image(ImageId::generate());
        let (link, token) = Link::create(CustomerId::generate(), t, Some(2), None, now, &cfg()).unwrap();
        assert_eq!(link.digest, token.digest());
        assert!(!link.allow_original, "no original unless asked");
        assert!(link.is_live(now + time::Duration::hours(2) - time::Duration::seconds(1)));
        assert!(!link.is_live(now + time::Duration::hours(2)));
        assert_eq!(link.expires(), "2026-01-01T02:00:00Z");
    }

    #[test]
    fn lifetimes_outside_the_settings_are_refused() {
        let now = OffsetDateTime::UNIX_EPOCH;
        let t = Target::Image(ImageId::generate());
        let owner = CustomerId::generate();
        assert!(Link::create(owner.clone(), t.clone(), Some(0), None, now, &cfg()).is_err());
        assert!(Link::create(owner.clone(), t.clone(), Some(49), None, now, &cfg()).is_err());
        let (l, _) = Link::create(owner, t, None, Some(false), now, &cfg()).unwrap();
        assert_eq!(l.expires_at, 24 * 3600);
        assert!(!l.terms().allow_original);
    }
}
