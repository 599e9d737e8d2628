//! M2 the caller's own customer information, and M4 profile shares.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use printvault_domain::ids::CustomerId;
use printvault_domain::profile::ProfileUpdate;
use printvault_domain::sharing::{GivenProfileShare, Recipient};
use printvault_domain::Error;
use printvault_domain::Thing;
use printvault_usecases::sharing::profiles;
use serde::Deserialize;

use crate::auth::Caller;
use crate::extract::{Id, JsonBody, PathParam};
use crate::views::profile::{ProfileView, ShareList, SharedProfile, SharedWithMe};
use crate::{ApiError, AppState};

#[utoipa::path(get, path = "/v1/profile", tag = "profile", security(("bearer" = [])),
    responses((status = 200, description = "The caller’s account and customer information (M2)", body = ProfileView)))]
pub async fn read(State(st): State<AppState>, caller: Caller) -> Result<Json<ProfileView>, ApiError> {
    Ok(Json(
        profiles::customer(&st.stores, &caller.customer).await?.into(),
    ))
}

/// Absent fields stay, `null` clears.
#[utoipa::path(patch, path = "/v1/profile", tag = "profile", security(("bearer" = [])), request_body = ProfileUpdate,
    responses((status = 200, description = "The profile after the change", body = ProfileView), (status = 409, description = "Other requests keep changing this profile", body = crate::views::ErrorBody)))]
pub async fn update(
    State(st): State<AppState>,
    caller: Caller,
    JsonBody(update): JsonBody<ProfileUpdate>,
) -> Result<Json<ProfileView>, ApiError> {
    Ok(Json(
        profiles::update(&st.stores, &caller.customer, update, st.now())
            .await?
            .into(),
    ))
}

/// The body of `POST /v1/profile/shares`.
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewShare {
    #[schema(example = "bob@example.com")]
    reader_email: String,
    /// Any of `name`, `contact_email`, `postal_address`, `birthday`,
    /// `named_dates`; all of them when absent.
    #[serde(default)]
    fields: Option<Vec<String>>,
}

/// M4: lets one named customer read the caller's profile, or chosen fields of it.
#[utoipa::path(post, path = "/v1/profile/shares", tag = "profile", security(("bearer" = [])), request_body = NewShare,
    responses((status = 201, description = "The share (M4). An address without a verified account gets it once verified; the answer is the same", body = GivenProfileShare)))]
pub async fn share(
    State(st): State<AppState>,
    caller: Caller,
    JsonBody(body): JsonBody<NewShare>,
) -> Result<(StatusCode, Json<GivenProfileShare>), ApiError> {
    let share = profiles::share(
        &st.stores,
        &caller.customer,
        &body.reader_email,
        body.fields,
        st.now(),
    )
    .await?;
    Ok((StatusCode::CREATED, Json(share)))
}

#[utoipa::path(get, path = "/v1/profile/shares", tag = "profile", security(("bearer" = [])),
    responses((status = 200, description = "Who may read which fields", body = ShareList)))]
pub async fn shares(State(st): State<AppState>, caller: Caller) -> Result<Json<ShareList>, ApiError> {
    let shares = profiles::shares(&st.stores, &caller.customer).await?;
    Ok(Json(ShareList { shares }))
}

#[utoipa::path(delete, path = "/v1/profile/shares/{reader}", tag = "profile", security(("bearer" = [])),
    params(("reader" = String, Path, description = "The address shared with (URL-encoded), or the reader’s customer ID")),
    responses((status = 204, description = "Revoked at once"), (status = 404, description = "No such share", body = crate::views::ErrorBody)))]
pub async fn unshare(
    State(st): State<AppState>,
    caller: Caller,
    PathParam(reader): PathParam<String>,
) -> Result<StatusCode, ApiError> {
    let reader = Recipient::parse(&reader).ok_or(Error::NotFound(Thing::ProfileShare))?;
    profiles::unshare(&st.stores, &caller.customer, &reader).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Another customer's profile, reduced to the fields they share with the
/// caller; 404 for anyone they do not share with.
#[utoipa::path(get, path = "/v1/customers/{id}/profile", tag = "profile", security(("bearer" = [])),
    params(("id" = CustomerId, Path, description = "The profile owner’s customer ID")),
    responses((status = 200, description = "Only the fields shared with the caller", body = SharedProfile), (status = 404, description = "Not shared with the caller, or no such customer", body = crate::views::ErrorBody)))]
pub async fn read_shared(
    State(st): State<AppState>,
    caller: Caller,
    Id(owner): Id<CustomerId>,
) -> Result<Json<SharedProfile>, ApiError> {
    let (profile, share) = profiles::read_shared(&st.stores, &caller.customer, &owner).await?;
    Ok(Json(SharedProfile::new(owner, profile, &share)))
}

/// Whose profiles the caller may read, and which fields.
#[utoipa::path(get, path = "/v1/profile/shared-with-me", tag = "profile", security(("bearer" = [])),
    responses((status = 200, description = "Whose profiles the caller may read", body = SharedWithMe)))]
pub async fn shared_with_me(
    State(st): State<AppState>,
    caller: Caller,
) -> Result<Json<SharedWithMe>, ApiError> {
    Ok(Json(
        profiles::shared_with(&st.stores, &caller.customer).await?.into(),
    ))
}
