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

#[utoipa::path(post, path = "/v1/groups", tag = "groups", security(("bearer" = [])), request_body = NewGroup,
    responses((status = 201, description = "A new party group with the caller as owner (M3)", body = GroupView), (status = 409, description = "The caller is in the most groups allowed", body = crate::views::ErrorBody)))]
pub async fn create(
    State(st): State<AppState>,
    caller: Caller,
    JsonBody(body): JsonBody<NewGroup>,
) -> Result<(StatusCode, Json<GroupView>), ApiError> {
    let g = groups::create(&st.stores, &caller.customer, &body.name, st.now()).await?;
    Ok((StatusCode::CREATED, Json(g.into())))
}

#[utoipa::path(get, path = "/v1/groups", tag = "groups", security(("bearer" = [])),
    responses((status = 200, description = "The caller’s groups", body = GroupList)))]
pub async fn list(State(st): State<AppState>, caller: Caller) -> Result<Json<GroupList>, ApiError> {
    let groups = groups::list(&st.stores, &caller.customer).await?;
    Ok(Json(GroupList { groups }))
}

#[utoipa::path(get, path = "/v1/groups/{id}", tag = "groups", security(("bearer" = [])), params(("id" = GroupId, Path, description = "A group ID")),
    responses((status = 200, description = "The group and its members", body = GroupView), (status = 404, description = "No such group of which the caller is a member", body = crate::views::ErrorBody)))]
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
#[utoipa::path(post, path = "/v1/groups/{id}/invitations", tag = "groups", security(("bearer" = [])), params(("id" = GroupId, Path, description = "A group ID")), request_body = NewInvitation,
    responses((status = 201, description = "Invited", body = Invitation), (status = 404, description = "No such group of which the caller is a member", body = crate::views::ErrorBody), (status = 409, description = "Already a member, or the group has the most open invitations allowed", body = crate::views::ErrorBody)))]
pub async fn invite(
    State(st): State<AppState>,
    caller: Caller,
    Id(id): Id<GroupId>,
    JsonBody(body): JsonBody<NewInvitation>,
) -> Result<(StatusCode, Json<Invitation>), ApiError> {
    let inv = groups::invite(
        &st.stores,
        &st.settings.quotas,
        &caller.customer,
        &id,
        &body.email,
        st.now(),
    )
    .await?;
    Ok((StatusCode::CREATED, Json(inv)))
}

/// The invitations waiting for the caller's email address.
#[utoipa::path(get, path = "/v1/invitations", tag = "groups", security(("bearer" = [])),
    responses((status = 200, description = "Invitations waiting for the caller’s email address", body = InvitationList)))]
pub async fn invitations(
    State(st): State<AppState>,
    caller: Caller,
) -> Result<Json<InvitationList>, ApiError> {
    let invitations = groups::invitations(&st.stores, &caller.customer, st.now()).await?;
    Ok(Json(InvitationList { invitations }))
}

#[utoipa::path(post, path = "/v1/groups/{id}/accept", tag = "groups", security(("bearer" = [])), params(("id" = GroupId, Path, description = "A group ID")),
    responses((status = 200, description = "The caller is a member (again, if accepted before)", body = GroupView), (status = 404, description = "No invitation to this group for the caller", body = crate::views::ErrorBody), (status = 409, description = "The caller is in the most groups allowed", body = crate::views::ErrorBody)))]
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
#[utoipa::path(delete, path = "/v1/groups/{id}/members/{member}", tag = "groups", security(("bearer" = [])), params(("id" = GroupId, Path, description = "A group ID"), ("member" = CustomerId, Path, description = "The member’s customer ID")),
    responses((status = 204, description = "Left or removed; access ends at once"), (status = 404, description = "No such group or member the caller may remove", body = crate::views::ErrorBody), (status = 409, description = "The owner cannot leave", body = crate::views::ErrorBody)))]
pub async fn remove_member(
    State(st): State<AppState>,
    caller: Caller,
    Ids(group, member): Ids<GroupId, CustomerId>,
) -> Result<StatusCode, ApiError> {
    groups::remove_member(&st.stores, &caller.customer, &group, &member).await?;
    Ok(StatusCode::NO_CONTENT)
}
