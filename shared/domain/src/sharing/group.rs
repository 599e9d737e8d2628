//! Party groups (M3): members' images count as their own for each other.

use crate::when::Timestamp;
use crate::Thing;
use crate::{Clash, Counted, Problem};
use serde::{Deserialize, Serialize};

use crate::ids::{CustomerId, GroupId};
use crate::Error;

/// A customer may belong to this many groups at most, which bounds the cost
/// of every "same group?" check.
pub const MAX_GROUPS: usize = 20;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Group {
    pub group_id: GroupId,
    pub name: String,
    pub owner: CustomerId,
    pub created_at: Timestamp,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Member {
    pub group_id: GroupId,
    pub customer_id: CustomerId,
    pub email: String,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub joined_at: Timestamp,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Invitation {
    pub group_id: GroupId,
    pub group_name: String,
    pub email: String,
    pub invited_by: CustomerId,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub invited_at: Timestamp,
    /// Not accepted by then, it lapses (settings `quotas.invitation_ttl_days`).
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub expires_at: Timestamp,
}

impl Invitation {
    /// Whether it can still be accepted at `now`.
    pub fn is_open(&self, now: time::OffsetDateTime) -> bool {
        self.expires_at.time() > now
    }
}

/// One group a customer belongs to, as their own list shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Membership {
    pub group_id: GroupId,
    pub name: String,
}

impl Group {
    /// Whether `member` may be taken out of the group by `by`: a member may
    /// leave, the owner may remove anyone, and the owner never leaves.
    pub fn may_remove(&self, by: &CustomerId, member: &CustomerId) -> Result<(), Error> {
        if member == &self.owner {
            return Err(Error::Conflict(Clash::OwnerStays));
        }
        if member != by && by != &self.owner {
            return Err(Error::NotFound(Thing::Member));
        }
        Ok(())
    }
}

/// Whether a customer in `count` groups may join one more.
pub fn check_room(count: usize) -> Result<(), Error> {
    if count >= MAX_GROUPS {
        return Err(Error::Conflict(Clash::AtMost {
            of: Counted::Groups,
            most: MAX_GROUPS,
        }));
    }
    Ok(())
}

/// A group name: 1 to 100 printable characters, trimmed.
pub fn group_name(raw: &str) -> Result<String, Error> {
    let n = raw.trim();
    if n.is_empty() || n.chars().count() > 100 || n.chars().any(char::is_control) {
        return Err(Error::invalid("name", Problem::Text { min: 1, max: 100 }));
    }
    Ok(n.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn members_leave_owners_remove_and_owners_stay() {
        let (owner, a, b) = (
            CustomerId::generate(),
            CustomerId::generate(),
            CustomerId::generate(),
        );
        let g = Group {
            group_id: GroupId::generate(),
            name: "Family".into(),
            owner: owner.clone(),
            created_at: Timestamp::EPOCH,
        };
        assert!(g.may_remove(&a, &a).is_ok());
        assert!(g.may_remove(&owner, &a).is_ok());
        assert!(matches!(g.may_remove(&b, &a), Err(Error::NotFound(_))));
        assert!(matches!(g.may_remove(&owner, &owner), Err(Error::Conflict(_))));
    }

    #[test]
    fn names_and_room_are_checked() {
        assert_eq!(group_name("  Family ").unwrap(), "Family");
        assert!(group_name(" ").is_err());
        assert!(group_name("a\u{7}").is_err());
        assert!(check_room(MAX_GROUPS - 1).is_ok());
        assert!(check_room(MAX_GROUPS).is_err());
    }
}
