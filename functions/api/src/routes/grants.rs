//! M12, M13 grants of one image or one album to one named customer, and X4
//! share links to one image or album. Both can be listed and revoked, and a
//! revocation takes effect at once.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::Json;
use printvault_adapters::sharing::{Grant, Link, Target};
use printvault_domain::access::{Access, LinkTerms};
use printvault_domain::account::{Email, SessionToken};
use printvault_domain::album::Album;
use printvault_domain::ids::{AlbumId, CustomerId, ImageId, LinkId};
use printvault_domain::image::{Image, ImageStatus};
use printvault_domain::Error;
use serde::Deserialize;
use serde_json::{json, Value};

use crate::access::access;
use crate::auth::Caller;
use crate::error::{JsonBody, PathParam, QueryParams};
use crate::routes::albums::{album_page, PageQuery};
use crate::routes::images::{public_view, signed_urls};
use crate::state::rfc3339;
use crate::{ApiError, AppState};

/// The caller's own ready image, or `NotFound`.
pub async fn own_ready(st: &AppState, caller: &CustomerId, id: &str) -> Result<Image, ApiError> {
    let nf = || ApiError::from(Error::NotFound("image"));
    let id = ImageId::parse(id).map_err(|_| nf())?;
    let image = st.images.get(caller, &id).await?.ok_or_else(nf)?;
    if image.deleting {
        return Err(nf());
    }
    if image.status != ImageStatus::Ready {
        return Err(Error::Conflict(format!("the image is {}, not ready", image.status.as_str())).into());
    }
    Ok(image)
}

/// The caller's own album, or `NotFound`.
pub async fn own_album(st: &AppState, caller: &CustomerId, id: &str) -> Result<Album, ApiError> {
    let nf = || ApiError::from(Error::NotFound("album"));
    let id = AlbumId::parse(id).map_err(|_| nf())?;
    st.albums.get(caller, &id).await?.ok_or_else(nf)
}

/// Exactly one of `image_id` and `album_id`, owned by the caller.
async fn own_target(
    st: &AppState,
    caller: &CustomerId,
    image: Option<String>,
    album: Option<String>,
) -> Result<Target, ApiError> {
    match (image, album) {
        (Some(i), None) => Ok(Target::Image(own_ready(st, caller, &i).await?.id)),
        (None, Some(a)) => Ok(Target::Album(own_album(st, caller, &a).await?.album_id)),
        _ => Err(Error::invalid("image_id", "send exactly one of image_id and album_id").into()),
    }
}

