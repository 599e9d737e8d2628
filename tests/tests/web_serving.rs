//! X1: the local runner serves the customer web page next to the api:
//! `index.html` for the app's paths (a reload of a deep path included),
//! hashed assets cached for good, nothing from outside its directory, and
//! a policy that allows no inline script. The bucket lets the page's origin
//! use presigned URLs (CORS), and the local stand-in for the provider's
//! hosted checkout pays an order and sends the browser back to the page.

// In web_serving/, so that cargo does not take it for a test target of its own.
#[path = "web_serving/checkout.rs"]
mod checkout;

use integration_tests::TestEnv;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use std::io::{Read, Write};
use tempfile::TempDir;

const INDEX: &str =
    "<!doctype html><title>printvault</title><script type=\"module\" src=\"/assets/app-abc123.js\"></script>";
const APP_JS: &str = "console.log('printvault page');";
/// What traversal out of the page's directory would reach.
const SECRET: &str = "TOP SECRET: outside the web directory";

/// A stack serving a fake built page from `dir/dist`; `dir` also holds
/// files the page must never serve.
struct Page {
    env: TestEnv,
    _dir: TempDir,
}

async fn page() -> Page {
    let dir = tempfile::tempdir().unwrap();
    let dist = dir.path().join("dist");
    std::fs::create_dir_all(dist.join("assets")).unwrap();
    std::fs::write(dist.join("index.html"), INDEX).unwrap();
    std::fs::write(dist.join("assets/app-abc123.js"), APP_JS).unwrap();
    std::fs::write(
        dist.join("favicon.svg"),
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
    )
    .unwrap();
    std::fs::write(dir.path().join("Cargo.toml"), SECRET).unwrap();
    std::fs::write(dir.path().join("secret"), SECRET).unwrap();
    let env = TestEnv::with(|o| o.web_dir = Some(dist)).await;
    Page { env, _dir: dir }
}

/// GETs `path`: status, headers, body.
async fn fetch(env: &TestEnv, path: &str) -> (StatusCode, reqwest::header::HeaderMap, String) {
    let res = env.http.get(env.url(path)).send().await.unwrap();
    let (status, headers) = (res.status(), res.headers().clone());
    (status, headers, res.text().await.unwrap())
}

fn header<'a>(h: &'a reqwest::header::HeaderMap, name: &str) -> &'a str {
    h.get(name)
        .map(|v| v.to_str().unwrap())
        .unwrap_or_else(|| panic!("no {name} header in {h:?}"))
}

/// The headers every answer of the page carries.
fn assert_secured(env: &TestEnv, h: &reqwest::header::HeaderMap) {
    let csp = header(h, "content-security-policy");
    let s3 = local_runner::web::origin_of(&env.stack.endpoint).unwrap();
    assert_eq!(csp, local_runner::web::content_security_policy(&s3));
    assert!(
        csp.contains("script-src 'self';") && !csp.contains("unsafe-inline"),
        "{csp}"
    );
    assert!(csp.contains(&format!("connect-src 'self' {s3};")), "{csp}");
    assert_eq!(header(h, "x-content-type-options"), "nosniff");
    assert_eq!(header(h, "referrer-policy"), "no-referrer");
    assert_eq!(header(h, "x-frame-options"), "DENY");
}

/// A GET of `path` exactly as written (reqwest would resolve `..`),
/// over a plain connection: the status code and the whole answer.
async fn raw_get(env: &TestEnv, path: &str) -> (u16, String) {
    let addr = env.stack.api_url.trim_start_matches("http://").to_owned();
    let request = format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n");
    tokio::task::spawn_blocking(move || {
        let mut conn = std::net::TcpStream::connect(&addr).unwrap();
        conn.set_read_timeout(Some(std::time::Duration::from_secs(10)))
            .unwrap();
        conn.write_all(request.as_bytes()).unwrap();
        let mut answer = String::new();
        conn.read_to_string(&mut answer).unwrap();
        let status = answer.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
        (status, answer)
    })
    .await
    .unwrap()
}

