//! Grants of one image or album to one named customer (M12, M13).

use printvault_domain::sharing::Grant;
use printvault_domain::Clash;
use printvault_domain::Error;
use printvault_domain::Thing;

use super::*;
use crate::cursor;
use crate::dynamo::item_with_key;
use crate::keys;

/// Whether `sk` is a `GRANTIN#<target>` key this store could have written.
fn is_grant_in_sk(sk: &str) -> bool {
    sk.strip_prefix("GRANTIN#")
        .and_then(|t| t.split_once('#'))
        .is_some_and(|(kind, id)| matches!(kind, "IMG" | "ALBUM") && Target::parse(id).is_some())
}

impl SharingStore {
    pub async fn grant(&self, g: &Grant) -> Result<(), Error> {
        let items = self.grant_items(g)?;
        self.transact(items, "granting an image", Error::Conflict(Clash::Raced))
            .await
    }

    /// The three items of a grant, as puts.
    pub(super) fn grant_items(&self, g: &Grant) -> anyhow::Result<Vec<TransactWriteItem>> {
        let t = &self.table;
        Ok(vec![
            put(
                t,
                item_with_key(g, grant_pk(&g.target), grant_sk(&g.grantee))?,
                None,
            )?,
            put(
                t,
                item_with_key(
                    g,
                    keys::customer_pk(&g.owner),
                    grant_out_sk(&g.target, &g.grantee),
                )?,
                None,
            )?,
            put(
                t,
                item_with_key(g, keys::customer_pk(&g.grantee), grant_in_sk(&g.target))?,
                None,
            )?,
        ])
    }

    /// Every grant of one target (to known customers).
    pub async fn grants_of(&self, target: &Target) -> Result<Vec<Grant>, Error> {
        self.query(grant_pk(target), "TO#").await
    }

    /// The grant of `target` to `grantee`, if there is one.
    pub async fn grant_of(&self, target: &Target, grantee: &CustomerId) -> Result<Option<Grant>, Error> {
        self.get(grant_pk(target), grant_sk(grantee)).await
    }

    pub async fn has_grant(&self, target: &Target, grantee: &CustomerId) -> Result<bool, Error> {
        Ok(self.grant_of(target, grantee).await?.is_some())
    }

    /// Revokes every grant and link of a target (when it is deleted).
    pub async fn revoke_all(&self, owner: &CustomerId, target: &Target) -> Result<(), Error> {
        for w in self.waiting_grants_of(target).await? {
            match self.drop_waiting_grant(&w).await {
                Ok(()) | Err(Error::NotFound(_)) => {}
                Err(e) => return Err(e),
            }
        }
        for g in self.grants_of(target).await? {
            match self.revoke_grant(owner, target, &g.grantee).await {
                Ok(()) | Err(Error::NotFound(_)) => {}
                Err(e) => return Err(e),
            }
        }
        for l in self
            .links_of(owner)
            .await?
            .into_iter()
            .filter(|l| &l.target == target)
        {
            match self.revoke_link(owner, &l.link_id).await {
                Ok(()) | Err(Error::NotFound(_)) => {}
                Err(e) => return Err(e),
            }
        }
        Ok(())
    }

    pub async fn grants_given(&self, owner: &CustomerId) -> Result<Vec<Grant>, Error> {
        self.query(keys::customer_pk(owner), "GRANTOUT#").await
    }

    /// One page of the grants `grantee` holds, in target order.
    pub async fn grants_received(
        &self,
        grantee: &CustomerId,
        limit: u32,
        cursor: Option<&str>,
    ) -> Result<crate::Page<Grant>, Error> {
        let pk = keys::customer_pk(grantee);
        let start = cursor
            .map(|c| cursor::decode(c, is_grant_in_sk))
            .transpose()?
            .map(|sk| key(pk.clone(), sk));
        let out = self
            .db
            .query()
            .table_name(&self.table)
            .key_condition_expression("pk = :pk AND begins_with(sk, :p)")
            .expression_attribute_values(":pk", crate::dynamo::s(pk))
            .expression_attribute_values(":p", crate::dynamo::s("GRANTIN#"))
            .consistent_read(true)
            .limit(limit as i32)
            .set_exclusive_start_key(start)
            .send()
            .await
            .context("listing received grants")?;
        let items: Vec<Grant> = out
            .items
            .unwrap_or_default()
            .into_iter()
            .map(|i| serde_dynamo::from_item(i).context("decoding a grant"))
            .collect::<Result<_, _>>()?;
        let next_cursor = out
            .last_evaluated_key
            .and(items.last())
            .map(|g| cursor::encode(&grant_in_sk(&g.target)));
        Ok(crate::Page { items, next_cursor })
    }

    /// The grant of `target` that `grantee` holds, if any.
    pub async fn received_grant(
        &self,
        grantee: &CustomerId,
        target: &Target,
    ) -> Result<Option<Grant>, Error> {
        self.get(keys::customer_pk(grantee), grant_in_sk(target)).await
    }

    /// Revokes a grant at once. Errors: `NotFound` when there is none.
    pub async fn revoke_grant(
        &self,
        owner: &CustomerId,
        target: &Target,
        grantee: &CustomerId,
    ) -> Result<(), Error> {
        let t = &self.table;
        let items = vec![
            delete(
                t,
                keys::customer_pk(owner),
                grant_out_sk(target, grantee),
                Some("attribute_exists(pk)"),
            )?,
            delete(t, grant_pk(target), grant_sk(grantee), None)?,
            delete(t, keys::customer_pk(grantee), grant_in_sk(target), None)?,
        ];
        self.transact(items, "revoking a grant", Error::NotFound(Thing::Grant))
            .await
    }

    // ------------------------------------------------------------------ links
}
