//! Profile shares (M4).

use printvault_domain::sharing::ProfileShare;
use printvault_domain::Clash;
use printvault_domain::Error;
use printvault_domain::Thing;

use super::*;
use crate::dynamo::item_with_key;
use crate::keys;

pub(super) fn profile_share_pk(owner: &CustomerId) -> String {
    format!("PROFILESHARE#{owner}")
}
fn profile_in_sk(owner: &CustomerId) -> String {
    format!("PROFILEIN#{owner}")
}

impl SharingStore {
    /// Creates or replaces the share of `owner`'s profile with `reader`.
    pub async fn share_profile(&self, p: &ProfileShare) -> Result<(), Error> {
        let items = self.profile_share_items(p)?;
        self.transact(items, "sharing a profile", Error::Conflict(Clash::Raced))
            .await
    }

    /// The two items of a profile share, as puts.
    pub(super) fn profile_share_items(&self, p: &ProfileShare) -> anyhow::Result<Vec<TransactWriteItem>> {
        let t = &self.table;
        Ok(vec![
            put(
                t,
                item_with_key(p, profile_share_pk(&p.owner), grant_sk(&p.reader))?,
                None,
            )?,
            put(
                t,
                item_with_key(p, keys::customer_pk(&p.reader), profile_in_sk(&p.owner))?,
                None,
            )?,
        ])
    }

    /// What `reader` may read of `owner`'s profile, if anything.
    pub async fn profile_share(
        &self,
        owner: &CustomerId,
        reader: &CustomerId,
    ) -> Result<Option<ProfileShare>, Error> {
        self.get(profile_share_pk(owner), grant_sk(reader)).await
    }

    pub async fn profile_shares_of(&self, owner: &CustomerId) -> Result<Vec<ProfileShare>, Error> {
        self.query(profile_share_pk(owner), "TO#").await
    }

    pub async fn profiles_shared_with(&self, reader: &CustomerId) -> Result<Vec<ProfileShare>, Error> {
        self.query(keys::customer_pk(reader), "PROFILEIN#").await
    }

    /// Ends a profile share at once. Errors: `NotFound` when there is none.
    pub async fn unshare_profile(&self, owner: &CustomerId, reader: &CustomerId) -> Result<(), Error> {
        let t = &self.table;
        let items = vec![
            delete(
                t,
                profile_share_pk(owner),
                grant_sk(reader),
                Some("attribute_exists(pk)"),
            )?,
            delete(t, keys::customer_pk(reader), profile_in_sk(owner), None)?,
        ];
        self.transact(items, "unsharing a profile", Error::NotFound(Thing::ProfileShare))
            .await
    }
}
