//! M12, M13 grants and X4 share links.

use printvault_adapters::Page;
use printvault_domain::account::SessionToken;
use printvault_domain::ids::LinkId;
use printvault_domain::sharing::{GivenGrant, Grant, Link, Target};
use serde::Serialize;
use utoipa::ToSchema;

/// Grants the caller gave, by the address each went to.
#[derive(Serialize, ToSchema)]
pub struct GrantList {
    pub grants: Vec<GivenGrant>,
}

/// A grant the caller holds: what it opens and since when. The owner's
/// identity stays private.
#[derive(Serialize, ToSchema)]
pub struct ReceivedGrant {
    pub target: Target,
    pub created_at: String,
}

#[derive(Serialize, ToSchema)]
pub struct ReceivedGrants {
    pub grants: Vec<ReceivedGrant>,
    /// Pass back as `cursor` for the next page; null on the last.
    pub next_cursor: Option<String>,
}

impl From<Page<Grant>> for ReceivedGrants {
    fn from(page: Page<Grant>) -> Self {
        Self {
            next_cursor: page.next_cursor,
            grants: page
                .items
                .into_iter()
                .map(|g| ReceivedGrant {
                    target: g.target,
                    created_at: g.created_at.to_string(),
                })
                .collect(),
        }
    }
}

/// A share link as its owner sees it (never its token).
#[derive(Serialize, ToSchema)]
pub struct LinkView {
    pub link_id: LinkId,
    pub target: Target,
    pub expires_at: String,
    pub allow_original: bool,
    pub created_at: String,
}

impl From<&Link> for LinkView {
    fn from(l: &Link) -> Self {
        Self {
            link_id: l.link_id.clone(),
            target: l.target.clone(),
            expires_at: l.expires(),
            allow_original: l.allow_original,
            created_at: l.created_at.to_string(),
        }
    }
}

/// A new link with its token, shown this once.
#[derive(Serialize, ToSchema)]
pub struct NewLinkView {
    #[serde(flatten)]
    pub link: LinkView,
    /// The secret that opens the link; only its hash is stored.
    pub token: String,
    /// `/v1/shared/<token>`
    pub path: String,
}

impl NewLinkView {
    pub fn new(link: &Link, token: &SessionToken) -> Self {
        Self {
            link: link.into(),
            token: token.as_str().to_owned(),
            path: format!("/v1/shared/{}", token.as_str()),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct LinkList {
    pub links: Vec<LinkView>,
}
