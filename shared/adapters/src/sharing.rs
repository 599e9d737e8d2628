//! The sharing table: party groups (M3), image grants (M13) and share links (X4).
//!
//! | pk                    | sk                               | holds                          |
//! |-----------------------|----------------------------------|--------------------------------|
//! | `GROUP#<group>`       | `META`                           | name, owner                    |
//! | `GROUP#<group>`       | `MEMBER#<customer>`              | a member                       |
//! | `CUST#<customer>`     | `GROUP#<group>`                  | the customer's groups          |
//! | `GROUP#<group>`       | `INVITE#<email>`                 | an open invitation             |
//! | `INVITE#<email>`      | `GROUP#<group>`                  | the invitations an email holds |
//! | `GRANT#<target>`      | `TO#<grantee>`                   | a grant (checked per request)  |
//! | `CUST#<owner>`        | `GRANTOUT#<target>#<grantee>`    | grants the owner gave          |
//! | `CUST#<grantee>`      | `GRANTIN#<target>`               | grants the grantee holds       |
//!
//! A target is `IMG#<image>` or `ALBUM#<album>`.
//! | `LINK#<sha256(token)>`| `LINK`                           | a share link                   |
//! | `CUST#<owner>`        | `LINKOUT#<link>`                 | the owner's links              |
//!
//! Every change that touches more than one item is one transaction, so a
//! revocation is never half done.

use anyhow::Context;
use aws_sdk_dynamodb::types::{Delete, Put, TransactWriteItem};
use printvault_domain::ids::{AlbumId, CustomerId, GroupId, ImageId, LinkId};
use printvault_domain::Error;
use serde::{de::DeserializeOwned, Deserialize, Serialize};

use crate::dynamo::{is_transaction_condition_failure, item_with_key, key, query_prefix, Item};
use crate::keys;

