//! Every domain error, walked: each maps, at the api's edge only, to a
//! status that `docs/openapi.json` documents, a stable code and a sentence;
//! a limit that passes with time says when (`Retry-After`); a 500 never
//! says why.

use api::{status_of, ApiError};
use axum::response::IntoResponse;
use printvault_domain::ids::ImageId;
use printvault_domain::{CannotApply, Error, Limit, Unauthenticated, WebhookRefusal};
use reasons::{every_clash, every_problem};
use std::collections::BTreeSet;
use things::every_thing;

#[path = "errors/reasons.rs"]
mod reasons;
#[path = "errors/things.rs"]
mod things;

/// One of each variant, down to every reason. The `match`es make a new
/// variant a compile error here until it is added to the list.
fn every_error() -> Vec<Error> {
    let mut all: Vec<Error> = every_problem()
        .into_iter()
        .map(|p| Error::invalid("field", p))
        .collect();
    all.extend(every_clash().into_iter().map(Error::Conflict));
    all.extend(every_thing().into_iter().map(Error::NotFound));
    all.extend(vec![
        Error::NotAuthenticated(Unauthenticated::WrongCredentials),
        Error::NotAuthenticated(Unauthenticated::WebhookRefused(WebhookRefusal::Missing(
            "webhook-id",
        ))),
        Error::NotAuthenticated(Unauthenticated::WebhookRefused(
            WebhookRefusal::TimestampUnreadable,
        )),
        Error::NotAuthenticated(Unauthenticated::WebhookRefused(WebhookRefusal::TimestampSkew {
            tolerance_secs: 300,
        })),
        Error::NotAuthenticated(Unauthenticated::WebhookRefused(WebhookRefusal::NoValidSignature)),
        Error::CannotApply(CannotApply::KeyReused),
        Error::CannotApply(CannotApply::LineNotFound {
            line: 2,
            image: ImageId::generate(),
        }),
        Error::CannotApply(CannotApply::LineNotOffered {
            line: 1,
            image: ImageId::generate(),
        }),
        Error::CannotApply(CannotApply::LineGone { line: 3 }),
        Error::CannotApply(CannotApply::LineArchived {
            line: 1,
            image: ImageId::generate(),
            disc: printvault_domain::ids::OrderId::generate(),
        }),
        Error::CannotApply(CannotApply::InvoiceAmount { amount: 90, due: 100 }),
        Error::CannotApply(CannotApply::Currency("USD".into())),
        Error::OverLimit(Limit::LoginLocked { retry_after_secs: 4 }),
        Error::OverLimit(Limit::PendingUploads {
            max: 100,
            retry_after_secs: 900,
        }),
        Error::OverLimit(Limit::UploadSize {
            declared: 60 << 20,
            limit: 50 << 20,
        }),
        Error::OverLimit(Limit::ExportsPerDay {
            most: 3,
            retry_after_secs: 3600,
        }),
        Error::Unexpected(anyhow::anyhow!("table printvault-dev-images is gone")),
    ]);
    for e in &all {
        match e {
            Error::Invalid { .. }
            | Error::NotAuthenticated(
                Unauthenticated::WrongCredentials
                | Unauthenticated::WebhookRefused(
                    WebhookRefusal::Missing(_)
                    | WebhookRefusal::TimestampUnreadable
                    | WebhookRefusal::TimestampSkew { .. }
                    | WebhookRefusal::NoValidSignature,
                ),
            )
            | Error::NotFound(_)
            | Error::Conflict(_)
            | Error::CannotApply(
                CannotApply::KeyReused
                | CannotApply::LineNotFound { .. }
                | CannotApply::LineNotOffered { .. }
                | CannotApply::LineGone { .. }
                | CannotApply::LineArchived { .. }
                | CannotApply::InvoiceAmount { .. }
                | CannotApply::Currency(_),
            )
            | Error::OverLimit(
                Limit::LoginLocked { .. }
                | Limit::PendingUploads { .. }
                | Limit::UploadSize { .. }
                | Limit::ExportsPerDay { .. },
            )
            | Error::Unexpected(_) => {}
        }
    }
    all
}

/// Every error status any operation of the published contract declares.
fn documented_statuses() -> BTreeSet<u16> {
    let doc: serde_json::Value =
        serde_json::from_str(include_str!("../../../docs/openapi.json")).expect("the contract is JSON");
    let mut out = BTreeSet::new();
    for item in doc["paths"].as_object().expect("paths").values() {
        for op in item.as_object().expect("a path item").values() {
            for status in op["responses"].as_object().into_iter().flat_map(|r| r.keys()) {
                if let Ok(s) = status.parse::<u16>() {
                    out.insert(s);
                }
            }
        }
    }
    out
}

#[tokio::test]
async fn every_error_maps_to_a_documented_status_with_a_code_and_a_sentence() {
    let documented = documented_statuses();
    let mut seen = BTreeSet::new();
    for e in every_error() {
        let what = format!("{e:?}");
        let status = status_of(&e);
        let code = e.code();
        let retries = matches!(&e, Error::OverLimit(l) if l.retry_after_secs().is_some());
        let res = ApiError::from(e).into_response();
        assert_eq!(res.status(), status, "{what}");
        assert!(
            documented.contains(&status.as_u16()),
            "{what}: {status} is in no operation of docs/openapi.json"
        );
        assert_eq!(res.headers().contains_key("retry-after"), retries, "{what}");
        let body = axum::body::to_bytes(res.into_body(), 1 << 16).await.unwrap();
        let body: serde_json::Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(body["error"]["code"], code, "{what}");
        let message = body["error"]["message"].as_str().unwrap_or_default();
        assert!(message.len() > 8, "{what}: a sentence, not {message:?}");
        if status.is_server_error() {
            assert!(
                !message.contains("printvault-dev"),
                "a 500 never says why: {message}"
            );
        }
        seen.insert(status.as_u16());
    }
    assert_eq!(
        seen,
        [400, 401, 404, 409, 413, 422, 429, 500].into(),
        "one of each status"
    );
}