#[tokio::test]
async fn the_page_is_served_next_to_the_api_with_its_policy() {
    let p = page().await;
    let env = &p.env;
    for path in [
        "/",
        "/index.html",
        "/albums/01JDQ3V6ZK/photos?x=1",
        "/orders/ord_1.json",
    ] {
        let (status, h, body) = fetch(env, path).await;
        assert_eq!(status, StatusCode::OK, "{path}");
        assert_eq!(body, INDEX, "{path}");
        assert_eq!(header(&h, "content-type"), "text/html; charset=utf-8", "{path}");
        assert_eq!(header(&h, "cache-control"), "no-cache", "{path}");
        assert_secured(env, &h);
    }

    let (status, h, body) = fetch(env, "/assets/app-abc123.js").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body, APP_JS);
    assert_eq!(header(&h, "content-type"), "text/javascript; charset=utf-8");
    assert_eq!(header(&h, "cache-control"), "public, max-age=31536000, immutable");
    assert_secured(env, &h);
    let (status, h, _) = fetch(env, "/favicon.svg").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(header(&h, "content-type"), "image/svg+xml");

    // A missing asset is missing, not the app.
    let (status, h, body) = fetch(env, "/assets/app-000000.js").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(!body.contains("printvault</title>"), "{body}");
    assert_secured(env, &h);

    // The api is still the api, and its unknown routes its own 404s.
    let (status, h, body) = fetch(env, "/v1/health").await;
    assert_eq!((status, body.as_str()), (StatusCode::OK, r#"{"status":"ok"}"#));
    assert!(h.get("content-security-policy").is_none());
    let (status, _, body) = fetch(env, "/v1/no-such-route").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(
        serde_json::from_str::<Value>(&body).unwrap()["error"]["code"],
        "not_found"
    );
    let (status, _, _) = fetch(env, "/docs/").await;
    assert_eq!(status, StatusCode::OK);

    // Made by the runner: where the page sends a customer to pay.
    let (status, h, body) = fetch(env, "/config.json").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(header(&h, "content-type"), "application/json");
    assert_eq!(header(&h, "cache-control"), "no-cache");
    assert_secured(env, &h);
    let config: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(
        config,
        json!({"checkout_url": format!("{}/_local/checkout", env.stack.api_url), "local": true})
    );
}

#[tokio::test]
async fn nothing_outside_the_directory_is_served() {
    let p = page().await;
    for path in [
        "/../Cargo.toml",
        "/%2e%2e/Cargo.toml",
        "/%2E%2E/secret",
        "/assets/..%2f..%2fsecret",
        "/assets/../../secret",
        "/..%5c..%5csecret",
        "/.%2e/.%2e/secret",
    ] {
        let (status, answer) = raw_get(&p.env, path).await;
        assert_eq!(status, 404, "{path}: {answer}");
        assert!(!answer.contains("TOP SECRET"), "{path}: {answer}");
        // Refused by the page, not by the HTTP server or the api.
        assert!(
            answer.contains("content-security-policy: default-src 'self'"),
            "{path}: {answer}"
        );
    }
    // Asked the same way, the page is served: the refusals are the paths'.
    let (status, answer) = raw_get(&p.env, "/assets/app-abc123.js").await;
    assert_eq!(status, 200, "{answer}");
    assert!(answer.ends_with(APP_JS), "{answer}");
}

/// A browser at the page uploads straight to S3: the preflight of a real
/// upload URL from the page's origin is allowed, one from elsewhere refused
/// (moto allows every origin of a bucket with no CORS rule at all, so the
/// refusal is what shows the rule is there).
#[tokio::test]
async fn the_bucket_lets_the_page_origin_upload() {
    let p = page().await;
    let env = &p.env;
    let ann = env.new_customer().await;
    let (s, up) = env
        .post(
            "/v1/uploads",
            &ann,
            json!({"file_name": "a.jpg", "content_type": "image/jpeg", "content_length": 1000}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{up}");
    let url = up["upload"]["url"].as_str().unwrap();
    let preflight = |origin: &str| {
        env.http
            .request(Method::OPTIONS, url)
            .header("origin", origin)
            .header("access-control-request-method", "PUT")
            .header("access-control-request-headers", "content-type,if-none-match")
            .send()
    };
    let res = preflight(&env.stack.api_url).await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let h = res.headers();
    assert_eq!(header(h, "access-control-allow-origin"), env.stack.api_url);
    assert!(header(h, "access-control-allow-methods").contains("PUT"), "{h:?}");

    let res = preflight("http://evil.example").await.unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
}
