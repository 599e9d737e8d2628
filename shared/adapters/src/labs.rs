//! Labs and output locations, in the orders table.
//!
//! | pk                 | sk          | holds                                       |
//! |--------------------|-------------|---------------------------------------------|
//! | `LAB#<lab>`        | `LAB`       | the lab: name, locations, key digest        |
//! | `LOCATION#<loc>`   | `LOCATION`  | which lab prints for this location          |
//! | `LABKEY#<digest>`  | `LABKEY`    | which lab holds this reporting key          |
//! | `LABS`             | `LAB#<lab>` | the lab as the catalogue lists it: no key   |
//!
//! `LABS` is one partition of every lab (tens of them), so the public
//! catalogue lists every output location with one Query, never a Scan. A
//! lab's entry is written in the transaction that registers it, whole, so
//! a location it no longer serves leaves the catalogue with it.
//!
//! A location belongs to one lab: registering it for a second lab is refused.
//! A lab has one key at a time: rotating it puts the new digest and deletes
//! the old one in the transaction that changes the lab's record.

use printvault_domain::lab::{Lab, ListedLab};
use printvault_domain::order::Slug;
use printvault_domain::Error;
use printvault_domain::{Clash, Rule};
use serde::{Deserialize, Serialize};

use crate::dynamo::{delete, item_with_key, put, query_prefix, transact_checked, MAX_TRANSACTION_ITEMS};

#[derive(Clone, Debug)]
pub struct LabStore {
    db: aws_sdk_dynamodb::Client,
    table: String,
}

#[derive(Serialize, Deserialize)]
struct LabRef {
    lab_id: Slug,
}

fn lab_pk(l: &Slug) -> String {
    format!("LAB#{l}")
}
fn location_pk(l: &Slug) -> String {
    format!("LOCATION#{l}")
}
fn key_pk(digest: &str) -> String {
    format!("LABKEY#{digest}")
}
/// The partition of the catalogue's list of labs.
const LISTING_PK: &str = "LABS";
fn listing_sk(l: &Slug) -> String {
    format!("LAB#{l}")
}

/// What registering a lab did.
#[derive(Debug, PartialEq, Eq)]
pub enum Registered {
    Created,
    Updated,
}

impl LabStore {
    pub fn new(db: aws_sdk_dynamodb::Client, table: impl Into<String>) -> Self {
        Self {
            db,
            table: table.into(),
        }
    }

    async fn get<T: serde::de::DeserializeOwned>(&self, pk: String, sk: &str) -> Result<Option<T>, Error> {
        crate::dynamo::get_one(&self.db, &self.table, pk, sk, "a lab").await
    }

    pub async fn lab(&self, id: &Slug) -> Result<Option<Lab>, Error> {
        self.get(lab_pk(id), "LAB").await
    }

    /// The lab printing for `location`.
    pub async fn lab_for(&self, location: &Slug) -> Result<Option<Slug>, Error> {
        Ok(self
            .get::<LabRef>(location_pk(location), "LOCATION")
            .await?
            .map(|r| r.lab_id))
    }

    /// The lab holding the reporting key with this digest.
    pub async fn lab_by_key(&self, digest: &str) -> Result<Option<Slug>, Error> {
        Ok(self
            .get::<LabRef>(key_pk(digest), "LABKEY")
            .await?
            .map(|r| r.lab_id))
    }

    /// Every lab as the catalogue lists it: one Query of the `LABS`
    /// partition, in lab ID order.
    pub async fn listed(&self) -> Result<Vec<ListedLab>, Error> {
        use anyhow::Context;
        Ok(query_prefix(&self.db, &self.table, LISTING_PK, "LAB#")
            .await
            .context("listing the labs")?)
    }

