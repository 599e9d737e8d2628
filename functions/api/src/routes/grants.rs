//! M13 grants of one image to one named customer, and X4 share links. Both
//! can be listed and revoked, and a revocation takes effect at once.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::Json;
use printvault_adapters::sharing::{Grant, Link};
use printvault_domain::access::LinkTerms;
use printvault_domain::account::{Email, SessionToken};
use printvault_domain::ids::{CustomerId, ImageId, LinkId};
use printvault_domain::image::{Image, ImageStatus};
use printvault_domain::Error;
use serde::Deserialize;
use serde_json::{json, Value};

use crate::access::access;
use crate::auth::Caller;
use crate::error::JsonBody;
use crate::routes::images::{public_view, signed_urls};
use crate::state::rfc3339;
use crate::{ApiError, AppState};

/// The caller's own ready image, or `NotFound`.
async fn own_ready(st: &AppState, caller: &Caller, id: &str) -> Result<Image, ApiError> {
    let nf = || ApiError::from(Error::NotFound("image"));
    let id = ImageId::parse(id).map_err(|_| nf())?;
    let image = st.images.get(&caller.customer, &id).await?.ok_or_else(nf)?;
    if image.status != ImageStatus::Ready {
        return Err(Error::Conflict(format!("the image is {}, not ready", image.status.as_str())).into());
    }
    Ok(image)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewGrant {
    image_id: String,
    grantee_email: String,
}

pub async fn create(
    State(st): State<AppState>,
    caller: Caller,
    JsonBody(body): JsonBody<NewGrant>,
) -> Result<impl IntoResponse, ApiError> {
    let image = own_ready(&st, &caller, &body.image_id).await?;
    let email = Email::parse(&body.grantee_email)?;
    let (grantee, _) = st.accounts.credentials(&email).await?.ok_or_else(|| {
        Error::invalid(
            "grantee_email",
            format!("no customer has the email address {email}"),
        )
    })?;
    if grantee == caller.customer {
        return Err(Error::invalid("grantee_email", "you cannot grant an image to yourself").into());
    }
    let grant = Grant {
        image_id: image.id,
        owner: caller.customer.clone(),
        grantee,
        grantee_email: email.to_string(),
        created_at: rfc3339(st.now()),
    };
    st.sharing.grant(&grant).await?;
    tracing::info!(image_id = %grant.image_id, grantee = %grant.grantee, "image granted");
    Ok((StatusCode::CREATED, Json(json!(grant))))
}

pub async fn given(State(st): State<AppState>, caller: Caller) -> Result<Json<Value>, ApiError> {
    Ok(Json(
        json!({"grants": st.sharing.grants_given(&caller.customer).await?}),
    ))
}

/// Grants the caller holds. Only image IDs and dates: the owner's identity
/// and profile stay private.
pub async fn received(State(st): State<AppState>, caller: Caller) -> Result<Json<Value>, ApiError> {
    let grants = st.sharing.grants_received(&caller.customer).await?;
    let items: Vec<Value> = grants
        .iter()
        .map(|g| json!({"image_id": g.image_id, "created_at": g.created_at}))
        .collect();
    Ok(Json(json!({"grants": items})))
}

pub async fn revoke(
    State(st): State<AppState>,
    caller: Caller,
    Path((image, grantee)): Path<(String, String)>,
) -> Result<StatusCode, ApiError> {
    let nf = || ApiError::from(Error::NotFound("grant"));
    let image = ImageId::parse(&image).map_err(|_| nf())?;
    let grantee = CustomerId::parse(&grantee).map_err(|_| nf())?;
    st.sharing
        .revoke_grant(&caller.customer, &image, &grantee)
        .await?;
    tracing::info!(image_id = %image, %grantee, "grant revoked");
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewLink {
    image_id: String,
    #[serde(default)]
    expires_in_hours: Option<u64>,
    #[serde(default)]
    allow_original: Option<bool>,
}

fn link_view(l: &Link) -> Value {
    json!({
        "link_id": l.link_id,
        "image_id": l.image_id,
        "expires_at": time::OffsetDateTime::from_unix_timestamp(l.expires_at).map(rfc3339).unwrap_or_default(),
        "allow_original": l.allow_original,
        "created_at": l.created_at,
    })
}

/// A share link: an unguessable token that opens one image until it expires
/// or is revoked. The token is shown once, here; only its hash is stored.
pub async fn create_link(
    State(st): State<AppState>,
    caller: Caller,
    JsonBody(body): JsonBody<NewLink>,
) -> Result<impl IntoResponse, ApiError> {
    let image = own_ready(&st, &caller, &body.image_id).await?;
    let cfg = &st.settings.links;
    let hours = body.expires_in_hours.unwrap_or(cfg.default_ttl_hours);
    if hours == 0 || hours > cfg.max_ttl_hours {
        return Err(Error::invalid(
            "expires_in_hours",
            format!("expires_in_hours must be between 1 and {}", cfg.max_ttl_hours),
        )
        .into());
    }
    let token = SessionToken::generate();
    let link = Link {
        link_id: LinkId::generate(),
        owner: caller.customer.clone(),
        image_id: image.id,
        expires_at: (st.now() + time::Duration::hours(hours as i64)).unix_timestamp(),
        allow_original: body.allow_original.unwrap_or(true),
        created_at: rfc3339(st.now()),
        digest: token.digest(),
    };
    st.sharing.create_link(&link).await?;
    let mut v = link_view(&link);
    v["token"] = json!(token.as_str());
    v["path"] = json!(format!("/v1/shared/{}", token.as_str()));
    Ok((StatusCode::CREATED, Json(v)))
}

pub async fn links(State(st): State<AppState>, caller: Caller) -> Result<Json<Value>, ApiError> {
    let links = st.sharing.links_of(&caller.customer).await?;
    Ok(Json(
        json!({"links": links.iter().map(link_view).collect::<Vec<_>>()}),
    ))
}

pub async fn revoke_link(
    State(st): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    let id = LinkId::parse(&id).map_err(|_| ApiError::from(Error::NotFound("link")))?;
    st.sharing.revoke_link(&caller.customer, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The image a live link opens, and what the link allows. Unknown, expired
/// and revoked links are all `NotFound`.
async fn through_link(
    st: &AppState,
    token: &str,
) -> Result<(Image, printvault_domain::access::Access), ApiError> {
    let nf = || ApiError::from(Error::NotFound("link"));
    let token = SessionToken::from_presented(token).ok_or_else(nf)?;
    let link = st.sharing.link_by_digest(&token.digest()).await?.ok_or_else(nf)?;
    if link.expires_at <= st.now().unix_timestamp() {
        return Err(nf());
    }
    let image = st.images.get(&link.owner, &link.image_id).await?.ok_or_else(nf)?;
    let terms = LinkTerms {
        allow_original: link.allow_original,
    };
    let a = access(st, None, &image, Some(terms)).await?;
    if !a.can_see() {
        return Err(nf());
    }
    Ok((image, a))
}

pub async fn shared(State(st): State<AppState>, Path(token): Path<String>) -> Result<Json<Value>, ApiError> {
    let (image, a) = through_link(&st, &token).await?;
    Ok(Json(public_view(&image, &a)))
}

pub async fn shared_urls(
    State(st): State<AppState>,
    Path(token): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let (image, a) = through_link(&st, &token).await?;
    Ok(Json(signed_urls(&st, &image, &a).await?))
}