fn parse_target(raw: &str) -> Option<Target> {
    ImageId::parse(raw)
        .map(Target::Image)
        .or_else(|_| AlbumId::parse(raw).map(Target::Album))
        .ok()
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewGrant {
    #[serde(default)]
    image_id: Option<String>,
    #[serde(default)]
    album_id: Option<String>,
    grantee_email: String,
}

pub async fn create(
    State(st): State<AppState>,
    caller: Caller,
    JsonBody(body): JsonBody<NewGrant>,
) -> Result<impl IntoResponse, ApiError> {
    let target = own_target(&st, &caller.customer, body.image_id, body.album_id).await?;
    let email = Email::parse(&body.grantee_email)?;
    let (grantee, _) = st.accounts.credentials(&email).await?.ok_or_else(|| {
        Error::invalid(
            "grantee_email",
            format!("no customer has the email address {email}"),
        )
    })?;
    if grantee == caller.customer {
        return Err(Error::invalid("grantee_email", "you cannot grant to yourself").into());
    }
    let grant = Grant {
        target,
        owner: caller.customer.clone(),
        grantee,
        grantee_email: email.to_string(),
        created_at: rfc3339(st.now()),
    };
    st.sharing.grant(&grant).await?;
    tracing::info!(target = ?grant.target, grantee = %grant.grantee, "granted");
    Ok((StatusCode::CREATED, Json(json!(grant))))
}

pub async fn given(State(st): State<AppState>, caller: Caller) -> Result<Json<Value>, ApiError> {
    Ok(Json(
        json!({"grants": st.sharing.grants_given(&caller.customer).await?}),
    ))
}

/// Grants the caller holds: what they open and since when. The owner's
/// identity and profile stay private.
pub async fn received(State(st): State<AppState>, caller: Caller) -> Result<Json<Value>, ApiError> {
    let grants = st.sharing.grants_received(&caller.customer).await?;
    let items: Vec<Value> = grants
        .iter()
        .map(|g| json!({"target": g.target, "created_at": g.created_at}))
        .collect();
    Ok(Json(json!({"grants": items})))
}

pub async fn revoke(
    State(st): State<AppState>,
    caller: Caller,
    PathParam((target, grantee)): PathParam<(String, String)>,
) -> Result<StatusCode, ApiError> {
    let nf = || ApiError::from(Error::NotFound("grant"));
    let target = parse_target(&target).ok_or_else(nf)?;
    let grantee = CustomerId::parse(&grantee).map_err(|_| nf())?;
    st.sharing
        .revoke_grant(&caller.customer, &target, &grantee)
        .await?;
    tracing::info!(?target, %grantee, "grant revoked");
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewLink {
    #[serde(default)]
    image_id: Option<String>,
    #[serde(default)]
    album_id: Option<String>,
    #[serde(default)]
    expires_in_hours: Option<u64>,
    #[serde(default)]
    allow_original: Option<bool>,
}

fn link_view(l: &Link) -> Value {
    json!({
        "link_id": l.link_id,
        "target": l.target,
        "expires_at": time::OffsetDateTime::from_unix_timestamp(l.expires_at).map(rfc3339).unwrap_or_default(),
        "allow_original": l.allow_original,
        "created_at": l.created_at,
    })
}

/// A share link: an unguessable token that opens one image or album until it
/// expires or is revoked. The token is shown once, here; only its hash is stored.
pub async fn create_link(
    State(st): State<AppState>,
    caller: Caller,
    JsonBody(body): JsonBody<NewLink>,
) -> Result<impl IntoResponse, ApiError> {
    let target = own_target(&st, &caller.customer, body.image_id, body.album_id).await?;
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
        target,
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
    PathParam(id): PathParam<String>,
) -> Result<StatusCode, ApiError> {
    let id = LinkId::parse(&id).map_err(|_| ApiError::from(Error::NotFound("link")))?;
    st.sharing.revoke_link(&caller.customer, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The live link a token opens. Unknown, expired and revoked links are all `NotFound`.
async fn live_link(st: &AppState, token: &str) -> Result<Link, ApiError> {
    let nf = || ApiError::from(Error::NotFound("link"));
    let token = SessionToken::from_presented(token).ok_or_else(nf)?;
    let link = st.sharing.link_by_digest(&token.digest()).await?.ok_or_else(nf)?;
    if link.expires_at <= st.now().unix_timestamp() {
        return Err(nf());
    }
    Ok(link)
}

/// An image the link covers (the linked image, or one in the linked album),
/// and what the link allows with it.
async fn linked_image(st: &AppState, link: &Link, image: Option<&str>) -> Result<(Image, Access), ApiError> {
    let nf = || ApiError::from(Error::NotFound("image"));
    let id = match (&link.target, image) {
        (Target::Image(i), None) => i.clone(),
        (Target::Album(_), Some(raw)) => ImageId::parse(raw).map_err(|_| nf())?,
        _ => return Err(nf()),
    };
    let image = st.images.get(&link.owner, &id).await?.ok_or_else(nf)?;
    if let Target::Album(a) = &link.target {
        if !image.albums.contains(a) {
            return Err(nf());
        }
    }
    let a = access(
        st,
        None,
        &image,
        Some(LinkTerms {
            allow_original: link.allow_original,
        }),
    )
    .await?;
    if !a.can_see() {
        return Err(nf());
    }
    Ok((image, a))
}

/// What a link opens: the image, or the album with a page of its images.
pub async fn shared(
    State(st): State<AppState>,
    PathParam(token): PathParam<String>,
    QueryParams(q): QueryParams<PageQuery>,
) -> Result<Json<Value>, ApiError> {
    let link = live_link(&st, &token).await?;
    match &link.target {
        Target::Image(_) => {
            let (image, a) = linked_image(&st, &link, None).await?;
            Ok(Json(public_view(&image, &a)))
        }
        Target::Album(id) => {
            let album = st
                .albums
                .get(&link.owner, id)
                .await?
                .ok_or(Error::NotFound("link"))?;
            let terms = Some(LinkTerms {
                allow_original: link.allow_original,
            });
            Ok(Json(album_page(&st, None, &album, terms, q).await?))
        }
    }
}

pub async fn shared_urls(
    State(st): State<AppState>,
    PathParam(token): PathParam<String>,
) -> Result<Json<Value>, ApiError> {
    let link = live_link(&st, &token).await?;
    let (image, a) = linked_image(&st, &link, None).await?;
    Ok(Json(signed_urls(&st, &image, &a).await?))
}

pub async fn shared_image(
    State(st): State<AppState>,
    PathParam((token, id)): PathParam<(String, String)>,
) -> Result<Json<Value>, ApiError> {
    let link = live_link(&st, &token).await?;
    let (image, a) = linked_image(&st, &link, Some(&id)).await?;
    Ok(Json(public_view(&image, &a)))
}

pub async fn shared_image_urls(
    State(st): State<AppState>,
    PathParam((token, id)): PathParam<(String, String)>,
) -> Result<Json<Value>, ApiError> {
    let link = live_link(&st, &token).await?;
    let (image, a) = linked_image(&st, &link, Some(&id)).await?;
    Ok(Json(signed_urls(&st, &image, &a).await?))
}
