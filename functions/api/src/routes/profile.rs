//! M2 the caller's own customer information, and M4 profile shares.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use printvault_domain::ids::CustomerId;
use printvault_domain::profile::ProfileUpdate;
use printvault_domain::sharing::ProfileShare;
use printvault_usecases::sharing::profiles;
use serde::Deserialize;

use crate::auth::Caller;
use crate::extract::{Id, JsonBody};
use crate::views::profile::{ProfileView, ShareList, SharedProfile, SharedWithMe};
use crate::{ApiError, AppState};

pub async fn read(State(st): State<AppState>, caller: Caller) -> Result<Json<ProfileView>, ApiError> {
    Ok(Json(
        profiles::customer(&st.stores, &caller.customer).await?.into(),
    ))
}

/// Absent fields stay, `null` clears.
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
pub async fn share(
    State(st): State<AppState>,
    caller: Caller,
    JsonBody(body): JsonBody<NewShare>,
) -> Result<(StatusCode, Json<ProfileShare>), ApiError> {
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

pub async fn shares(State(st): State<AppState>, caller: Caller) -> Result<Json<ShareList>, ApiError> {
    let shares = profiles::shares(&st.stores, &caller.customer).await?;
    Ok(Json(ShareList { shares }))
}

pub async fn unshare(
    State(st): State<AppState>,
    caller: Caller,
    Id(reader): Id<CustomerId>,
) -> Result<StatusCode, ApiError> {
    profiles::unshare(&st.stores, &caller.customer, &reader).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Another customer's profile, reduced to the fields they share with the
/// caller; 404 for anyone they do not share with.
pub async fn read_shared(
    State(st): State<AppState>,
    caller: Caller,
    Id(owner): Id<CustomerId>,
) -> Result<Json<SharedProfile>, ApiError> {
    let (profile, share) = profiles::read_shared(&st.stores, &caller.customer, &owner).await?;
    Ok(Json(SharedProfile::new(owner, profile, &share)))
}

/// Whose profiles the caller may read, and which fields.
pub async fn shared_with_me(
    State(st): State<AppState>,
    caller: Caller,
) -> Result<Json<SharedWithMe>, ApiError> {
    Ok(Json(
        profiles::shared_with(&st.stores, &caller.customer).await?.into(),
    ))
}