    /// Creates `lab`, or replaces its name and locations (keeping its key)
    /// when `before` is its current record. One transaction: the lab, its
    /// catalogue entry (replaced whole), each location claimed (refused if
    /// another lab holds it), each location it no longer serves released.
    pub async fn register(&self, lab: &Lab, before: Option<&Lab>) -> Result<Registered, Error> {
        let t = &self.table;
        let id_ref = || LabRef {
            lab_id: lab.lab_id.clone(),
        };
        let mut items = vec![match before {
            None => put(
                t,
                item_with_key(lab, lab_pk(&lab.lab_id), "LAB".into())?,
                Some("attribute_not_exists(pk)"),
            )?,
            Some(_) => put(
                t,
                item_with_key(lab, lab_pk(&lab.lab_id), "LAB".into())?,
                Some("attribute_exists(pk)"),
            )?,
        }];
        items.push(put(
            t,
            item_with_key(&lab.listed(), LISTING_PK.into(), listing_sk(&lab.lab_id))?,
            None,
        )?);
        if before.is_none() {
            items.push(put(
                t,
                item_with_key(&id_ref(), key_pk(&lab.key_digest), "LABKEY".into())?,
                Some("attribute_not_exists(pk)"),
            )?);
        }
        let claims_from = items.len();
        let me = aws_sdk_dynamodb::types::AttributeValue::S(lab.lab_id.to_string());
        for l in &lab.locations {
            let mut p = put(
                t,
                item_with_key(&id_ref(), location_pk(l), "LOCATION".into())?,
                None,
            )?;
            if let Some(put) = p.put.as_mut() {
                put.condition_expression = Some("attribute_not_exists(pk) OR lab_id = :me".into());
                put.expression_attribute_values = Some([(":me".to_owned(), me.clone())].into());
            }
            items.push(p);
        }
        let claims_to = items.len();
        for gone in before
            .map(|b| b.locations.as_slice())
            .unwrap_or_default()
            .iter()
            .filter(|l| !lab.locations.contains(l))
        {
            let mut d = delete(t, location_pk(gone), "LOCATION".into(), Some("lab_id = :me"))?;
            if let Some(del) = d.delete.as_mut() {
                del.expression_attribute_values = Some([(":me".to_owned(), me.clone())].into());
            }
            items.push(d);
        }
        if items.len() > MAX_TRANSACTION_ITEMS {
            let fixed = claims_from;
            return Err(Error::rule(
                "locations",
                Rule::LocationChanges {
                    serves: claims_to - claims_from,
                    drops: items.len() - claims_to,
                    most: MAX_TRANSACTION_ITEMS - fixed,
                },
            ));
        }
        let registered = if before.is_some() {
            Registered::Updated
        } else {
            Registered::Created
        };
        match transact_checked(&self.db, items, "registering a lab").await? {
            Ok(()) => Ok(registered),
            Err(failed) => match (claims_from..claims_to).find(|i| failed.get(*i) == Some(&true)) {
                Some(i) => Err(Error::Conflict(Clash::LocationTaken(
                    lab.locations[i - claims_from].as_str().to_owned(),
                ))),
                None => Err(Error::Conflict(Clash::Raced)),
            },
        }
    }

    /// Gives `lab` (its record as read, holding `old_digest`) the key with
    /// digest `lab.key_digest` and retires the old key, in one transaction:
    /// the lab's record, on the condition that it still holds the old key
    /// (two rotations at once: one wins, the other is a 409); the new key's
    /// item (absent before); the old key's item, deleted.
    pub async fn rotate_key(&self, lab: &Lab, old_digest: &str) -> Result<(), Error> {
        let t = &self.table;
        let mut record = put(
            t,
            item_with_key(lab, lab_pk(&lab.lab_id), "LAB".into())?,
            Some("key_digest = :old"),
        )?;
        if let Some(p) = record.put.as_mut() {
            p.expression_attribute_values = Some(
                [(
                    ":old".to_owned(),
                    aws_sdk_dynamodb::types::AttributeValue::S(old_digest.to_owned()),
                )]
                .into(),
            );
        }
        let items = vec![
            record,
            put(
                t,
                item_with_key(
                    &LabRef {
                        lab_id: lab.lab_id.clone(),
                    },
                    key_pk(&lab.key_digest),
                    "LABKEY".into(),
                )?,
                Some("attribute_not_exists(pk)"),
            )?,
            delete(t, key_pk(old_digest), "LABKEY".into(), None)?,
        ];
        match transact_checked(&self.db, items, "rotating a lab's key").await? {
            Ok(()) => Ok(()),
            Err(_) => Err(Error::Conflict(Clash::Raced)),
        }
    }
}
