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
//! | `GRANT#<target>`      | `WAIT#<email>`                   | a grant waiting for an address |
//! | `CUST#<owner>`        | `GRANTWAIT#<target>#<email>`     | waiting grants the owner gave  |
//! | `WAIT#<email>`        | `GRANT#<target>`                 | what waits for an address      |
//! | `PROFILESHARE#<owner>`| `WAIT#<email>`                   | a waiting profile share        |
//! | `WAIT#<email>`        | `PROFILE#<owner>`                | what waits for an address      |
//!
//! A target is `IMG#<image>` or `ALBUM#<album>`.
//! | `LINK#<sha256(token)>`| `LINK`                           | a share link                   |
//! | `CUST#<owner>`        | `LINKOUT#<link>`                 | the owner's links              |
//!
//! Every change that touches more than one item is one transaction, so a
//! revocation is never half done.

use anyhow::Context;
use aws_sdk_dynamodb::types::TransactWriteItem;
use printvault_domain::ids::{CustomerId, GroupId, LinkId};
use printvault_domain::sharing::Target;
use printvault_domain::Error;
use serde::de::DeserializeOwned;

use crate::dynamo::{delete, key, put, query_prefix};

mod grants;
mod groups;
mod links;
mod profiles;
mod waiting;

#[derive(Clone, Debug)]
pub struct SharingStore {
    db: aws_sdk_dynamodb::Client,
    table: String,
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
    format!("GRANT#{}", target_key(t))
}
fn grant_sk(c: &CustomerId) -> String {
    format!("TO#{c}")
}
fn grant_out_sk(t: &Target, c: &CustomerId) -> String {
    format!("GRANTOUT#{}#{c}", target_key(t))
}
fn grant_in_sk(t: &Target) -> String {
    format!("GRANTIN#{}", target_key(t))
}
fn link_pk(digest: &str) -> String {
    format!("LINK#{digest}")
}
fn link_out_sk(l: &LinkId) -> String {
    format!("LINKOUT#{l}")
}

/// A target's part of a key: `IMG#<image>` or `ALBUM#<album>`.
fn target_key(t: &Target) -> String {
    match t {
        Target::Image(i) => format!("IMG#{i}"),
        Target::Album(a) => format!("ALBUM#{a}"),
    }
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
        if crate::dynamo::transact(&self.db, items, what).await? {
            Ok(())
        } else {
            Err(conflict)
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
}
