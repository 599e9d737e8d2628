//! M12, M13: grants of one image or one album to one named customer. They
//! can be listed and revoked, and a revocation takes effect at once.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use printvault_domain::ids::{AlbumId, ImageId};
use printvault_domain::sharing::{GivenGrant, Recipient, Target};
use printvault_domain::Error;
use printvault_domain::Problem;
use printvault_domain::Thing;
use printvault_usecases::sharing::{grants, TargetRequest};
use serde::Deserialize;

use crate::auth::Caller;
use crate::extract::{JsonBody, PathParam, QueryParams};
use crate::routes::PageQuery;
use crate::views::sharing::{GrantList, ReceivedGrants};
use crate::{ApiError, AppState};

/// Exactly one of `image_id` and `album_id`. A malformed ID is refused as
/// not found, like an ID of someone else's.
pub fn target(image: Option<String>, album: Option<String>) -> Result<TargetRequest, Error> {
    match (image, album) {
        (Some(i), None) => Ok(TargetRequest::Image(
            ImageId::parse(&i).map_err(|_| Error::NotFound(Thing::Image))?,
        )),
        (None, Some(a)) => Ok(TargetRequest::Album(
            AlbumId::parse(&a).map_err(|_| Error::NotFound(Thing::Album))?,
        )),
        _ => Err(Error::invalid(
            "image_id",
            Problem::OneOfTwo { other: "album_id" },
        )),
    }
}

/// The body of `POST /v1/grants`.
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewGrant {
    #[serde(default)]
    image_id: Option<String>,
    #[serde(default)]
    album_id: Option<String>,
    #[schema(example = "bob@example.com")]
    grantee_email: String,
}

#[utoipa::path(post, path = "/v1/grants", tag = "grants", security(("bearer" = [])), request_body = NewGrant,
    responses((status = 201, description = "The grant (M12, M13). An address without a verified account gets it once verified; the answer is the same", body = GivenGrant), (status = 404, description = "No such image or album of the caller’s", body = crate::views::ErrorBody), (status = 409, description = "The image is not ready, or the grant exists", body = crate::views::ErrorBody)))]
pub async fn create(
    State(st): State<AppState>,
    caller: Caller,
    JsonBody(body): JsonBody<NewGrant>,
) -> Result<(StatusCode, Json<GivenGrant>), ApiError> {
    let t = target(body.image_id, body.album_id)?;
    let grant = grants::grant(&st.stores, &caller.customer, t, &body.grantee_email, st.now()).await?;
    Ok((StatusCode::CREATED, Json(grant)))
}

#[utoipa::path(get, path = "/v1/grants", tag = "grants", security(("bearer" = [])),
    responses((status = 200, description = "Grants the caller gave", body = GrantList)))]
pub async fn given(State(st): State<AppState>, caller: Caller) -> Result<Json<GrantList>, ApiError> {
    let grants = grants::given(&st.stores, &caller.customer).await?;
    Ok(Json(GrantList { grants }))
}

/// Grants the caller holds: what they open and since when, a page at a time.
#[utoipa::path(get, path = "/v1/grants/received", tag = "grants", security(("bearer" = [])), params(PageQuery),
    responses((status = 200, description = "Grants the caller holds", body = ReceivedGrants)))]
pub async fn received(
    State(st): State<AppState>,
    caller: Caller,
    QueryParams(q): QueryParams<PageQuery>,
) -> Result<Json<ReceivedGrants>, ApiError> {
    let limit = q.limit(&st.settings.listing)?;
    let page = grants::received(&st.stores, &caller.customer, limit, q.cursor.as_deref()).await?;
    Ok(Json(page.into()))
}

/// Gives back a grant the caller holds (someone else's image or album): it
/// opens nothing for them from then on, and leaves their searches.
#[utoipa::path(delete, path = "/v1/grants/received/{target}", tag = "grants", security(("bearer" = [])),
    params(("target" = String, Path, description = "The granted image or album ID")),
    responses((status = 204, description = "Given back"), (status = 404, description = "The caller holds no such grant", body = crate::views::ErrorBody)))]
pub async fn decline(
    State(st): State<AppState>,
    caller: Caller,
    PathParam(target): PathParam<String>,
) -> Result<StatusCode, ApiError> {
    let target = Target::parse(&target).ok_or(Error::NotFound(Thing::Grant))?;
    grants::decline(&st.stores, &caller.customer, &target).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(delete, path = "/v1/grants/{target}/{grantee}", tag = "grants", security(("bearer" = [])),
    params(("target" = String, Path, description = "The granted image or album ID"), ("grantee" = String, Path, description = "The address granted to (URL-encoded), or the grantee’s customer ID")),
    responses((status = 204, description = "Revoked at once"), (status = 404, description = "No such grant", body = crate::views::ErrorBody)))]
pub async fn revoke(
    State(st): State<AppState>,
    caller: Caller,
    PathParam((target, grantee)): PathParam<(String, String)>,
) -> Result<StatusCode, ApiError> {
    let nf = || Error::NotFound(Thing::Grant);
    let target = Target::parse(&target).ok_or_else(nf)?;
    let grantee = Recipient::parse(&grantee).ok_or_else(nf)?;
    grants::revoke(&st.stores, &caller.customer, &target, &grantee).await?;
    Ok(StatusCode::NO_CONTENT)
}
