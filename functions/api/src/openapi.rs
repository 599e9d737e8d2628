//! The published contract (X2): an OpenAPI 3.1 document derived from the
//! handlers' `#[utoipa::path]` annotations and the request and view types,
//! collected as the router is built, so a route cannot be served without
//! being documented. `GET /v1/openapi.json` serves it; `docs/openapi.json`
//! is the committed copy, and a test fails when the two differ.

use utoipa::openapi::path::{Operation, ParameterIn};
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{ContentBuilder, Ref, RefOr, Response, ResponseBuilder};
use utoipa::{Modify, OpenApi};

use crate::views::ErrorBody;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "printvault",
        description = "Photo storage, sharing and print ordering. Every error is \
            `{\"error\": {\"code\": \"...\", \"message\": \"...\"}}`; every answer carries an \
            `x-request-id` header that the logs carry too. Listings are paged with `limit` \
            and an opaque `cursor` (pass back `next_cursor`). Anything the caller may not \
            see answers 404, exactly like something that does not exist.",
        license(name = "MIT")
    ),
    components(schemas(ErrorBody)),
    modifiers(&Contract),
    tags(
        (name = "accounts", description = "M1 membership and sessions"),
        (name = "profile", description = "M2 customer information, M4 profile sharing"),
        (name = "images", description = "M5 uploads, M7-M11 images, classes and prices"),
        (name = "trash", description = "M5 deletion: a deleted image waits in the trash for 30 days (`trash.keep_days`), billed and hidden from everyone, and can be restored until the trash sweep purges it"),
        (name = "exports", description = "X3 the full export: every original as stored, with an XMP sidecar, and the account's records, in ZIP parts made in the background; the email links to fresh download URLs"),
        (name = "albums", description = "M12 albums and bulk attribute edits"),
        (name = "groups", description = "M3 party groups"),
        (name = "grants", description = "M12, M13 grants of an image or album to a named customer"),
        (name = "links", description = "X4 share links: made by their owner, opened by anyone with the token"),
        (name = "search", description = "M14 search"),
        (name = "catalogue", description = "M15, M11 what may be ordered: sizes, media, fees, points, owners' price bounds and output locations (no token)"),
        (name = "orders", description = "M15-M19 quotes, orders (customers and guests) and points"),
        (name = "anniversaries", description = "M28 event notices: the caller's choice of them, and the thumbnails a notice shows through its link"),
        (name = "archive", description = "M29-M32 archiving the oldest images to a disc: the caller's own thresholds, the proposals the archive sweep makes, quoting a disc of one (ordered, paid and cancelled as any order), and asking for an archived original back"),
        (name = "invoices", description = "M23-M25 storage invoices; open to a customer in arrears (M24), who is answered 402 elsewhere"),
        (name = "lab", description = "M21 lab reports (a lab's key)"),
        (name = "operator", description = "M6 screening blocklist, M21 print labs, notices that bounced or drew a complaint (operator key)"),
        (name = "meta", description = "Health and this document")
    )
)]
pub struct ApiDoc;

/// What every route shares, added from what each one declares, so no route
/// can forget a status its extractors answer with:
/// - 500 everywhere (the body never carries internal detail);
/// - 401 where a bearer token or the operator key is accepted (an invalid
///   one is refused even where it is optional);
/// - 400, 413 and 415 where a JSON body is read;
/// - 400 where query parameters are read, 404 where a path names something;
/// - 409 on every write (a transaction conflict with a concurrent write);
/// - the security schemes, and `x-request-id` on every answer.
struct Contract;

/// The operations a customer in arrears may still call (`auth::AnyStanding`).
pub const OPEN_IN_ARREARS: [&str; 3] = ["invoices_list", "invoices_read", "accounts_logout"];

fn error(description: &str) -> RefOr<Response> {
    ResponseBuilder::new()
        .description(description)
        .content(
            "application/json",
            ContentBuilder::new()
                .schema(Some(Ref::from_schema_name("ErrorBody")))
                .build(),
        )
        .build()
        .into()
}

