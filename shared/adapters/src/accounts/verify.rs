//! Address verification: a pending registration or email change waits under
//! the SHA-256 of its single-use code until the code comes back (or it
//! expires). Using the code writes the account's new state and deletes the
//! pending item in one transaction, so a code works once.

use anyhow::Context;
use aws_sdk_dynamodb::types::{AttributeValue, Delete, Put, TransactWriteItem, Update};
use printvault_domain::account::{Email, PasswordHash};
use printvault_domain::ids::CustomerId;
use printvault_domain::Error;
use printvault_domain::{Clash, Rule};
use serde::{Deserialize, Serialize};

use super::{AccountStore, Customer, EmailClaim};
use crate::dynamo::{failed_conditions, item_with_key, key, write_failed, Item};
use crate::keys;

/// What a code confirms.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "purpose", rename_all = "snake_case")]
pub enum Pending {
    /// A new account with this password (argon2id hash).
    Register { password_hash: String },
    /// An existing account moving to the address.
    ChangeEmail { customer_id: CustomerId },
}

/// A pending verification of `email`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PendingVerification {
    pub email: Email,
    #[serde(flatten)]
    pub pending: Pending,
    /// Unix seconds; also the table's TTL attribute.
    pub expires_at: i64,
}

/// What using a code did.
#[derive(Debug, Clone)]
pub enum Verified {
    Registered(Customer),
    EmailChanged(Customer),
}

fn used() -> Error {
    Error::rule("code", Rule::UnknownCode)
}

fn taken() -> Error {
    Error::Conflict(Clash::EmailTaken)
}

fn tx_put(table: &str, item: Item, cond: &str) -> anyhow::Result<TransactWriteItem> {
    let p = Put::builder()
        .table_name(table)
        .set_item(Some(item))
        .condition_expression(cond)
        .build()?;
    Ok(TransactWriteItem::builder().put(p).build())
}

impl AccountStore {
    /// Stores a pending verification under the digest of its code.
    pub async fn put_verification(&self, digest: &str, v: &PendingVerification) -> Result<(), Error> {
        self.put(
            v,
            keys::verification_pk(digest),
            keys::VERIFICATION_SK,
            "storing a verification",
        )
        .await
    }

    /// The pending verification of a code, if it is live at `now`.
    pub async fn verification(&self, digest: &str, now: i64) -> Result<Option<PendingVerification>, Error> {
        let v: Option<PendingVerification> = self
            .get(
                keys::verification_pk(digest),
                keys::VERIFICATION_SK,
                "a verification",
            )
            .await?;
        Ok(v.filter(|v| v.expires_at > now))
    }

    fn use_code(&self, digest: &str) -> anyhow::Result<TransactWriteItem> {
        let d = Delete::builder()
            .table_name(&self.table)
            .set_key(Some(key(keys::verification_pk(digest), keys::VERIFICATION_SK)))
            .condition_expression("attribute_exists(pk)")
            .build()?;
        Ok(TransactWriteItem::builder().delete(d).build())
    }

    /// Creates the customer, claims its verified email and uses the code, in
    /// one transaction. Errors: `Invalid` when the code was used meanwhile,
    /// `Conflict` when another account took the address first.
    pub async fn complete_registration(
        &self,
        digest: &str,
        customer: &Customer,
        hash: &PasswordHash,
    ) -> Result<(), Error> {
        let claim = EmailClaim {
            customer_id: customer.customer_id.clone(),
            password_hash: hash.0.clone(),
        };
        let email_pk = keys::email_pk(customer.email.as_str());
        let cust_pk = keys::customer_pk(&customer.customer_id);
        let items = vec![
            self.use_code(digest)?,
            tx_put(
                &self.table,
                item_with_key(&claim, email_pk, keys::EMAIL_SK.into())?,
                "attribute_not_exists(pk)",
            )?,
            tx_put(
                &self.table,
                item_with_key(customer, cust_pk, keys::PROFILE_SK.into())?,
                "attribute_not_exists(pk)",
            )?,
        ];
        self.run(items, "registering a customer").await
    }

    /// Moves `customer` from its current address to `new`, carrying the
    /// password over, and uses the code, in one transaction.
    pub async fn complete_email_change(
        &self,
        digest: &str,
        customer: &Customer,
        new: &Email,
    ) -> Result<(), Error> {
        let (owner, hash) = self
            .credentials(&customer.email)
            .await?
            .ok_or_else(|| anyhow::anyhow!("customer {} has no email claim", customer.customer_id))?;
        if owner != customer.customer_id {
            return Err(anyhow::anyhow!(
                "the email claim of {} names another customer",
                customer.customer_id
            )
            .into());
        }
        let claim = EmailClaim {
            customer_id: customer.customer_id.clone(),
            password_hash: hash.0,
        };
        let c = AttributeValue::S(customer.customer_id.to_string());
        let drop_old = Delete::builder()
            .table_name(&self.table)
            .set_key(Some(key(keys::email_pk(customer.email.as_str()), keys::EMAIL_SK)))
            .condition_expression("customer_id = :c")
            .expression_attribute_values(":c", c)
            .build()
            .context("building the old claim's delete")?;
        let move_customer = Update::builder()
            .table_name(&self.table)
            .set_key(Some(key(
                keys::customer_pk(&customer.customer_id),
                keys::PROFILE_SK,
            )))
            .update_expression("SET email = :new")
            .condition_expression("email = :old")
            .expression_attribute_values(":new", AttributeValue::S(new.to_string()))
            .expression_attribute_values(":old", AttributeValue::S(customer.email.to_string()))
            .build()
            .context("building the customer's update")?;
        let items = vec![
            self.use_code(digest)?,
            tx_put(
                &self.table,
                item_with_key(&claim, keys::email_pk(new.as_str()), keys::EMAIL_SK.into())?,
                "attribute_not_exists(pk)",
            )?,
            TransactWriteItem::builder().delete(drop_old).build(),
            TransactWriteItem::builder().update(move_customer).build(),
        ];
        self.run(items, "changing an email address").await
    }

    /// Runs a verification transaction whose first item uses the code and
    /// whose second claims the address.
    async fn run(&self, items: Vec<TransactWriteItem>, what: &str) -> Result<(), Error> {
        match self
            .db
            .transact_write_items()
            .set_transact_items(Some(items))
            .send()
            .await
        {
            Ok(_) => Ok(()),
            Err(e) => match failed_conditions(&e) {
                Some(failed) if failed[0] => Err(used()),
                Some(failed) if failed.get(1) == Some(&true) => Err(taken()),
                Some(_) => Err(Error::Conflict(Clash::Raced)),
                None => Err(write_failed(e, what)),
            },
        }
    }
}
