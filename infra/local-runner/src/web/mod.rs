//! The customer web page (X1), served locally next to the api as the
//! deployed stack serves it from its web bucket: the single-page app Vite
//! builds into `web/dist` ([`files`]), the runner's own `/config.json`,
//! and the local checkout ([`crate::checkout`]). Every answer of these
//! carries the page's security headers ([`content_security_policy`]); the
//! api's answers are its own.

mod files;

use anyhow::Context;
use axum::extract::{Request, State};
use axum::http::header::{self, HeaderMap, HeaderName, HeaderValue};
use axum::http::Method;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Router;
use std::path::PathBuf;
use std::sync::Arc;

use crate::checkout::{self, Checkout};

/// Paths that are never the page's: the api, its documentation and the
/// runner's own routes.
const NOT_THE_PAGE: [&str; 4] = ["/v1", "/docs", "/api-docs", "/_local"];

/// The Content-Security-Policy of every page answer. Scripts and styles
/// come only from the page's own files (no inline script or style, no
/// `eval`); images may also be blobs and data URLs (previews of a file
/// before it is uploaded) or come from `s3_origin`, as may requests
/// (presigned thumbnails, and uploads PUT straight to S3). Nothing may
/// frame the page, change its base URL or send a form elsewhere.
/// `s3_origin` is `scheme://host:port` of the endpoint the api presigns
/// with ([`origin_of`]).
pub fn content_security_policy(s3_origin: &str) -> String {
    format!(
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' blob: data: {s3_origin}; \
         connect-src 'self' {s3_origin}; font-src 'self'; object-src 'none'; base-uri 'none'; \
         frame-ancestors 'none'; form-action 'self'"
    )
}

/// `scheme://host[:port]` of an http(s) `url`, lower-cased; `None` for any
/// other URL, or one whose host is not plain (so that it cannot add a
/// directive to a policy).
pub fn origin_of(url: &str) -> Option<String> {
    let (scheme, rest) = url.split_once("://")?;
    let scheme = scheme.to_ascii_lowercase();
    if scheme != "http" && scheme != "https" {
        return None;
    }
    let authority = rest.split(['/', '?', '#']).next()?;
    let plain = |c: char| c.is_ascii_alphanumeric() || ".-:[]".contains(c);
    (!authority.is_empty() && authority.chars().all(plain))
        .then(|| format!("{scheme}://{}", authority.to_ascii_lowercase()))
}

/// What the page's answers share.
struct Site {
    /// The built page; `None`: no page.
    dir: Option<PathBuf>,
    /// The security headers every answer carries.
    headers: HeaderMap,
    /// `/config.json`.
    config: String,
}

/// `api` with the page, `/config.json` and the local checkout around it.
/// `web_dir`: the built page (`None`: none; a directory not built yet
/// answers 404 until it is); `s3_endpoint`: where the api presigns S3 URLs;
/// `api_url`: this listener, which is also the page's origin.
pub fn site(
    api: Router,
    web_dir: Option<PathBuf>,
    s3_endpoint: &str,
    api_url: &str,
    checkout: Checkout,
) -> anyhow::Result<Router> {
    let s3 = origin_of(s3_endpoint).with_context(|| format!("{s3_endpoint} is not an http(s) URL"))?;
    let mut headers = HeaderMap::new();
    let csp = HeaderValue::from_str(&content_security_policy(&s3))?;
    headers.insert(header::CONTENT_SECURITY_POLICY, csp);
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    // Share-link tokens are in the page's URLs: never in a Referer.
    headers.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    let config = serde_json::json!({
        "checkout_url": format!("{}{}", api_url.trim_end_matches('/'), checkout::PATH),
        "local": true,
    });
    let site = Arc::new(Site {
        dir: web_dir,
        headers,
        config: config.to_string(),
    });
    Ok(api
        .merge(checkout::routes(checkout))
        .layer(axum::middleware::from_fn_with_state(site, serve)))
}

/// Whether `path` is `prefix` or below it.
fn under(path: &str, prefix: &str) -> bool {
    path.strip_prefix(prefix)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
}

/// Answers a GET of the page's (a file, or `index.html` for any other
/// path) and `/config.json`; hands everything else on, adding the security
/// headers to the local checkout's answers.
async fn serve(State(site): State<Arc<Site>>, req: Request, next: Next) -> Response {
    let path = req.uri().path().to_owned();
    let get = matches!(*req.method(), Method::GET | Method::HEAD);
    let mut res = if NOT_THE_PAGE.iter().any(|p| under(&path, p)) {
        let res = next.run(req).await;
        if !under(&path, checkout::PREFIX) {
            return res;
        }
        res
    } else if !get {
        return next.run(req).await;
    } else if path == "/config.json" {
        (
            [
                (header::CONTENT_TYPE, "application/json"),
                (header::CACHE_CONTROL, files::NO_CACHE),
            ],
            site.config.clone(),
        )
            .into_response()
    } else if let Some(dir) = &site.dir {
        files::answer(dir.clone(), path).await
    } else {
        return next.run(req).await;
    };
    let headers = res.headers_mut();
    for (name, value) in &site.headers {
        headers.insert(HeaderName::clone(name), value.clone());
    }
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_policy_allows_scripts_only_from_the_page_and_images_from_s3() {
        let csp = content_security_policy("http://127.0.0.1:40385");
        assert_eq!(
            csp,
            "default-src 'self'; script-src 'self'; style-src 'self'; \
             img-src 'self' blob: data: http://127.0.0.1:40385; connect-src 'self' http://127.0.0.1:40385; \
             font-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
        );
        assert!(!csp.contains("unsafe-inline") && !csp.contains("unsafe-eval"));
    }

    #[test]
    fn an_origin_is_scheme_host_and_port_only() {
        assert_eq!(
            origin_of("http://127.0.0.1:40385/").as_deref(),
            Some("http://127.0.0.1:40385")
        );
        assert_eq!(
            origin_of("HTTPS://S3.example.com/bucket?x=1").as_deref(),
            Some("https://s3.example.com")
        );
        for bad in [
            "ftp://x",
            "127.0.0.1:9000",
            "http://",
            "http://a b",
            "http://x;script-src *",
        ] {
            assert_eq!(origin_of(bad), None, "{bad}");
        }
    }
}
