//! The local stand-in for the payment provider's hosted checkout (M20,
//! X1), marked as local on the page itself. The web page sends the
//! customer to `GET /_local/checkout?reference=ord_…&return_url=/…` (the
//! `checkout_url` of the runner's `/config.json`): a plain form, no script,
//! showing what the order or invoice owes. Its button POSTs back here, and
//! the runner sends the provider's real signed `payment.succeeded` webhook
//! ([`crate::pay`]) to the api, then sends the browser back to
//! `return_url`, which must be a path on this origin. Deployed, the
//! provider's own page does all this.

use anyhow::Context;
use api::ApiError;
use axum::extract::rejection::{FormRejection, QueryRejection};
use axum::extract::{Form, Query, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use printvault_adapters::aws::Clients;
use printvault_adapters::names::ResourceNames;
use printvault_domain::notice::html_escape;
use std::sync::Arc;

use crate::pay::{self, Payment, Reference};

/// Where the checkout is, on the api's listener.
pub const PATH: &str = "/_local/checkout";
/// The runner's own routes, never the api's nor the page's.
pub const PREFIX: &str = "/_local";

/// What the checkout needs: the stack's tables (to read what is owed) and
/// the api with its webhook secret (to pay it).
pub struct Checkout {
    clients: Clients,
    names: ResourceNames,
    api_url: String,
    secret: String,
}

impl Checkout {
    /// Signs with the webhook secret the api reads ([`crate::provision`]
    /// puts `payment::LOCAL_SECRET` there), read with `clients`.
    pub async fn new(clients: &Clients, names: &ResourceNames, api_url: &str) -> anyhow::Result<Self> {
        let secret =
            printvault_adapters::secrets::secret_string(&clients.secrets, &names.payment_webhook_secret)
                .await
                .context("reading the payment webhook secret for the local checkout")?;
        Ok(Self {
            clients: clients.clone(),
            names: names.clone(),
            api_url: api_url.trim_end_matches('/').to_owned(),
            secret,
        })
    }

    /// What `reference` owes, or why it cannot be paid here.
    async fn due(&self, fields: &Fields) -> Result<(String, String, i64), ApiError> {
        let return_url = fields.return_url.clone().unwrap_or_else(|| "/".into());
        if !same_origin_path(&return_url) {
            return Err(invalid(
                "return_url must be a path on this site: one leading /, no scheme, host or backslash.",
            ));
        }
        let reference = fields.reference.clone().unwrap_or_default();
        if reference.is_empty() {
            return Err(invalid(
                "Say what to pay: reference=ord_… (an order) or inv_… (an invoice).",
            ));
        }
        let parsed = Reference::parse(&reference)
            .map_err(|_| invalid("The reference must name an order (ord_…) or an invoice (inv_…)."))?;
        let amount = pay::due_of(&self.clients, &self.names, &parsed)
            .await?
            .ok_or_else(|| {
                ApiError::new(
                    StatusCode::NOT_FOUND,
                    "not_found",
                    format!("There is no order or invoice {reference}."),
                )
            })?;
        Ok((reference, return_url, amount))
    }
}

/// The checkout's routes.
pub fn routes(checkout: Checkout) -> Router {
    Router::new()
        .route(PATH, get(page).post(pay_now))
        .route("/_local/checkout.css", get(stylesheet))
        .with_state(Arc::new(checkout))
}

/// The checkout's fields, in the query (GET) or the form (POST).
#[derive(serde::Deserialize)]
struct Fields {
    reference: Option<String>,
    return_url: Option<String>,
}

fn invalid(message: impl Into<String>) -> ApiError {
    ApiError::new(StatusCode::BAD_REQUEST, "invalid_request", message)
}

/// Whether `url` is a path on this origin: a single leading `/` (`//` names
/// another host), printable ASCII only (no space, tab or newline, which
/// browsers drop, and no non-ASCII), no backslash (browsers read `/\` as
/// `//`).
fn same_origin_path(url: &str) -> bool {
    url.starts_with('/')
        && !url.starts_with("//")
        && url.len() <= 2048
        && url.bytes().all(|b| b.is_ascii_graphic() && b != b'\\')
}

/// The checkout page: what is owed, and a button that pays it.
async fn page(
    State(c): State<Arc<Checkout>>,
    query: Result<Query<Fields>, QueryRejection>,
) -> Result<Response, ApiError> {
    let Query(fields) = query.map_err(|_| invalid("The checkout's query could not be read."))?;
    let (reference, return_url, amount) = c.due(&fields).await?;
    // The return URL last, so that nothing in it is taken for a placeholder.
    let html = include_str!("checkout.html")
        .replace("{amount}", &amount.to_string())
        .replace("{reference}", &html_escape(&reference))
        .replace("{return_url}", &html_escape(&return_url));
    Ok(([(header::CACHE_CONTROL, "no-store")], Html(html)).into_response())
}

/// Pays as the provider would, then sends the browser back.
async fn pay_now(
    State(c): State<Arc<Checkout>>,
    form: Result<Form<Fields>, FormRejection>,
) -> Result<Response, ApiError> {
    let Form(fields) = form.map_err(|_| invalid("The checkout's form could not be read."))?;
    let (reference, return_url, amount) = c.due(&fields).await?;
    let webhook_id = format!("msg_{:016x}", rand::random::<u64>());
    let payment = Payment {
        api: &c.api_url,
        order_id: &reference,
        amount,
        currency: "JPY",
        secret: &c.secret,
        webhook_id: &webhook_id,
        // The real time, even when the stack's clock is simulated (`--sim-day-secs`,
        // `/_local/clock`): the api checks a webhook's timestamp against the real
        // clock, as the provider signs with it.
        timestamp: time::OffsetDateTime::now_utc().unix_timestamp(),
    };
    let (status, answer) = pay::send(&payment).await?;
    if !(200..300).contains(&status) {
        let said = answer["error"]["message"].as_str().unwrap_or("no reason given");
        return Err(ApiError::new(
            StatusCode::BAD_GATEWAY,
            "payment_refused",
            format!("The api refused the payment ({status}): {said}"),
        ));
    }
    let location = HeaderValue::from_str(&return_url).map_err(anyhow::Error::from)?;
    Ok((StatusCode::SEE_OTHER, [(header::LOCATION, location)]).into_response())
}

async fn stylesheet() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "text/css; charset=utf-8")],
        include_str!("checkout.css"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_path_on_this_origin_is_a_return_url() {
        for good in ["/", "/#/orders/ord_1", "/orders?x=https://a", "/a/b%2F"] {
            assert!(same_origin_path(good), "{good}");
        }
        for bad in [
            "https://evil.example/",
            "//evil.example",
            "/\\evil.example",
            "\\\\evil.example",
            "/\t/evil.example",
            "/ok\r\nSet-Cookie: x=1",
            "javascript:alert(1)",
            "evil.example",
            "/caf\u{e9}",
            "",
        ] {
            assert!(!same_origin_path(bad), "{bad:?}");
        }
    }
}
