//! The accounts table: customers, email claims (with the password hash) and
//! sessions.
//!
//! | pk                 | sk        | holds                              |
//! |--------------------|-----------|------------------------------------|
//! | `EMAIL#<email>`    | `EMAIL`   | customer ID, argon2id hash         |
//! | `CUST#<customer>`  | `PROFILE` | email, created_at, profile (M2)    |
//! | `SESSION#<sha256>` | `SESSION` | customer ID, `expires_at` (TTL)    |
//! | `VERIFY#<sha256>`  | `VERIFY`  | a pending address, `expires_at` (TTL) |
//! | `NLINK#<sha256>`   | `NLINK`   | a notice's thumbnail link, `expires_at` (TTL) ([`notice_links`]) |
//! | `MAILFLAG`         | `<notice id>` | the notifier's flag of a bounce or complaint, for operators ([`mail_flags`]) |
//! | `MAILCOUNT#<sha256>` | `HOUR#<n>`, `DAY#<n>` | mails sent to one address in an hour and a day, `expires_at` (TTL) ([`mail_limits`]) |
//!
//! An account exists only once its address is verified ([`verify`]): the
//! email claim and the customer are written together, by the code that
//! proves the address.

use anyhow::Context;
use aws_sdk_dynamodb::types::AttributeValue;
use printvault_domain::account::{Email, PasswordHash};
use printvault_domain::ids::CustomerId;
use printvault_domain::profile::Profile;
use printvault_domain::when::Timestamp;
use printvault_domain::Error;
use serde::{Deserialize, Serialize};

use crate::dynamo::{is_condition_failure, item_with_key, key, write_failed};
use crate::keys;

mod choices;
mod guessing;
pub mod mail_flags;
pub mod mail_limits;
pub mod notice_links;
mod verify;
pub use verify::{Pending, PendingVerification, Verified};

#[derive(Clone, Debug)]
pub struct AccountStore {
    db: aws_sdk_dynamodb::Client,
    table: String,
}

#[derive(Serialize, Deserialize)]
pub(crate) struct EmailClaim {
    customer_id: CustomerId,
    password_hash: String,
}

/// A customer record.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Customer {
    pub customer_id: CustomerId,
    pub email: Email,
    pub created_at: Timestamp,
    #[serde(default)]
    pub profile: Profile,
    /// Bumped by every profile change, and checked by the next, so two
    /// concurrent changes never overwrite each other.
    #[serde(default)]
    pub profile_rev: u64,
    /// Which event notices (M28) the customer wants.
    #[serde(default)]
    pub anniversaries: printvault_domain::anniversary::Preferences,
    /// Their own archive thresholds (M29), tightening the operator's.
    #[serde(default)]
    pub archive: printvault_domain::archive::ArchivePrefs,
}

#[derive(Serialize, Deserialize)]
struct SessionItem {
    customer_id: CustomerId,
    /// Unix seconds. Also the table's TTL attribute, which only cleans up:
    /// expiry is checked on every read.
    expires_at: i64,
}

impl AccountStore {
    pub fn new(db: aws_sdk_dynamodb::Client, table: impl Into<String>) -> Self {
        Self {
            db,
            table: table.into(),
        }
    }

    /// One item, decoded; `None` when there is none.
    async fn get<T: serde::de::DeserializeOwned>(
        &self,
        pk: String,
        sk: &str,
        what: &str,
    ) -> Result<Option<T>, Error> {
        crate::dynamo::get_one(&self.db, &self.table, pk, sk, what).await
    }

    /// Writes `value` as the item `pk`/`sk`, unconditionally.
    async fn put<T: Serialize>(&self, value: &T, pk: String, sk: &str, what: &str) -> Result<(), Error> {
        let item = item_with_key(value, pk, sk.to_owned())?;
        self.db
            .put_item()
            .table_name(&self.table)
            .set_item(Some(item))
            .send()
            .await
            .map_err(|e| write_failed(e, what))?;
        Ok(())
    }

    /// The customer and password hash registered for `email`, if any.
    pub async fn credentials(&self, email: &Email) -> Result<Option<(CustomerId, PasswordHash)>, Error> {
        let claim: Option<EmailClaim> = self
            .get(keys::email_pk(email.as_str()), keys::EMAIL_SK, "an email claim")
            .await?;
        Ok(claim.map(|c| (c.customer_id, PasswordHash(c.password_hash))))
    }

    pub async fn customer(&self, id: &CustomerId) -> Result<Option<Customer>, Error> {
        self.get(keys::customer_pk(id), keys::PROFILE_SK, "a customer")
            .await
    }

    /// Replaces the profile of `before`, an existing customer as read, if no
    /// other change was saved since; `false` (nothing written) otherwise.
    pub async fn put_profile(&self, before: &Customer, profile: &Profile) -> Result<bool, Error> {
        let value = serde_dynamo::to_attribute_value(profile).context("encoding a profile")?;
        let res = self
            .db
            .update_item()
            .table_name(&self.table)
            .set_key(Some(key(
                keys::customer_pk(&before.customer_id),
                keys::PROFILE_SK,
            )))
            .update_expression("SET #p = :p, #r = :next")
            .condition_expression(if before.profile_rev == 0 {
                "attribute_exists(pk) AND (attribute_not_exists(#r) OR #r = :rev)"
            } else {
                "attribute_exists(pk) AND #r = :rev"
            })
            .expression_attribute_names("#p", "profile")
            .expression_attribute_names("#r", "profile_rev")
            .expression_attribute_values(":p", value)
            .expression_attribute_values(":rev", AttributeValue::N(before.profile_rev.to_string()))
            .expression_attribute_values(":next", AttributeValue::N((before.profile_rev + 1).to_string()))
            .send()
            .await;
        match res {
            Ok(_) => Ok(true),
            Err(e) if is_condition_failure(&e) => Ok(false),
            Err(e) => Err(write_failed(e, "writing a profile")),
        }
    }

    pub async fn create_session(
        &self,
        digest: &str,
        customer: &CustomerId,
        expires_at: i64,
    ) -> Result<(), Error> {
        let session = SessionItem {
            customer_id: customer.clone(),
            expires_at,
        };
        self.put(
            &session,
            keys::session_pk(digest),
            keys::SESSION_SK,
            "writing a session",
        )
        .await
    }

    /// The customer of a live session; `None` when unknown or expired at `now`.
    pub async fn session(&self, digest: &str, now: i64) -> Result<Option<CustomerId>, Error> {
        let s: Option<SessionItem> = self
            .get(keys::session_pk(digest), keys::SESSION_SK, "a session")
            .await?;
        Ok(s.filter(|s| s.expires_at > now).map(|s| s.customer_id))
    }

    pub async fn delete_session(&self, digest: &str) -> Result<(), Error> {
        self.db
            .delete_item()
            .table_name(&self.table)
            .set_key(Some(key(keys::session_pk(digest), keys::SESSION_SK)))
            .send()
            .await
            .map_err(|e| write_failed(e, "deleting a session"))?;
        Ok(())
    }
}
