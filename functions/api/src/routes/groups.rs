//! M3: party groups. Members' images count as their own for each other.
//! A group answers 404 to anyone who is not a member.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::Json;
use printvault_adapters::sharing::{Group, Invitation, Member};
use printvault_domain::account::Email;
use printvault_domain::ids::{CustomerId, GroupId};
use printvault_domain::Error;
use serde::Deserialize;
use serde_json::{json, Value};

use crate::auth::Caller;
use crate::error::{JsonBody, PathParam};
use crate::state::rfc3339;
use crate::{ApiError, AppState};

/// A customer may belong to this many groups at most, which bounds the cost
/// of every "same group?" check.
pub const MAX_GROUPS: usize = 20;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewGroup {
    name: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewInvitation {
    email: String,
}

fn group_name(raw: &str) -> Result<String, Error> {
    let n = raw.trim();
    if n.is_empty() || n.chars().count() > 100 || n.chars().any(char::is_control) {
        return Err(Error::invalid(
            "name",
            "name must have 1 to 100 printable characters",
        ));
    }
    Ok(n.to_owned())
}

async fn caller_email(st: &AppState, c: &CustomerId) -> Result<Email, ApiError> {
    Ok(st
        .accounts
        .customer(c)
        .await?
        .ok_or(Error::NotFound("customer"))?
        .email)
}

/// The group, if the caller is a member; otherwise `NotFound`.
async fn member_group(st: &AppState, caller: &Caller, id: &str) -> Result<Group, ApiError> {
    let nf = || ApiError::from(Error::NotFound("group"));
    let g = GroupId::parse(id).map_err(|_| nf())?;
    if !st.sharing.is_member(&g, &caller.customer).await? {
        return Err(nf());
    }
    st.sharing.group(&g).await?.ok_or_else(nf)
}

async fn check_room(st: &AppState, c: &CustomerId) -> Result<(), ApiError> {
    if st.sharing.groups_of(c).await?.len() >= MAX_GROUPS {
        return Err(Error::Conflict(format!("a customer can be in at most {MAX_GROUPS} groups")).into());
    }
    Ok(())
}

async fn group_view(st: &AppState, g: &Group) -> Result<Value, ApiError> {
    let members = st.sharing.members(&g.group_id).await?;
    Ok(json!({
        "group_id": g.group_id,
        "name": g.name,
        "owner": g.owner,
        "created_at": g.created_at,
        "members": members.iter().map(|m| json!({"customer_id": m.customer_id, "email": m.email, "joined_at": m.joined_at})).collect::<Vec<_>>(),
    }))
}

pub async fn create(
    State(st): State<AppState>,
    caller: Caller,
    JsonBody(body): JsonBody<NewGroup>,
) -> Result<impl IntoResponse, ApiError> {
    let name = group_name(&body.name)?;
    check_room(&st, &caller.customer).await?;
    let now = rfc3339(st.now());
    let group = Group {
        group_id: GroupId::generate(),
        name,
        owner: caller.customer.clone(),
        created_at: now.clone(),
    };
    let owner = Member {
        group_id: group.group_id.clone(),
        customer_id: caller.customer.clone(),
        email: caller_email(&st, &caller.customer).await?.to_string(),
        joined_at: now,
    };
    st.sharing.create_group(&group, &owner).await?;
    Ok((StatusCode::CREATED, Json(group_view(&st, &group).await?)))
}

pub async fn list(State(st): State<AppState>, caller: Caller) -> Result<Json<Value>, ApiError> {
    let groups = st.sharing.groups_of(&caller.customer).await?;
    Ok(Json(json!({"groups": groups})))
}

pub async fn read(
    State(st): State<AppState>,
    caller: Caller,
    PathParam(id): PathParam<String>,
) -> Result<Json<Value>, ApiError> {
    let g = member_group(&st, &caller, &id).await?;
    Ok(Json(group_view(&st, &g).await?))
}

/// Any member may invite someone by email; the invitee accepts.
pub async fn invite(
    State(st): State<AppState>,
    caller: Caller,
    PathParam(id): PathParam<String>,
    JsonBody(body): JsonBody<NewInvitation>,
) -> Result<impl IntoResponse, ApiError> {
    let g = member_group(&st, &caller, &id).await?;
    let email = Email::parse(&body.email)?;
    let inv = Invitation {
        group_id: g.group_id.clone(),
        group_name: g.name.clone(),
        email: email.to_string(),
        invited_by: caller.customer.clone(),
        invited_at: rfc3339(st.now()),
    };
    st.sharing.invite(&inv).await?;
    Ok((StatusCode::CREATED, Json(json!(inv))))
}

/// The invitations waiting for the caller's email address.
pub async fn invitations(State(st): State<AppState>, caller: Caller) -> Result<Json<Value>, ApiError> {
    let email = caller_email(&st, &caller.customer).await?;
    Ok(Json(
        json!({"invitations": st.sharing.invitations_for(email.as_str()).await?}),
    ))
}

pub async fn accept(
    State(st): State<AppState>,
    caller: Caller,
    PathParam(id): PathParam<String>,
) -> Result<Json<Value>, ApiError> {
    let nf = || ApiError::from(Error::NotFound("invitation"));
    let gid = GroupId::parse(&id).map_err(|_| nf())?;
    let group = st.sharing.group(&gid).await?.ok_or_else(nf)?;
    // Accepting again (a retried request) answers as the first time did.
    if st.sharing.is_member(&gid, &caller.customer).await? {
        return Ok(Json(group_view(&st, &group).await?));
    }
    check_room(&st, &caller.customer).await?;
    let member = Member {
        group_id: gid.clone(),
        customer_id: caller.customer.clone(),
        email: caller_email(&st, &caller.customer).await?.to_string(),
        joined_at: rfc3339(st.now()),
    };
    match st.sharing.accept(&group, &member).await {
        Ok(()) => {}
        // A concurrent accept of the same invitation won.
        Err(Error::NotFound(_)) if st.sharing.is_member(&gid, &caller.customer).await? => {}
        Err(e) => return Err(e.into()),
    }
    tracing::info!(group_id = %group.group_id, customer_id = %caller.customer, "joined a group");
    Ok(Json(group_view(&st, &group).await?))
}

/// A member leaves, or the owner removes a member. Access ends at once.
pub async fn remove_member(
    State(st): State<AppState>,
    caller: Caller,
    PathParam((id, member)): PathParam<(String, String)>,
) -> Result<StatusCode, ApiError> {
    let g = member_group(&st, &caller, &id).await?;
    let target = CustomerId::parse(&member).map_err(|_| ApiError::from(Error::NotFound("member")))?;
    if target == g.owner {
        return Err(Error::Conflict("the group's owner cannot leave it".into()).into());
    }
    if target != caller.customer && caller.customer != g.owner {
        return Err(Error::NotFound("member").into());
    }
    st.sharing.remove_member(&g.group_id, &target).await?;
    tracing::info!(group_id = %g.group_id, customer_id = %target, "left a group");
    Ok(StatusCode::NO_CONTENT)
}
