//! A delivery address, as labs' APIs take one: each part checked for length
//! and for control characters, so that a job sheet or a label can print it.

use crate::{Form, Problem};
use serde::{Deserialize, Serialize};

use crate::Error;

/// Where the prints go, or who collects them at a store.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Address {
    /// The recipient's name, 1 to 100 characters.
    pub name: String,
    /// 1 to 16 characters.
    pub postal_code: String,
    /// Prefecture or state, 1 to 100 characters.
    pub region: String,
    /// City or ward, 1 to 100 characters.
    pub locality: String,
    /// Street and building, 1 to 200 characters.
    pub street: String,
    /// ISO 3166-1 alpha-2; `JP` when absent.
    #[serde(default = "japan")]
    pub country: String,
    /// Up to 30 characters, for the carrier.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
}

fn japan() -> String {
    "JP".into()
}

impl Address {
    pub fn validate(&self) -> Result<(), Error> {
        let part = |value: &str, field: &'static str, max: usize| {
            let n = value.trim().chars().count();
            if n == 0 || n > max || value.chars().any(char::is_control) {
                return Err(Error::invalid(field, Problem::Text { min: 1, max }));
            }
            Ok(())
        };
        part(&self.name, "address.name", 100)?;
        part(&self.postal_code, "address.postal_code", 16)?;
        part(&self.region, "address.region", 100)?;
        part(&self.locality, "address.locality", 100)?;
        part(&self.street, "address.street", 200)?;
        if self.country.len() != 2 || !self.country.bytes().all(|b| b.is_ascii_uppercase()) {
            return Err(Error::invalid("address.country", Problem::Form(Form::Country)));
        }
        if let Some(p) = &self.phone {
            part(p, "address.phone", 30)?;
        }
        Ok(())
    }
}
