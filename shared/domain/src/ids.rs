//! Typed identifiers. Each is a ULID with a short prefix, so IDs sort by
//! creation time and a customer ID can never be passed where an image ID goes.

use crate::{Problem, Thing};
use serde::{Deserialize, Serialize};
use std::fmt;

use crate::Error;

/// What every typed ID can do, so that code generic over IDs (a path
/// extractor, say) can parse one and name its kind in a message.
pub trait TypedId: Sized {
    /// The kind of thing it names, as a field: `"image"`.
    const WHAT: &'static str;
    /// The kind of thing it names.
    const THING: Thing;
    /// Parses an ID from untrusted input.
    fn parse(s: &str) -> Result<Self, Error>;
}

macro_rules! typed_id {
    ($(#[$doc:meta])* $name:ident, $prefix:literal, $what:literal, $thing:ident, $pattern:literal, $example:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(try_from = "String", into = "String")]
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(pattern = $pattern, example = $example))]
        pub struct $name(String);

        impl TypedId for $name {
            const WHAT: &'static str = $what;
            const THING: Thing = Thing::$thing;
            fn parse(s: &str) -> Result<Self, Error> {
                $name::parse(s)
            }
        }

        impl $name {
            /// The prefix every ID of this kind starts with.
            pub const PREFIX: &'static str = $prefix;

            /// A new, time-ordered ID.
            pub fn generate() -> Self {
                Self(format!("{}{}", $prefix, ulid::Ulid::new()))
            }

            /// Parses an ID from untrusted input.
            pub fn parse(s: &str) -> Result<Self, Error> {
                let rest = s.strip_prefix($prefix).ok_or_else(|| {
                    Error::invalid($what, Problem::NotAnId)
                })?;
                ulid::Ulid::from_string(rest)
                    .map_err(|_| Error::invalid($what, Problem::NotAnId))?;
                Ok(Self(s.to_owned()))
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl TryFrom<String> for $name {
            type Error = Error;
            fn try_from(s: String) -> Result<Self, Error> {
                Self::parse(&s)
            }
        }

        impl From<$name> for String {
            fn from(id: $name) -> String {
                id.0
            }
        }
    };
}

typed_id!(
    /// A customer (member) account.
    CustomerId,
    "cus_",
    "customer",
    Customer,
    "^cus_[0-7][0-9A-HJKMNP-TV-Z]{25}$",
    "cus_01JDQ3V6ZK8R2M4N5P6Q7R8S9T"
);
typed_id!(
    /// An image. The upload ID is the image ID: one record follows an upload
    /// from `pending` to `ready`, `rejected` or `duplicate`.
    ImageId,
    "img_",
    "image",
    Image,
    "^img_[0-7][0-9A-HJKMNP-TV-Z]{25}$",
    "img_01JDQ3V6ZK8R2M4N5P6Q7R8S9T"
);
typed_id!(
    /// An entry of the screening blocklist.
    BlocklistEntryId,
    "blk_",
    "blocklist entry",
    BlocklistEntry,
    "^blk_[0-7][0-9A-HJKMNP-TV-Z]{25}$",
    "blk_01JDQ3V6ZK8R2M4N5P6Q7R8S9T"
);

typed_id!(
    /// An album, made by hand or automatically (M12).
    AlbumId,
    "alb_",
    "album",
    Album,
    "^alb_[0-7][0-9A-HJKMNP-TV-Z]{25}$",
    "alb_01JDQ3V6ZK8R2M4N5P6Q7R8S9T"
);
typed_id!(
    /// A party group (M3).
    GroupId,
    "grp_",
    "group",
    Group,
    "^grp_[0-7][0-9A-HJKMNP-TV-Z]{25}$",
    "grp_01JDQ3V6ZK8R2M4N5P6Q7R8S9T"
);
typed_id!(
    /// A share link (X4). The link's token is separate and secret; this ID
    /// names it in listings and revocations.
    LinkId,
    "lnk_",
    "link",
    Link,
    "^lnk_[0-7][0-9A-HJKMNP-TV-Z]{25}$",
    "lnk_01JDQ3V6ZK8R2M4N5P6Q7R8S9T"
);

typed_id!(
    /// A print order (M15).
    OrderId,
    "ord_",
    "order",
    Order,
    "^ord_[0-7][0-9A-HJKMNP-TV-Z]{25}$",
    "ord_01JDQ3V6ZK8R2M4N5P6Q7R8S9T"
);
typed_id!(
    /// A quote: priced lines a customer or guest may order until it expires.
    QuoteId,
    "quo_",
    "quote",
    Quote,
    "^quo_[0-7][0-9A-HJKMNP-TV-Z]{25}$",
    "quo_01JDQ3V6ZK8R2M4N5P6Q7R8S9T"
);

typed_id!(
    /// An archive proposal (M29): the oldest images that fit a disc,
    /// offered to their owner.
    ProposalId,
    "arp_",
    "proposal",
    Proposal,
    "^arp_[0-7][0-9A-HJKMNP-TV-Z]{25}$",
    "arp_01JDQ3V6ZK8R2M4N5P6Q7R8S9T"
);

typed_id!(
    /// A full export of a customer's images and account (X3).
    ExportId,
    "exp_",
    "export",
    Export,
    "^exp_[0-7][0-9A-HJKMNP-TV-Z]{25}$",
    "exp_01JDQ3V6ZK8R2M4N5P6Q7R8S9T"
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_ids_parse_back() {
        let id = ImageId::generate();
        assert_eq!(ImageId::parse(id.as_str()).unwrap(), id);
    }

    #[test]
    fn ids_of_another_kind_are_refused() {
        let c = CustomerId::generate();
        assert!(ImageId::parse(c.as_str()).is_err());
        assert!(ImageId::parse("img_not-a-ulid").is_err());
        assert!(ImageId::parse("../../etc/passwd").is_err());
    }

    #[test]
    fn ids_sort_by_creation() {
        let a = ImageId::generate();
        std::thread::sleep(std::time::Duration::from_millis(2));
        let b = ImageId::generate();
        assert!(a < b);
    }
}
