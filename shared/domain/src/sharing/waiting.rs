//! Shares addressed to an email address that no verified account holds yet.
//! They wait, and attach to the account that verifies the address. The
//! owner sees them exactly as shares with a known customer, so sharing never
//! tells who has an account (issue 7, item 3).

use crate::when::Timestamp;
use serde::{Deserialize, Serialize};

use super::{Grant, ProfileShare, Target};
use crate::ids::CustomerId;
use crate::Error;

/// A grant waiting for its grantee's address to be verified.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WaitingGrant {
    pub target: Target,
    pub owner: CustomerId,
    pub grantee_email: String,
    pub created_at: Timestamp,
}

impl WaitingGrant {
    /// The grant it becomes once `grantee` verified the address.
    pub fn attach(&self, grantee: CustomerId) -> Result<Grant, Error> {
        Grant::new(
            self.target.clone(),
            self.owner.clone(),
            grantee,
            self.grantee_email.clone(),
            self.created_at,
        )
    }
}

/// A profile share waiting for its reader's address to be verified.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WaitingProfileShare {
    pub owner: CustomerId,
    pub reader_email: String,
    pub fields: Vec<String>,
    pub created_at: Timestamp,
}

impl WaitingProfileShare {
    pub fn attach(&self, reader: CustomerId) -> Result<ProfileShare, Error> {
        ProfileShare::new(
            self.owner.clone(),
            reader,
            self.reader_email.clone(),
            Some(self.fields.clone()),
            self.created_at,
        )
    }
}

/// A grant as its owner sees it: by the address it was given to, the same
/// whether that address has an account yet or not.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GivenGrant {
    pub target: Target,
    pub grantee_email: String,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub created_at: Timestamp,
}

impl From<Grant> for GivenGrant {
    fn from(g: Grant) -> Self {
        Self {
            target: g.target,
            grantee_email: g.grantee_email,
            created_at: g.created_at,
        }
    }
}

impl From<WaitingGrant> for GivenGrant {
    fn from(g: WaitingGrant) -> Self {
        Self {
            target: g.target,
            grantee_email: g.grantee_email,
            created_at: g.created_at,
        }
    }
}

/// A profile share as its owner sees it, by address.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GivenProfileShare {
    pub reader_email: String,
    /// The profile fields the reader may see.
    pub fields: Vec<String>,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub created_at: Timestamp,
}

impl From<ProfileShare> for GivenProfileShare {
    fn from(s: ProfileShare) -> Self {
        Self {
            reader_email: s.reader_email,
            fields: s.fields,
            created_at: s.created_at,
        }
    }
}

impl From<WaitingProfileShare> for GivenProfileShare {
    fn from(s: WaitingProfileShare) -> Self {
        Self {
            reader_email: s.reader_email,
            fields: s.fields,
            created_at: s.created_at,
        }
    }
}

/// Who a revocation names: the address shared with, or (for shares with a
/// known customer) that customer's ID.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Recipient {
    Email(crate::account::Email),
    Customer(CustomerId),
}

impl Recipient {
    /// A customer ID or an email address from a path; `None` if neither.
    pub fn parse(raw: &str) -> Option<Self> {
        CustomerId::parse(raw)
            .map(Recipient::Customer)
            .or_else(|_| crate::account::Email::parse(raw).map(Recipient::Email))
            .ok()
    }

    /// True when this names the recipient of a share with `id` at `email`.
    pub fn names(&self, id: &CustomerId, email: &str) -> bool {
        match self {
            Recipient::Customer(c) => c == id,
            Recipient::Email(e) => e.as_str() == email,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recipients_parse_from_an_id_or_an_address() {
        let c = CustomerId::generate();
        assert_eq!(Recipient::parse(c.as_str()), Some(Recipient::Customer(c.clone())));
        let r = Recipient::parse("Bob@Example.com").unwrap();
        assert!(r.names(&c, "bob@example.com"));
        assert!(!r.names(&c, "ann@example.com"));
        assert_eq!(Recipient::parse("nobody"), None);
    }

    #[test]
    fn a_waiting_grant_never_attaches_to_its_owner() {
        let owner = CustomerId::generate();
        let w = WaitingGrant {
            target: Target::Image(crate::ids::ImageId::generate()),
            owner: owner.clone(),
            grantee_email: "a@b.co".into(),
            created_at: Timestamp::EPOCH,
        };
        assert!(w.attach(owner).is_err());
        assert!(w.attach(CustomerId::generate()).is_ok());
    }
}