#[derive(Clone, Debug)]
pub struct SharingStore {
    db: aws_sdk_dynamodb::Client,
    table: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Group {
    pub group_id: GroupId,
    pub name: String,
    pub owner: CustomerId,
    pub created_at: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Member {
    pub group_id: GroupId,
    pub customer_id: CustomerId,
    pub email: String,
    pub joined_at: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Invitation {
    pub group_id: GroupId,
    pub group_name: String,
    pub email: String,
    pub invited_by: CustomerId,
    pub invited_at: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Membership {
    pub group_id: GroupId,
    pub name: String,
}

/// What a grant or a link opens: one image, or one album.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "id", rename_all = "lowercase")]
pub enum Target {
    Image(ImageId),
    Album(AlbumId),
}

impl Target {
    fn key(&self) -> String {
        match self {
            Target::Image(i) => format!("IMG#{i}"),
            Target::Album(a) => format!("ALBUM#{a}"),
        }
    }
}

/// A grant of one image or one album to one named customer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Grant {
    pub target: Target,
    pub owner: CustomerId,
    pub grantee: CustomerId,
    pub grantee_email: String,
    pub created_at: String,
}

/// A share link. The token itself is never stored, only its SHA-256.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Link {
    pub link_id: LinkId,
    pub owner: CustomerId,
    pub target: Target,
    /// Unix seconds; the link answers 404 from then on.
    pub expires_at: i64,
    pub allow_original: bool,
    pub created_at: String,
    /// The storage key of the token (not the token).
    pub digest: String,
}

fn put(table: &str, item: Item, condition: Option<&str>) -> anyhow::Result<TransactWriteItem> {
    let p = Put::builder()
        .table_name(table)
        .set_item(Some(item))
        .set_condition_expression(condition.map(str::to_owned))
        .build()?;
    Ok(TransactWriteItem::builder().put(p).build())
}

fn delete(table: &str, pk: String, sk: String, condition: Option<&str>) -> anyhow::Result<TransactWriteItem> {
    let d = Delete::builder()
        .table_name(table)
        .set_key(Some(key(pk, sk)))
        .set_condition_expression(condition.map(str::to_owned))
        .build()?;
    Ok(TransactWriteItem::builder().delete(d).build())
}

fn group_pk(g: &GroupId) -> String {
    format!("GROUP#{g}")
}
fn member_sk(c: &CustomerId) -> String {
    format!("MEMBER#{c}")
}
fn membership_sk(g: &GroupId) -> String {
    format!("GROUP#{g}")
}
fn invite_sk(email: &str) -> String {
    format!("INVITE#{email}")
}
fn invite_pk(email: &str) -> String {
    format!("INVITE#{email}")
}
fn grant_pk(t: &Target) -> String {
    format!("GRANT#{}", t.key())
}
fn grant_sk(c: &CustomerId) -> String {
    format!("TO#{c}")
}
fn grant_out_sk(t: &Target, c: &CustomerId) -> String {
    format!("GRANTOUT#{}#{c}", t.key())
}
fn grant_in_sk(t: &Target) -> String {
    format!("GRANTIN#{}", t.key())
}
fn link_pk(digest: &str) -> String {
    format!("LINK#{digest}")
}
fn link_out_sk(l: &LinkId) -> String {
    format!("LINKOUT#{l}")
}

impl SharingStore {
    pub fn new(db: aws_sdk_dynamodb::Client, table: impl Into<String>) -> Self {
        Self {
            db,
            table: table.into(),
        }
    }

    async fn transact(
        &self,
        items: Vec<TransactWriteItem>,
        what: &str,
        conflict: Error,
    ) -> Result<(), Error> {
        match self
            .db
            .transact_write_items()
            .set_transact_items(Some(items))
            .send()
            .await
        {
            Ok(_) => Ok(()),
            Err(e) if is_transaction_condition_failure(&e) => Err(conflict),
            Err(e) => Err(anyhow::Error::from(e).context(what.to_owned()).into()),
        }
    }

    async fn get<T: DeserializeOwned>(&self, pk: String, sk: String) -> Result<Option<T>, Error> {
        let out = self
            .db
            .get_item()
            .table_name(&self.table)
            .set_key(Some(key(pk, sk)))
            .consistent_read(true)
            .send()
            .await
            .context("reading the sharing table")?;
        out.item
            .map(|i| serde_dynamo::from_item(i).context("decoding a sharing item"))
            .transpose()
            .map_err(Error::from)
    }

    /// Every item of a partition whose sort key starts with `prefix`.
    async fn query<T: DeserializeOwned>(&self, pk: String, prefix: &str) -> Result<Vec<T>, Error> {
        Ok(query_prefix(&self.db, &self.table, &pk, prefix)
            .await
            .context("querying the sharing table")?)
    }

    // ----------------------------------------------------------------- groups

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
            Error::Conflict("the group already exists".into()),
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
        let items = vec![
            put(
                t,
                item_with_key(inv, group_pk(&inv.group_id), invite_sk(&inv.email))?,
                None,
            )?,
            put(
                t,
                item_with_key(inv, invite_pk(&inv.email), membership_sk(&inv.group_id))?,
                None,
            )?,
        ];
        self.transact(
            items,
            "inviting to a group",
            Error::Conflict("invitation clash".into()),
        )
        .await
    }

    pub async fn invitations_for(&self, email: &str) -> Result<Vec<Invitation>, Error> {
        self.query(invite_pk(email), "GROUP#").await
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
        self.transact(items, "accepting an invitation", Error::NotFound("invitation"))
            .await
    }

    /// Ends a membership at once (leaving, or removal by the owner).
    pub async fn remove_member(&self, g: &GroupId, c: &CustomerId) -> Result<(), Error> {
        let t = &self.table;
        let items = vec![
            delete(t, group_pk(g), member_sk(c), Some("attribute_exists(pk)"))?,
            delete(t, keys::customer_pk(c), membership_sk(g), None)?,
        ];
        self.transact(items, "removing a member", Error::NotFound("member"))
            .await
    }

    // ----------------------------------------------------------------- grants

    pub async fn grant(&self, g: &Grant) -> Result<(), Error> {
        let t = &self.table;
        let items = vec![
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
        ];
        self.transact(items, "granting an image", Error::Conflict("grant clash".into()))
            .await
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
        for g in self.query::<Grant>(grant_pk(target), "TO#").await? {
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

    pub async fn grants_received(&self, grantee: &CustomerId) -> Result<Vec<Grant>, Error> {
        self.query(keys::customer_pk(grantee), "GRANTIN#").await
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
        self.transact(items, "revoking a grant", Error::NotFound("grant"))
            .await
    }

    // ------------------------------------------------------------------ links

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
        self.transact(items, "creating a link", Error::Conflict("link clash".into()))
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
            .ok_or(Error::NotFound("link"))?;
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
        self.transact(items, "revoking a link", Error::NotFound("link"))
            .await
    }
}

/// M4: an owner lets one named customer read their profile, or chosen fields.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProfileShare {
    pub owner: CustomerId,
    pub reader: CustomerId,
    pub reader_email: String,
    /// The profile fields the reader may see.
    pub fields: Vec<String>,
    pub created_at: String,
}

fn profile_share_pk(owner: &CustomerId) -> String {
    format!("PROFILESHARE#{owner}")
}
fn profile_in_sk(owner: &CustomerId) -> String {
    format!("PROFILEIN#{owner}")
}

impl SharingStore {
    /// Creates or replaces the share of `owner`'s profile with `reader`.
    pub async fn share_profile(&self, p: &ProfileShare) -> Result<(), Error> {
        let t = &self.table;
        let items = vec![
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
        ];
        self.transact(
            items,
            "sharing a profile",
            Error::Conflict("profile share clash".into()),
        )
        .await
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
        self.transact(items, "unsharing a profile", Error::NotFound("profile share"))
            .await
    }
}
