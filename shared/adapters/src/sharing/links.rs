//! Share links (X4), found by the SHA-256 of their token.

use printvault_domain::sharing::Link;
use printvault_domain::Clash;
use printvault_domain::Error;
use printvault_domain::Thing;

use super::*;
use crate::dynamo::item_with_key;
use crate::keys;

impl SharingStore {
    pub async fn create_link(&self, l: &Link) -> Result<(), Error> {
        let t = &self.table;
        let items = vec![
            put(
                t,
                item_with_key(l, link_pk(&l.digest), "LINK".into())?,
                Some("attribute_not_exists(pk)"),
            )?,
            put(
                t,
                item_with_key(l, keys::customer_pk(&l.owner), link_out_sk(&l.link_id))?,
                None,
            )?,
        ];
        self.transact(items, "creating a link", Error::Conflict(Clash::Raced))
            .await
    }

    /// The link a token opens, live or expired; callers check expiry.
    pub async fn link_by_digest(&self, digest: &str) -> Result<Option<Link>, Error> {
        self.get(link_pk(digest), "LINK".into()).await
    }

    pub async fn links_of(&self, owner: &CustomerId) -> Result<Vec<Link>, Error> {
        self.query(keys::customer_pk(owner), "LINKOUT#").await
    }

    /// Revokes a link at once. Errors: `NotFound` when the owner has no such link.
    pub async fn revoke_link(&self, owner: &CustomerId, id: &LinkId) -> Result<(), Error> {
        let link: Link = self
            .get(keys::customer_pk(owner), link_out_sk(id))
            .await?
            .ok_or(Error::NotFound(Thing::Link))?;
        let t = &self.table;
        let items = vec![
            delete(
                t,
                keys::customer_pk(owner),
                link_out_sk(id),
                Some("attribute_exists(pk)"),
            )?,
            delete(t, link_pk(&link.digest), "LINK".into(), None)?,
        ];
        self.transact(items, "revoking a link", Error::NotFound(Thing::Link))
            .await
    }
}
