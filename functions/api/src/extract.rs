//! Extractors whose refusals are the api's JSON errors.

use axum::extract::{FromRequest, FromRequestParts, Path};
use axum::http::request::Parts;
use printvault_domain::ids::TypedId;
use printvault_domain::Error;

use crate::ApiError;

/// `Json<T>` whose refusals are JSON errors that say what is wrong.
#[derive(FromRequest)]
#[from_request(via(axum::Json), rejection(ApiError))]
pub struct JsonBody<T>(pub T);

/// `Query<T>` with JSON errors.
#[derive(FromRequestParts)]
#[from_request(via(axum::extract::Query), rejection(ApiError))]
pub struct QueryParams<T>(pub T);

/// `Path<T>` with JSON errors: a path segment that is not even valid UTF-8
/// names nothing here, so it answers 404 like any unknown ID.
#[derive(FromRequestParts)]
#[from_request(via(axum::extract::Path), rejection(ApiError))]
pub struct PathParam<T>(pub T);

/// A typed ID from the one path parameter. A malformed ID names nothing, so
/// it answers 404 ("image not found") exactly like an unknown one.
pub struct Id<T>(pub T);

impl<S: Send + Sync, T: TypedId + Send> FromRequestParts<S> for Id<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        let Path(raw) = Path::<String>::from_request_parts(parts, state)
            .await
            .map_err(|_| Error::NotFound(T::THING))?;
        Ok(Self(T::parse(&raw).map_err(|_| Error::NotFound(T::THING))?))
    }
}

/// Two typed IDs from two path parameters, 404 for either malformed.
pub struct Ids<A, B>(pub A, pub B);

impl<S: Send + Sync, A: TypedId + Send, B: TypedId + Send> FromRequestParts<S> for Ids<A, B> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        let Path((a, b)) = Path::<(String, String)>::from_request_parts(parts, state)
            .await
            .map_err(|_| Error::NotFound(A::THING))?;
        let a = A::parse(&a).map_err(|_| Error::NotFound(A::THING))?;
        let b = B::parse(&b).map_err(|_| Error::NotFound(B::THING))?;
        Ok(Self(a, b))
    }
}

/// The api's public base URL, for links in emails: `PUBLIC_URL` when set,
/// else `https://` and the domain API Gateway put in the request context.
/// The client's `Host` header is never used: a forged one would send a
/// victim's code to the forger's site.
pub struct PublicBase(pub String);

impl FromRequestParts<crate::AppState> for PublicBase {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &crate::AppState) -> Result<Self, ApiError> {
        if let Some(u) = &state.public_url {
            return Ok(Self(u.to_string()));
        }
        let domain = match parts.extensions.get::<lambda_http::request::RequestContext>() {
            Some(lambda_http::request::RequestContext::ApiGatewayV2(c)) => c.domain_name.clone(),
            Some(lambda_http::request::RequestContext::ApiGatewayV1(c)) => c.domain_name.clone(),
            _ => None,
        };
        domain.map(|d| Self(format!("https://{d}"))).ok_or_else(|| {
            anyhow::anyhow!("no PUBLIC_URL and no API Gateway domain: cannot make links").into()
        })
    }
}

/// The caller's IP address ([`crate::client::caller_ip`]): the viewer's
/// when the request proves it came through the stack's CloudFront
/// distribution, else the one API Gateway saw (`requestContext`) or the
/// peer of the connection when served locally.
pub struct SourceIp(pub String);

impl FromRequestParts<crate::AppState> for SourceIp {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &crate::AppState) -> Result<Self, Self::Rejection> {
        let proof = state.origin_verify.as_deref();
        Ok(Self(crate::client::caller_ip(
            &parts.headers,
            &parts.extensions,
            proof,
        )))
    }
}
