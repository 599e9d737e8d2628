//! A customer's standing choices, kept on their record: which event
//! notices they want (M28), and their own archive thresholds (M29).

use printvault_domain::anniversary::Preferences;
use printvault_domain::archive::ArchivePrefs;
use printvault_domain::ids::CustomerId;
use printvault_domain::{Error, Thing};
use serde::Serialize;

use super::AccountStore;
use crate::dynamo::{is_condition_failure, key, write_failed};
use crate::keys;

impl AccountStore {
    /// Replaces `customer`'s choice of event notices. Refused (`NotFound`)
    /// for a customer that does not exist.
    pub async fn set_anniversary_preferences(
        &self,
        customer: &CustomerId,
        p: &Preferences,
    ) -> Result<(), Error> {
        self.set_choice(customer, "anniversaries", p, "saving notice preferences")
            .await
    }

    /// Replaces `customer`'s own archive thresholds. Refused (`NotFound`)
    /// for a customer that does not exist.
    pub async fn set_archive_preferences(
        &self,
        customer: &CustomerId,
        p: &ArchivePrefs,
    ) -> Result<(), Error> {
        self.set_choice(customer, "archive", p, "saving archive thresholds")
            .await
    }

    async fn set_choice(
        &self,
        customer: &CustomerId,
        attribute: &str,
        value: &impl Serialize,
        what: &str,
    ) -> Result<(), Error> {
        let value = serde_dynamo::to_attribute_value(value).map_err(anyhow::Error::from)?;
        let res = self
            .db
            .update_item()
            .table_name(&self.table)
            .set_key(Some(key(keys::customer_pk(customer), keys::PROFILE_SK)))
            .update_expression("SET #a = :a")
            .condition_expression("attribute_exists(pk)")
            .expression_attribute_names("#a", attribute)
            .expression_attribute_values(":a", value)
            .send()
            .await;
        match res {
            Ok(_) => Ok(()),
            Err(e) if is_condition_failure(&e) => Err(Error::NotFound(Thing::Customer)),
            Err(e) => Err(write_failed(e, what)),
        }
    }
}
