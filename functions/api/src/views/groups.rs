//! M3 party groups.

use printvault_domain::ids::{CustomerId, GroupId};
use printvault_domain::sharing::{Invitation, Membership};
use printvault_usecases::sharing::groups::GroupWithMembers;
use serde::Serialize;
use utoipa::ToSchema;

#[derive(Serialize, ToSchema)]
pub struct GroupView {
    pub group_id: GroupId,
    pub name: String,
    pub owner: CustomerId,
    pub created_at: String,
    pub members: Vec<MemberView>,
}

#[derive(Serialize, ToSchema)]
pub struct MemberView {
    pub customer_id: CustomerId,
    pub email: String,
    pub joined_at: String,
}

impl From<GroupWithMembers> for GroupView {
    fn from(g: GroupWithMembers) -> Self {
        Self {
            group_id: g.group.group_id,
            name: g.group.name,
            owner: g.group.owner,
            created_at: g.group.created_at.to_string(),
            members: g
                .members
                .into_iter()
                .map(|m| MemberView {
                    customer_id: m.customer_id,
                    email: m.email,
                    joined_at: m.joined_at.to_string(),
                })
                .collect(),
        }
    }
}

/// The groups the caller belongs to.
#[derive(Serialize, ToSchema)]
pub struct GroupList {
    pub groups: Vec<Membership>,
}

/// Invitations waiting for the caller's email address.
#[derive(Serialize, ToSchema)]
pub struct InvitationList {
    pub invitations: Vec<Invitation>,
}
