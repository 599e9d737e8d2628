//! Grants (M12, M13): one image or one album, to one named customer.

use crate::when::Timestamp;
use crate::Rule;
use serde::{Deserialize, Serialize};

use crate::ids::{AlbumId, CustomerId, ImageId};
use crate::Error;

/// What a grant or a link opens: one image, or one album.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "id", rename_all = "lowercase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Target {
    Image(ImageId),
    Album(AlbumId),
}

impl Target {
    /// An image or album ID from untrusted input; `None` if it is neither.
    pub fn parse(raw: &str) -> Option<Self> {
        ImageId::parse(raw)
            .map(Target::Image)
            .or_else(|_| AlbumId::parse(raw).map(Target::Album))
            .ok()
    }
}

/// A grant of one image or one album to one named customer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Grant {
    pub target: Target,
    pub owner: CustomerId,
    pub grantee: CustomerId,
    pub grantee_email: String,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub created_at: Timestamp,
}

impl Grant {
    /// A grant from `owner` to `grantee`. Nobody grants to themselves: the
    /// owner already has everything a grant could open.
    pub fn new(
        target: Target,
        owner: CustomerId,
        grantee: CustomerId,
        grantee_email: String,
        created_at: Timestamp,
    ) -> Result<Self, Error> {
        if grantee == owner {
            return Err(Error::rule("grantee_email", Rule::SelfGrant));
        }
        Ok(Self {
            target,
            owner,
            grantee,
            grantee_email,
            created_at,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nobody_grants_to_themselves() {
        let me = CustomerId::generate();
        let t = Target::Image(ImageId::generate());
        assert!(Grant::new(
            t.clone(),
            me.clone(),
            me.clone(),
            "a@b.c".into(),
            Timestamp::EPOCH
        )
        .is_err());
        assert!(Grant::new(t, me, CustomerId::generate(), "a@b.c".into(), Timestamp::EPOCH).is_ok());
    }

    #[test]
    fn targets_parse_from_either_kind_of_id() {
        let i = ImageId::generate();
        let a = AlbumId::generate();
        assert_eq!(Target::parse(i.as_str()), Some(Target::Image(i)));
        assert_eq!(Target::parse(a.as_str()), Some(Target::Album(a)));
        assert_eq!(Target::parse("cus_x"), None);
    }
}
