//! The published contract (X2): the OpenAPI document the code generates is
//! the committed `docs/openapi.json`, and it covers every route with the
//! statuses each can answer. Regenerate the copy with `make openapi`.

use http_body_util::BodyExt;
use serde_json::Value;
use std::path::PathBuf;
use tower::ServiceExt;

mod support;

fn committed_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../docs/openapi.json")
}

fn document() -> Value {
    serde_json::from_str(api::openapi_json_text().unwrap()).unwrap()
}

/// Every (method, path, operation) of the document.
fn operations(doc: &Value) -> Vec<(String, String, Value)> {
    let mut out = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            out.push((method.clone(), path.clone(), op.clone()));
        }
    }
    out
}

#[test]
fn the_committed_document_is_the_one_the_code_generates() {
    let generated = api::openapi_json_text().unwrap();
    if std::env::var_os("UPDATE_OPENAPI").is_some() {
        std::fs::write(committed_path(), generated).unwrap();
    }
    let committed = std::fs::read_to_string(committed_path()).unwrap_or_default();
    assert!(
        committed == generated,
        "docs/openapi.json differs from what the code generates; run `make openapi` and commit it"
    );
}

#[test]
fn it_is_openapi_3_1_with_both_security_schemes() {
    let doc = document();
    assert_eq!(doc["openapi"], "3.1.0");
    let schemes = &doc["components"]["securitySchemes"];
    assert_eq!(schemes["bearer"]["scheme"], "bearer");
    assert_eq!(schemes["operator_key"]["name"], "x-operator-key");
    assert!(doc["components"]["schemas"]["ErrorBody"].is_object());
}

#[test]
fn every_operation_documents_the_statuses_its_extractors_answer() {
    for (method, path, op) in operations(&document()) {
        let responses = op["responses"].as_object().unwrap();
        let has = |s: &str| responses.contains_key(s);
        let what = format!("{method} {path}");
        assert!(has("500"), "{what} lacks 500");
        assert!(
            // A redirect (an email's thumbnail) is a success too.
            responses.keys().any(|s| s.starts_with('2') || s.starts_with('3')),
            "{what} has no success"
        );
        if op["security"].as_array().is_some_and(|s| !s.is_empty()) {
            assert!(has("401"), "{what} takes a token but lacks 401");
        }
        if path.contains('{') {
            assert!(has("404"), "{what} names something but lacks 404");
        }
        if op["requestBody"]["content"]["application/json"].is_object() {
            for s in ["400", "413", "415"] {
                assert!(has(s), "{what} reads JSON but lacks {s}");
            }
        }
        for (status, r) in responses {
            if !status.starts_with('2') && !status.starts_with('3') {
                assert_eq!(
                    r["content"]["application/json"]["schema"]["$ref"], "#/components/schemas/ErrorBody",
                    "{what} {status} is not the one error body"
                );
            }
            assert!(
                r["headers"]["x-request-id"].is_object(),
                "{what} {status} lacks x-request-id"
            );
        }
    }
}

#[test]
fn paging_cursors_and_link_tokens_are_described() {
    let doc = document();
    let params = |path: &str, method: &str| -> Vec<String> {
        doc["paths"][path][method]["parameters"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["name"].as_str().unwrap().to_owned())
            .collect()
    };
    for (path, method) in [
        ("/v1/images", "get"),
        ("/v1/albums", "get"),
        ("/v1/albums/{id}", "get"),
        ("/v1/search", "get"),
    ] {
        let p = params(path, method);
        assert!(
            p.contains(&"cursor".into()) && p.contains(&"limit".into()),
            "{method} {path}: {p:?}"
        );
    }
    assert!(params("/v1/shared/{token}", "get").contains(&"token".into()));
}

/// Each documented operation reaches a handler: none answers the router's
/// "no such route" or "method not allowed".
#[tokio::test]
async fn every_documented_operation_is_served() {
    let app = support::app().await;
    for (method, path, _) in operations(&document()) {
        let concrete = path
            .replace("{id}", "x")
            .replace("{image}", "x")
            .replace("{member}", "x")
            .replace("{reader}", "x")
            .replace("{target}", "x")
            .replace("{grantee}", "x")
            .replace("{token}", "x");
        let req = http::Request::builder()
            .method(method.to_uppercase().as_str())
            .uri(&concrete)
            .body(axum::body::Body::empty())
            .unwrap();
        let res = app.clone().oneshot(req).await.unwrap();
        let status = res.status();
        let body = res.into_body().collect().await.unwrap().to_bytes();
        let body: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
        assert_ne!(status, 405, "{method} {path} is documented but not routed");
        assert_ne!(
            body["error"]["message"], "no such route",
            "{method} {path} is documented but not routed"
        );
    }
}

#[test]
fn operation_ids_are_unique() {
    let mut ids: Vec<String> = operations(&document())
        .iter()
        .map(|(_, _, op)| op["operationId"].as_str().unwrap().to_owned())
        .collect();
    let n = ids.len();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), n, "{ids:?}");
}

#[test]
fn request_bodies_and_ids_carry_examples() {
    let doc = document();
    let schemas = &doc["components"]["schemas"];
    for name in [
        "ClassChange",
        "UploadRequest",
        "AttributesPatch",
        "ProfileUpdate",
        "ImageId",
        "Email",
    ] {
        assert!(!schemas[name]["example"].is_null(), "{name} has no example");
    }
    assert!(!schemas["Credentials"]["properties"]["email"]["example"].is_null());
}
