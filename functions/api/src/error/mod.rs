//! The one place where errors become HTTP responses:
//! `{"error": {"code": "...", "message": "..."}}`. A 5xx never carries
//! internal detail; the log does, under the request ID.

use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Json;
use printvault_domain::{Error, Limit};
use tracing::Instrument;

mod sentences;

pub use sentences::sentence;

use crate::views::{ErrorBody, ErrorDetail};
use crate::AppState;

/// A domain error on its way out, or a refusal of the request itself.
#[derive(Debug)]
pub struct ApiError {
    status: StatusCode,
    code: &'static str,
    message: String,
    cause: Option<anyhow::Error>,
    /// Sent as `Retry-After` (seconds) with a 429.
    retry_after: Option<u64>,
}

impl ApiError {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        Self {
            status,
            code,
            message: message.into(),
            cause: None,
            retry_after: None,
        }
    }

    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The sentence the client is shown.
    pub fn message(&self) -> &str {
        &self.message
    }
}

/// The status of each domain error: the one mapping (a test walks every
/// variant against the statuses `docs/openapi.json` documents).
pub fn status_of(e: &Error) -> StatusCode {
    match e {
        Error::Invalid { .. } => StatusCode::BAD_REQUEST,
        Error::NotAuthenticated(_) => StatusCode::UNAUTHORIZED,
        Error::NotFound(_) => StatusCode::NOT_FOUND,
        Error::Conflict(_) => StatusCode::CONFLICT,
        Error::CannotApply(_) => StatusCode::UNPROCESSABLE_ENTITY,
        Error::OverLimit(Limit::UploadSize { .. }) => StatusCode::PAYLOAD_TOO_LARGE,
        Error::OverLimit(
            Limit::LoginLocked { .. } | Limit::PendingUploads { .. } | Limit::ExportsPerDay { .. },
        ) => StatusCode::TOO_MANY_REQUESTS,
        Error::Unexpected(_) => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

impl From<Error> for ApiError {
    fn from(e: Error) -> Self {
        let (status, code, message) = (status_of(&e), e.code(), sentence(&e));
        let retry_after = match &e {
            Error::OverLimit(limit) => limit.retry_after_secs(),
            _ => None,
        };
        Self {
            retry_after,
            cause: match e {
                Error::Unexpected(cause) => Some(cause),
                _ => None,
            },
            ..Self::new(status, code, message)
        }
    }
}

impl From<anyhow::Error> for ApiError {
    fn from(e: anyhow::Error) -> Self {
        Error::Unexpected(e).into()
    }
}

impl From<JsonRejection> for ApiError {
    fn from(r: JsonRejection) -> Self {
        let status = match &r {
            JsonRejection::MissingJsonContentType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            JsonRejection::BytesRejection(_) if r.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                StatusCode::PAYLOAD_TOO_LARGE
            }
            _ => StatusCode::BAD_REQUEST,
        };
        let code = if status == StatusCode::BAD_REQUEST {
            "invalid_json"
        } else if status == StatusCode::PAYLOAD_TOO_LARGE {
            "too_large"
        } else {
            "unsupported_media_type"
        };
        Self::new(status, code, r.body_text())
    }
}

impl From<QueryRejection> for ApiError {
    fn from(r: QueryRejection) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "invalid_query", r.body_text())
    }
}

impl From<PathRejection> for ApiError {
    fn from(_: PathRejection) -> Self {
        Self::new(StatusCode::NOT_FOUND, "not_found", "not found")
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        if let Some(cause) = &self.cause {
            tracing::error!(error = ?cause, "request failed");
        }
        let body = Json(ErrorBody {
            error: ErrorDetail {
                code: self.code,
                message: self.message,
            },
        });
        let mut res = (self.status, body).into_response();
        if let Some(secs) = self.retry_after {
            res.headers_mut()
                .insert(http::header::RETRY_AFTER, HeaderValue::from(secs.max(1)));
        }
        res
    }
}

pub async fn not_found() -> ApiError {
    ApiError::new(StatusCode::NOT_FOUND, "not_found", "no such route")
}

pub async fn method_not_allowed() -> ApiError {
    ApiError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        "method_not_allowed",
        "this route does not accept that method",
    )
}

/// One structured log line per request, under a span carrying the request ID
/// (Lambda's, when there is one), which is also returned as `x-request-id`,
/// and naming the caller's address ([`crate::client::caller_ip`]: behind
/// CloudFront, the viewer's rather than the edge server's).
pub async fn log_requests(State(st): State<AppState>, req: Request, next: Next) -> Response {
    let request_id = req
        .extensions()
        .get::<lambda_http::Context>()
        .map(|c| c.request_id.clone())
        .unwrap_or_else(|| ulid::Ulid::new().to_string());
    let method = req.method().clone();
    let route = req
        .extensions()
        .get::<axum::extract::MatchedPath>()
        .map(|p| p.as_str().to_owned())
        // Never the raw path: it can hold a share link's token.
        .unwrap_or_else(|| "(no route)".to_owned());
    let client = crate::client::caller_ip(req.headers(), req.extensions(), st.origin_verify.as_deref());
    let span = tracing::info_span!("request", request_id = %request_id);
    let started = std::time::Instant::now();
    let mut res = next.run(req).instrument(span.clone()).await;
    let status = res.status().as_u16();
    span.in_scope(|| {
        tracing::info!(%method, route, status, client, elapsed_ms = started.elapsed().as_millis() as u64, "request");
    });
    if let Ok(v) = HeaderValue::from_str(&request_id) {
        res.headers_mut().insert("x-request-id", v);
    }
    res
}
