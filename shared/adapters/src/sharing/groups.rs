//! Party groups (M3) and their invitations.

use printvault_domain::sharing::{Group, Invitation, Member, Membership};
use printvault_domain::Clash;
use printvault_domain::Error;
use printvault_domain::Thing;

use super::*;
use crate::dynamo::item_with_key;
use crate::keys;

impl SharingStore {
    /// Creates a group with its owner as the first member.
    pub async fn create_group(&self, group: &Group, owner: &Member) -> Result<(), Error> {
        let t = &self.table;
        let gp = group_pk(&group.group_id);
        let items = vec![
            put(
                t,
                item_with_key(group, gp.clone(), "META".into())?,
                Some("attribute_not_exists(pk)"),
            )?,
            put(t, item_with_key(owner, gp, member_sk(&owner.customer_id))?, None)?,
            put(
                t,
                item_with_key(
                    &Membership {
                        group_id: group.group_id.clone(),
                        name: group.name.clone(),
                    },
                    keys::customer_pk(&owner.customer_id),
                    membership_sk(&group.group_id),
                )?,
                None,
            )?,
        ];
        self.transact(
            items,
            "creating a group",
            Error::Conflict(Clash::Exists(Thing::Group)),
        )
        .await
    }

    pub async fn group(&self, g: &GroupId) -> Result<Option<Group>, Error> {
        self.get(group_pk(g), "META".into()).await
    }

    pub async fn groups_of(&self, c: &CustomerId) -> Result<Vec<Membership>, Error> {
        self.query(keys::customer_pk(c), "GROUP#").await
    }

    pub async fn members(&self, g: &GroupId) -> Result<Vec<Member>, Error> {
        self.query(group_pk(g), "MEMBER#").await
    }

    pub async fn is_member(&self, g: &GroupId, c: &CustomerId) -> Result<bool, Error> {
        Ok(self.get::<Member>(group_pk(g), member_sk(c)).await?.is_some())
    }

    /// True when `a` and `b` share a party group (M3).
    pub async fn same_group(&self, a: &CustomerId, b: &CustomerId) -> Result<bool, Error> {
        let mine = self.groups_of(a).await?;
        if mine.is_empty() {
            return Ok(false);
        }
        let theirs = self.groups_of(b).await?;
        Ok(mine
            .iter()
            .any(|m| theirs.iter().any(|t| t.group_id == m.group_id)))
    }

    pub async fn invite(&self, inv: &Invitation) -> Result<(), Error> {
        let t = &self.table;
        // `ttl`: the table's TTL attribute, so lapsed invitations go away.
        let with_ttl = |mut item: crate::dynamo::Item| {
            item.insert(
                "ttl".into(),
                aws_sdk_dynamodb::types::AttributeValue::N(inv.expires_at.unix().to_string()),
            );
            item
        };
        let items = vec![
            put(
                t,
                with_ttl(item_with_key(
                    inv,
                    group_pk(&inv.group_id),
                    invite_sk(&inv.email),
                )?),
                None,
            )?,
            put(
                t,
                with_ttl(item_with_key(
                    inv,
                    invite_pk(&inv.email),
                    membership_sk(&inv.group_id),
                )?),
                None,
            )?,
        ];
        self.transact(items, "inviting to a group", Error::Conflict(Clash::Raced))
            .await
    }

    pub async fn invitations_for(&self, email: &str) -> Result<Vec<Invitation>, Error> {
        self.query(invite_pk(email), "GROUP#").await
    }

    /// The invitation of `email` to `g`, if there is one (open or lapsed).
    pub async fn invitation(&self, g: &GroupId, email: &str) -> Result<Option<Invitation>, Error> {
        self.get(group_pk(g), invite_sk(email)).await
    }

    /// Open invitations of a group, counted up to `at_most`.
    pub async fn open_invitations(&self, g: &GroupId, now: i64, at_most: u32) -> Result<u32, Error> {
        let pk = group_pk(g);
        let n = crate::dynamo::count_prefix(&self.db, &self.table, &pk, "INVITE#", None, at_most)
            .await
            .context("counting invitations")?;
        // Lapsed ones linger until TTL: count them out only when it matters.
        if n < at_most {
            return Ok(n);
        }
        let open = self
            .query::<Invitation>(pk, "INVITE#")
            .await?
            .into_iter()
            .filter(|i| i.expires_at.unix() > now)
            .count();
        Ok(open as u32)
    }

    /// Turns the invitation of `member.email` into a membership.
    /// Errors: `NotFound` when there is no such invitation.
    pub async fn accept(&self, group: &Group, member: &Member) -> Result<(), Error> {
        let t = &self.table;
        let gp = group_pk(&group.group_id);
        let items = vec![
            delete(
                t,
                invite_pk(&member.email),
                membership_sk(&group.group_id),
                Some("attribute_exists(pk)"),
            )?,
            delete(t, gp.clone(), invite_sk(&member.email), None)?,
            put(
                t,
                item_with_key(member, gp, member_sk(&member.customer_id))?,
                None,
            )?,
            put(
                t,
                item_with_key(
                    &Membership {
                        group_id: group.group_id.clone(),
                        name: group.name.clone(),
                    },
                    keys::customer_pk(&member.customer_id),
                    membership_sk(&group.group_id),
                )?,
                None,
            )?,
        ];
        self.transact(
            items,
            "accepting an invitation",
            Error::NotFound(Thing::Invitation),
        )
        .await
    }

    /// Ends a membership at once (leaving, or removal by the owner).
    pub async fn remove_member(&self, g: &GroupId, c: &CustomerId) -> Result<(), Error> {
        let t = &self.table;
        let items = vec![
            delete(t, group_pk(g), member_sk(c), Some("attribute_exists(pk)"))?,
            delete(t, keys::customer_pk(c), membership_sk(g), None)?,
        ];
        self.transact(items, "removing a member", Error::NotFound(Thing::Member))
            .await
    }

    // ----------------------------------------------------------------- grants
}
