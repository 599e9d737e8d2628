//! The built page's files, read from its directory at each request (so a
//! page rebuilt while the runner runs is served at once). A path names a
//! file only through plain segments: `..`, `.`-files, backslashes and
//! colons (also percent-encoded) are refused, and so is a file whose real
//! path (symlinks followed) is outside the directory. A path that is no
//! file answers `index.html` (the app reads its route from the URL), but a
//! missing `/assets/…` file is a plain 404.

use axum::body::Body;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use percent_encoding::percent_decode_str;
use std::path::{Path, PathBuf};

/// Files that may change under the same name: checked again each time.
pub const NO_CACHE: &str = "no-cache";
/// Vite names each file under `assets/` by its content's hash.
const IMMUTABLE: &str = "public, max-age=31536000, immutable";

/// The answer to a GET of `path` (as requested, percent-encoded) from `dir`.
pub async fn answer(dir: PathBuf, path: String) -> Response {
    tokio::task::spawn_blocking(move || answer_now(&dir, &path))
        .await
        .unwrap_or_else(|_| plain(StatusCode::INTERNAL_SERVER_ERROR, "the file could not be read"))
}

fn answer_now(dir: &Path, path: &str) -> Response {
    let Ok(root) = dir.canonicalize() else {
        return not_built();
    };
    let Some(segments) = segments(path) else {
        return plain(StatusCode::NOT_FOUND, "not found");
    };
    let assets = segments.first().is_some_and(|s| s == "assets");
    if let Some(last) = segments.last() {
        let wanted = segments.iter().fold(root.clone(), |p, s| p.join(s));
        match wanted.canonicalize() {
            Ok(real) if !real.starts_with(&root) => return plain(StatusCode::NOT_FOUND, "not found"),
            Ok(real) if real.is_file() => {
                return file(
                    &real,
                    content_type(last),
                    if assets { IMMUTABLE } else { NO_CACHE },
                )
            }
            _ => {}
        }
    }
    if assets {
        return plain(StatusCode::NOT_FOUND, "not found");
    }
    match root.join("index.html").canonicalize() {
        Ok(index) if index.starts_with(&root) && index.is_file() => {
            file(&index, content_type("index.html"), NO_CACHE)
        }
        _ => not_built(),
    }
}

/// The decoded segments of `path`, empty ones left out; `None` if one of
/// them could leave the directory or name a hidden file.
fn segments(path: &str) -> Option<Vec<String>> {
    let decoded = percent_decode_str(path).decode_utf8().ok()?;
    let mut out = Vec::new();
    for s in decoded.split('/').filter(|s| !s.is_empty()) {
        if s.starts_with('.') || s.contains(['\\', ':', '\0']) {
            return None;
        }
        out.push(s.to_owned());
    }
    Some(out)
}

/// The content type of a file named `name`, by its extension.
fn content_type(name: &str) -> &'static str {
    let ext = name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase());
    match ext.as_deref() {
        Some("html") => "text/html; charset=utf-8",
        Some("js") | Some("mjs") => "text/javascript; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("json") | Some("map") => "application/json",
        Some("ico") => "image/x-icon",
        Some("woff2") => "font/woff2",
        Some("txt") => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

fn file(path: &Path, content_type: &'static str, cache: &'static str) -> Response {
    match std::fs::read(path) {
        Ok(bytes) => (
            [
                (header::CONTENT_TYPE, content_type),
                (header::CACHE_CONTROL, cache),
            ],
            Body::from(bytes),
        )
            .into_response(),
        Err(_) => plain(StatusCode::NOT_FOUND, "not found"),
    }
}

fn not_built() -> Response {
    plain(
        StatusCode::NOT_FOUND,
        "the web page is not built: run `make web`, then reload",
    )
}

fn plain(status: StatusCode, text: &str) -> Response {
    (
        status,
        [
            (header::CONTENT_TYPE, "text/plain; charset=utf-8"),
            (header::CACHE_CONTROL, NO_CACHE),
        ],
        format!("{text}\n"),
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_segments_name_a_file() {
        assert_eq!(segments("/"), Some(vec![]));
        assert_eq!(
            segments("/assets/app-abc123.js"),
            Some(vec!["assets".into(), "app-abc123.js".into()])
        );
        assert_eq!(segments("//a//b"), Some(vec!["a".into(), "b".into()]));
        for bad in [
            "/../Cargo.toml",
            "/%2e%2e/Cargo.toml",
            "/%2E%2E/x",
            "/assets/..%2f..%2fsecret",
            "/a/%5c..%5csecret",
            "/.git/config",
            "/c:/windows",
            "/a%00b",
            "/%ff",
        ] {
            assert_eq!(segments(bad), None, "{bad}");
        }
    }

    #[test]
    fn types_by_extension() {
        assert_eq!(content_type("index.html"), "text/html; charset=utf-8");
        assert_eq!(content_type("app-abc123.JS"), "text/javascript; charset=utf-8");
        assert_eq!(content_type("favicon.svg"), "image/svg+xml");
        assert_eq!(content_type("app.js.map"), "application/json");
        assert_eq!(content_type("README"), "application/octet-stream");
    }
}

#[cfg(all(test, unix))]
mod on_disk {
    use super::*;

    async fn body(res: Response) -> String {
        let bytes = axum::body::to_bytes(res.into_body(), 1 << 20).await.unwrap();
        String::from_utf8_lossy(&bytes).into_owned()
    }

    #[tokio::test]
    async fn a_symlink_out_of_the_directory_is_not_followed() {
        let outside = tempfile::tempdir().unwrap();
        std::fs::write(outside.path().join("secret.txt"), "the secret").unwrap();
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("index.html"), "<p>page</p>").unwrap();
        std::os::unix::fs::symlink(outside.path().join("secret.txt"), dir.path().join("leak.txt")).unwrap();
        std::os::unix::fs::symlink(outside.path(), dir.path().join("assets")).unwrap();
        for path in ["/leak.txt", "/assets/secret.txt"] {
            let res = answer(dir.path().to_owned(), path.into()).await;
            assert_eq!(res.status(), StatusCode::NOT_FOUND, "{path}");
            assert!(!body(res).await.contains("the secret"), "{path}");
        }
        let res = answer(dir.path().to_owned(), "/albums/2027".into()).await;
        assert_eq!(res.status(), StatusCode::OK);
        assert_eq!(body(res).await, "<p>page</p>");
    }

    #[tokio::test]
    async fn a_directory_not_built_says_how_to_build_it() {
        let dir = tempfile::tempdir().unwrap();
        let res = answer(dir.path().join("dist"), "/".into()).await;
        assert_eq!(res.status(), StatusCode::NOT_FOUND);
        assert!(body(res).await.contains("make web"));
    }
}