fn add(op: &mut Operation, status: &str, description: &str) {
    op.responses
        .responses
        .entry(status.to_owned())
        .or_insert_with(|| error(description));
}

fn complete(op: &mut Operation, writes: bool) {
    // Handler names repeat across resources (`read`, `create`); the tag
    // makes each operation ID unique and readable: `images_read`.
    if let (Some(tag), Some(id)) = (op.tags.as_ref().and_then(|t| t.first()), op.operation_id.as_mut()) {
        *id = format!("{tag}_{id}");
    }
    let secured = op.security.as_ref().is_some_and(|s| !s.is_empty());
    let params = op.parameters.as_deref().unwrap_or_default();
    let (query, path) = params.iter().fold((false, false), |(q, p), param| match param {
        RefOr::T(x) => (
            q || x.parameter_in == ParameterIn::Query,
            p || x.parameter_in == ParameterIn::Path,
        ),
        RefOr::Ref(_) => (q, p),
    });
    let json_body =
        matches!(&op.request_body, Some(RefOr::T(b)) if b.content.contains_key("application/json"));
    if secured {
        add(op, "401", "No valid session token (or operator key) was sent");
    }
    let bearer = op.security.as_ref().is_some_and(|s| {
        s.iter()
            .any(|r| serde_json::to_value(r).is_ok_and(|v| v.get("bearer").is_some()))
    });
    let open_in_arrears = op
        .operation_id
        .as_deref()
        .is_some_and(|id| OPEN_IN_ARREARS.contains(&id));
    if bearer && !open_in_arrears {
        add(
            op,
            "402",
            "The caller's account is in arrears (M24): pay the invoices the message names",
        );
    }
    if json_body {
        add(
            op,
            "400",
            "The body is not valid JSON of the expected shape, or a value is invalid",
        );
        add(op, "413", "The body is too large");
        add(op, "415", "The body is not sent as `application/json`");
    }
    if query {
        add(op, "400", "A query parameter is unknown or invalid");
    }
    if writes {
        // Any write can meet another write of the same items at the same
        // moment; DynamoDB lets one win and the other may simply try again.
        add(
            op,
            "409",
            "Another change to the same data was in progress; try again",
        );
    }
    if path {
        add(
            op,
            "404",
            "No such thing, or the caller may not see it (a malformed ID included)",
        );
    }
    add(
        op,
        "500",
        "An internal error; the log has it under the response's `x-request-id`",
    );
    for r in op.responses.responses.values_mut() {
        if let RefOr::T(r) = r {
            r.headers.insert(
                "x-request-id".into(),
                utoipa::openapi::HeaderBuilder::new()
                    .schema(Some(
                        utoipa::openapi::ObjectBuilder::new().schema_type(utoipa::openapi::Type::String),
                    ))
                    .description(Some("Names this request in the logs"))
                    .build()
                    .into(),
            );
        }
    }
}

impl Modify for Contract {
    fn modify(&self, api: &mut utoipa::openapi::OpenApi) {
        let components = api.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some(
                        "A session token from `POST /v1/sessions` (43 URL-safe characters)",
                    ))
                    .build(),
            ),
        );
        components.add_security_scheme(
            "operator_key",
            SecurityScheme::ApiKey(ApiKey::Header(ApiKeyValue::with_description(
                "x-operator-key",
                "The operator key (Secrets Manager; `make run`'s --operator-key locally)",
            ))),
        );
        components.add_security_scheme(
            "lab_key",
            SecurityScheme::ApiKey(ApiKey::Header(ApiKeyValue::with_description(
                "x-lab-key",
                "A lab's reporting key, shown once when the operator registers the lab",
            ))),
        );
    }
}

/// Applies [`complete`] to every operation. Run after the routes are
/// collected (a `Modify` on the derive runs before they are).
pub fn finish(api: &mut utoipa::openapi::OpenApi) {
    for item in api.paths.paths.values_mut() {
        if let Some(op) = &mut item.get {
            complete(op, false);
        }
        for op in [&mut item.put, &mut item.post, &mut item.delete, &mut item.patch]
            .into_iter()
            .flatten()
        {
            complete(op, true);
        }
    }
}
