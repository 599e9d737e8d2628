//! Print labs (M21): who prints for which output locations. Each lab has
//! its own job queue and its own key for reporting; only the key's SHA-256
//! is stored.

use serde::{Deserialize, Serialize};

use crate::order::Slug;
use crate::Error;

/// A lab as the operator registers it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Lab {
    pub lab_id: Slug,
    pub name: String,
    /// The output locations it prints for: stores, or delivery areas.
    pub locations: Vec<Slug>,
    /// SHA-256 (hex) of the lab's reporting key.
    pub key_digest: String,
    /// The lab's FIFO job queue (M21), made when the lab is registered.
    #[serde(default)]
    pub queue_url: String,
    pub created_at: String,
}

/// The body of `PUT /v1/operator/labs/{lab_id}`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({"name": "Shibuya Photo Lab", "locations": ["tokyo-shibuya", "delivery-kanto"]})))]
pub struct LabRequest {
    /// 1 to 100 characters.
    pub name: String,
    /// 1 to 50 output locations, each printed by one lab only.
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<String>))]
    pub locations: Vec<Slug>,
}

impl LabRequest {
    pub fn validate(&self) -> Result<(), Error> {
        let n = self.name.trim().chars().count();
        if n == 0 || n > 100 || self.name.chars().any(char::is_control) {
            return Err(Error::invalid("name", "a lab's name is 1 to 100 characters"));
        }
        let mut seen = std::collections::HashSet::new();
        if self.locations.is_empty()
            || self.locations.len() > 50
            || !self.locations.iter().all(|l| seen.insert(l))
        {
            return Err(Error::invalid(
                "locations",
                "a lab prints for 1 to 50 distinct output locations",
            ));
        }
        Ok(())
    }
}
