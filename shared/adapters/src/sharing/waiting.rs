//! Grants and profile shares waiting for an address to be verified. Each is
//! written, dropped and attached (turned into the real share, for the
//! customer who verified the address) in one transaction, so a revocation
//! racing an attachment leaves either nothing or a revoked share, never a
//! share the owner took back.

use printvault_domain::sharing::{WaitingGrant, WaitingProfileShare};
use printvault_domain::Clash;
use printvault_domain::Error;
use printvault_domain::Thing;

use super::profiles::profile_share_pk;
use super::*;
use crate::dynamo::item_with_key;
use crate::keys;

fn wait_pk(email: &str) -> String {
    format!("WAIT#{email}")
}
fn wait_sk(email: &str) -> String {
    format!("WAIT#{email}")
}
fn grant_wait_out_sk(t: &Target, email: &str) -> String {
    format!("GRANTWAIT#{}#{email}", target_key(t))
}
fn waiting_grant_sk(t: &Target) -> String {
    format!("GRANT#{}", target_key(t))
}
fn waiting_profile_sk(owner: &CustomerId) -> String {
    format!("PROFILE#{owner}")
}

impl SharingStore {
    fn waiting_grant_keys(w: &WaitingGrant) -> [(String, String); 3] {
        [
            (grant_pk(&w.target), wait_sk(&w.grantee_email)),
            (
                keys::customer_pk(&w.owner),
                grant_wait_out_sk(&w.target, &w.grantee_email),
            ),
            (wait_pk(&w.grantee_email), waiting_grant_sk(&w.target)),
        ]
    }

    fn waiting_share_keys(w: &WaitingProfileShare) -> [(String, String); 2] {
        [
            (profile_share_pk(&w.owner), wait_sk(&w.reader_email)),
            (wait_pk(&w.reader_email), waiting_profile_sk(&w.owner)),
        ]
    }

    /// Deletes of `keys`, the first on the condition that it exists.
    fn drops(
        &self,
        keys: impl IntoIterator<Item = (String, String)>,
    ) -> anyhow::Result<Vec<TransactWriteItem>> {
        keys.into_iter()
            .enumerate()
            .map(|(i, (pk, sk))| delete(&self.table, pk, sk, (i == 0).then_some("attribute_exists(pk)")))
            .collect()
    }

    pub async fn wait_grant(&self, w: &WaitingGrant) -> Result<(), Error> {
        let items = Self::waiting_grant_keys(w)
            .into_iter()
            .map(|(pk, sk)| put(&self.table, item_with_key(w, pk, sk)?, None))
            .collect::<anyhow::Result<Vec<_>>>()?;
        self.transact(
            items,
            "keeping a grant for an address",
            Error::Conflict(Clash::Raced),
        )
        .await
    }

    pub async fn waiting_grants_given(&self, owner: &CustomerId) -> Result<Vec<WaitingGrant>, Error> {
        self.query(keys::customer_pk(owner), "GRANTWAIT#").await
    }

    pub async fn waiting_grants_of(&self, target: &Target) -> Result<Vec<WaitingGrant>, Error> {
        self.query(grant_pk(target), "WAIT#").await
    }

    /// Takes a waiting grant back. Errors: `NotFound` when it is not waiting.
    pub async fn drop_waiting_grant(&self, w: &WaitingGrant) -> Result<(), Error> {
        let items = self.drops(Self::waiting_grant_keys(w))?;
        self.transact(items, "dropping a waiting grant", Error::NotFound(Thing::Grant))
            .await
    }

    pub async fn wait_profile_share(&self, w: &WaitingProfileShare) -> Result<(), Error> {
        let items = Self::waiting_share_keys(w)
            .into_iter()
            .map(|(pk, sk)| put(&self.table, item_with_key(w, pk, sk)?, None))
            .collect::<anyhow::Result<Vec<_>>>()?;
        self.transact(
            items,
            "keeping a profile share for an address",
            Error::Conflict(Clash::Raced),
        )
        .await
    }

    pub async fn waiting_profile_shares(
        &self,
        owner: &CustomerId,
    ) -> Result<Vec<WaitingProfileShare>, Error> {
        self.query(profile_share_pk(owner), "WAIT#").await
    }

    pub async fn drop_waiting_profile_share(&self, w: &WaitingProfileShare) -> Result<(), Error> {
        let items = self.drops(Self::waiting_share_keys(w))?;
        self.transact(
            items,
            "dropping a waiting profile share",
            Error::NotFound(Thing::ProfileShare),
        )
        .await
    }

    /// Everything waiting for `email`.
    pub async fn waiting_for(
        &self,
        email: &str,
    ) -> Result<(Vec<WaitingGrant>, Vec<WaitingProfileShare>), Error> {
        Ok((
            self.query(wait_pk(email), "GRANT#").await?,
            self.query(wait_pk(email), "PROFILE#").await?,
        ))
    }

    /// Turns a waiting grant into the grant to `grantee`. `false` when it
    /// was taken back meanwhile (nothing written).
    pub async fn attach_grant(&self, w: &WaitingGrant, grantee: &CustomerId) -> Result<bool, Error> {
        let mut items = self.drops(Self::waiting_grant_keys(w))?;
        items.extend(self.grant_items(&w.attach(grantee.clone())?)?);
        crate::dynamo::transact(&self.db, items, "attaching a waiting grant").await
    }

    pub async fn attach_profile_share(
        &self,
        w: &WaitingProfileShare,
        reader: &CustomerId,
    ) -> Result<bool, Error> {
        let mut items = self.drops(Self::waiting_share_keys(w))?;
        items.extend(self.profile_share_items(&w.attach(reader.clone())?)?);
        crate::dynamo::transact(&self.db, items, "attaching a waiting profile share").await
    }
}
