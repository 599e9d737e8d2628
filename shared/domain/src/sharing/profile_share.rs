//! Profile shares (M4): one named customer may read chosen fields of a
//! customer's profile, until the owner revokes it.

use crate::when::Timestamp;
use crate::{Problem, Rule};
use serde::{Deserialize, Serialize};

use crate::ids::CustomerId;
use crate::Error;

/// The profile fields an owner can share.
pub const SHAREABLE: [&str; 5] = [
    "name",
    "contact_email",
    "postal_address",
    "birthday",
    "named_dates",
];

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProfileShare {
    pub owner: CustomerId,
    pub reader: CustomerId,
    pub reader_email: String,
    /// The profile fields the reader may see.
    pub fields: Vec<String>,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub created_at: Timestamp,
}

impl ProfileShare {
    /// A share of `fields` (all of them when absent) with `reader`, who is
    /// someone other than the owner.
    pub fn new(
        owner: CustomerId,
        reader: CustomerId,
        reader_email: String,
        fields: Option<Vec<String>>,
        created_at: Timestamp,
    ) -> Result<Self, Error> {
        if reader == owner {
            return Err(Error::rule("reader_email", Rule::OwnProfile));
        }
        Ok(Self {
            owner,
            reader,
            reader_email,
            fields: share_fields(fields)?,
            created_at,
        })
    }

    pub fn allows(&self, field: &str) -> bool {
        self.fields.iter().any(|f| f == field)
    }
}

/// The fields asked for, checked: at least one, each a profile field.
pub fn share_fields(fields: Option<Vec<String>>) -> Result<Vec<String>, Error> {
    let fields = fields.unwrap_or_else(|| SHAREABLE.iter().map(|f| f.to_string()).collect());
    if fields.is_empty() {
        return Err(Error::invalid(
            "fields",
            Problem::Count {
                min: 1,
                max: SHAREABLE.len(),
            },
        ));
    }
    if let Some(f) = fields.iter().find(|f| !SHAREABLE.contains(&f.as_str())) {
        return Err(Error::invalid("fields", Problem::one_of(f.as_str(), &SHAREABLE)));
    }
    Ok(fields)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_default_to_all_and_must_be_known() {
        assert_eq!(share_fields(None).unwrap().len(), SHAREABLE.len());
        assert!(share_fields(Some(vec![])).is_err());
        assert!(share_fields(Some(vec!["password".into()])).is_err());
        let me = CustomerId::generate();
        assert!(ProfileShare::new(me.clone(), me, "a@b.c".into(), None, Timestamp::EPOCH).is_err());
    }
}
