//! M3: party groups. Members' images count as their own for each other.
//! A group answers 404 to anyone who is not a member.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use printvault_domain::ids::{CustomerId, GroupId};
use printvault_domain::sharing::Invitation;
use printvault_usecases::sharing::groups;
use serde::Deserialize;

use crate::auth::Caller;
use crate::extract::{Id, Ids, JsonBody};
use crate::views::groups::{GroupList, GroupView, InvitationList};
use crate::{ApiError, AppState};

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewGroup {
    #[schema(example = "Family")]
    name: String,
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewInvitation {
    #[schema(example = "bob@example.com")]
    email: String,
}

pub async fn create(
    State(st): State<AppState>,
    caller: Caller,
    JsonBody(body): JsonBody<NewGroup>,
) -> Result<(StatusCode, Json<GroupView>), ApiError> {
    let g = groups::create(&st.stores, &caller.customer, &body.name, st.now()).await?;
    Ok((StatusCode::CREATED, Json(g.into())))
}

pub async fn list(State(st): State<AppState>, caller: Caller) -> Result<Json<GroupList>, ApiError> {
    let groups = groups::list(&st.stores, &caller.customer).await?;
    Ok(Json(GroupList { groups }))
}

pub async fn read(
    State(st): State<AppState>,
    caller: Caller,
    Id(id): Id<GroupId>,
) -> Result<Json<GroupView>, ApiError> {
    Ok(Json(
        groups::read(&st.stores, &caller.customer, &id).await?.into(),
    ))
}

/// Any member may invite someone by email; the invitee accepts.
pub async fn invite(
    State(st): State<AppState>,
    caller: Caller,
    Id(id): Id<GroupId>,
    JsonBody(body): JsonBody<NewInvitation>,
) -> Result<(StatusCode, Json<Invitation>), ApiError> {
    let inv = groups::invite(&st.stores, &caller.customer, &id, &body.email, st.now()).await?;
    Ok((StatusCode::CREATED, Json(inv)))
}

/// The invitations waiting for the caller's email address.
pub async fn invitations(
    State(st): State<AppState>,
    caller: Caller,
) -> Result<Json<InvitationList>, ApiError> {
    let invitations = groups::invitations(&st.stores, &caller.customer).await?;
    Ok(Json(InvitationList { invitations }))
}

pub async fn accept(
    State(st): State<AppState>,
    caller: Caller,
    Id(id): Id<GroupId>,
) -> Result<Json<GroupView>, ApiError> {
    Ok(Json(
        groups::accept(&st.stores, &caller.customer, &id, st.now())
            .await?
            .into(),
    ))
}

/// A member leaves, or the owner removes a member. Access ends at once.
pub async fn remove_member(
    State(st): State<AppState>,
    caller: Caller,
    Ids(group, member): Ids<GroupId, CustomerId>,
) -> Result<StatusCode, ApiError> {
    groups::remove_member(&st.stores, &caller.customer, &group, &member).await?;
    Ok(StatusCode::NO_CONTENT)
}
