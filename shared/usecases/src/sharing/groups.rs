//! M3: party groups. Members' images count as their own for each other. A
//! group is `NotFound` to anyone who is not a member.

use printvault_domain::account::Email;
use printvault_domain::ids::{CustomerId, GroupId};
use printvault_domain::settings::QuotaSettings;
use printvault_domain::sharing::{check_room, group_name, Group, Invitation, Member, Membership};
use printvault_domain::when::Timestamp;
use printvault_domain::Error;
use printvault_domain::Thing;
use printvault_domain::{Clash, Counted};
use time::OffsetDateTime;

use super::email_of;
use crate::Stores;

/// A group and its members.
pub struct GroupWithMembers {
    pub group: Group,
    pub members: Vec<Member>,
}

async fn with_members(st: &Stores, group: Group) -> Result<GroupWithMembers, Error> {
    let members = st.sharing.members(&group.group_id).await?;
    Ok(GroupWithMembers { group, members })
}

/// The group, if `caller` is a member; otherwise `NotFound`.
async fn member_group(st: &Stores, caller: &CustomerId, g: &GroupId) -> Result<Group, Error> {
    if !st.sharing.is_member(g, caller).await? {
        return Err(Error::NotFound(Thing::Group));
    }
    st.sharing.group(g).await?.ok_or(Error::NotFound(Thing::Group))
}

async fn room_for_one_more(st: &Stores, c: &CustomerId) -> Result<(), Error> {
    check_room(st.sharing.groups_of(c).await?.len())
}

pub async fn create(
    st: &Stores,
    owner: &CustomerId,
    name: &str,
    now: OffsetDateTime,
) -> Result<GroupWithMembers, Error> {
    let name = group_name(name)?;
    room_for_one_more(st, owner).await?;
    let group = Group {
        group_id: GroupId::generate(),
        name,
        owner: owner.clone(),
        created_at: Timestamp::at(now),
    };
    let first = Member {
        group_id: group.group_id.clone(),
        customer_id: owner.clone(),
        email: email_of(st, owner).await?.to_string(),
        joined_at: Timestamp::at(now),
    };
    st.sharing.create_group(&group, &first).await?;
    with_members(st, group).await
}

pub async fn list(st: &Stores, c: &CustomerId) -> Result<Vec<Membership>, Error> {
    st.sharing.groups_of(c).await
}

pub async fn read(st: &Stores, caller: &CustomerId, g: &GroupId) -> Result<GroupWithMembers, Error> {
    let group = member_group(st, caller, g).await?;
    with_members(st, group).await
}

/// Any member may invite someone by email; the invitee accepts within
/// `quotas.invitation_ttl_days`. A group has at most
/// `quotas.open_invitations_per_group` open invitations.
pub async fn invite(
    st: &Stores,
    quotas: &QuotaSettings,
    caller: &CustomerId,
    g: &GroupId,
    email: &str,
    now: OffsetDateTime,
) -> Result<Invitation, Error> {
    let group = member_group(st, caller, g).await?;
    let email = Email::parse(email)?;
    let most = quotas.open_invitations_per_group;
    let renewal = st.sharing.invitation(g, email.as_str()).await?.is_some();
    if !renewal && st.sharing.open_invitations(g, now.unix_timestamp(), most).await? >= most {
        return Err(Error::Conflict(Clash::AtMost {
            of: Counted::OpenInvitations,
            most: most as usize,
        }));
    }
    let inv = Invitation {
        group_id: group.group_id,
        group_name: group.name,
        email: email.to_string(),
        invited_by: caller.clone(),
        invited_at: Timestamp::at(now),
        expires_at: Timestamp::at(now + time::Duration::days(quotas.invitation_ttl_days as i64)),
    };
    st.sharing.invite(&inv).await?;
    Ok(inv)
}

/// The open invitations waiting for the caller's email address.
pub async fn invitations(
    st: &Stores,
    caller: &CustomerId,
    now: OffsetDateTime,
) -> Result<Vec<Invitation>, Error> {
    let email = email_of(st, caller).await?;
    let mut all = st.sharing.invitations_for(email.as_str()).await?;
    all.retain(|i| i.is_open(now));
    Ok(all)
}

/// Joins the group the caller's email was invited to. Accepting again (a
/// retried request) answers as the first time did.
pub async fn accept(
    st: &Stores,
    caller: &CustomerId,
    g: &GroupId,
    now: OffsetDateTime,
) -> Result<GroupWithMembers, Error> {
    let group = st
        .sharing
        .group(g)
        .await?
        .ok_or(Error::NotFound(Thing::Invitation))?;
    if st.sharing.is_member(g, caller).await? {
        return with_members(st, group).await;
    }
    let email = email_of(st, caller).await?;
    let open = st
        .sharing
        .invitation(g, email.as_str())
        .await?
        .is_some_and(|i| i.is_open(now));
    if !open {
        return Err(Error::NotFound(Thing::Invitation));
    }
    room_for_one_more(st, caller).await?;
    let member = Member {
        group_id: g.clone(),
        customer_id: caller.clone(),
        email: email.to_string(),
        joined_at: Timestamp::at(now),
    };
    match st.sharing.accept(&group, &member).await {
        Ok(()) => {}
        // A concurrent accept of the same invitation won.
        Err(Error::NotFound(_)) if st.sharing.is_member(g, caller).await? => {}
        Err(e) => return Err(e),
    }
    tracing::info!(group_id = %group.group_id, customer_id = %caller, "joined a group");
    with_members(st, group).await
}

/// A member leaves, or the owner removes a member. Access ends at once.
pub async fn remove_member(
    st: &Stores,
    caller: &CustomerId,
    g: &GroupId,
    member: &CustomerId,
) -> Result<(), Error> {
    let group = member_group(st, caller, g).await?;
    group.may_remove(caller, member)?;
    st.sharing.remove_member(&group.group_id, member).await?;
    tracing::info!(group_id = %group.group_id, customer_id = %member, "left a group");
    Ok(())
}
