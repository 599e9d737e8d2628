//! M20: the payment provider's webhook (Standard Webhooks v1).

use axum::body::Bytes;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::Json;
use printvault_domain::payment::Signed;
use printvault_usecases::orders::{self, PaymentOutcome};
use serde::Serialize;

use crate::{ApiError, AppState};

/// What the webhook did.
#[derive(Serialize, utoipa::ToSchema)]
pub struct PaymentAnswer {
    /// `paid`, `refund_due` (the order was cancelled or already paid: the
    /// money is owed back), `replayed` (seen before: nothing changed) or
    /// `ignored` (an event type that moves no order).
    #[schema(example = "paid")]
    pub status: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub order_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub invoice_id: Option<String>,
}

/// Confirms a payment of an order (M20) or of a storage invoice (M23;
/// `data.invoice_id` instead of `data.order_id`). Signed by the provider as Standard Webhooks v1 says:
/// `webhook-signature` holds `v1,<base64 HMAC-SHA256 of "<webhook-id>.<webhook-timestamp>.<body>">`
/// (several, space-separated, while a secret is rotated). A timestamp more
/// than 5 minutes from now, or no valid signature, is refused (401); a
/// replayed `webhook-id` answers 200 and changes nothing; an amount or
/// currency other than the order's answers 422.
#[utoipa::path(post, path = "/v1/payments/webhook", tag = "orders",
    params(
        ("webhook-id" = String, Header, description = "The message's unique ID; a replay of it changes nothing"),
        ("webhook-timestamp" = String, Header, description = "Unix seconds; refused more than 5 minutes from now"),
        ("webhook-signature" = String, Header, description = "`v1,<base64>` signatures, space-separated"),
    ),
    request_body(content = printvault_domain::payment::PaymentEvent, content_type = "application/json"),
    responses((status = 200, description = "Applied, or seen before", body = PaymentAnswer),
        (status = 400, description = "The body is not a payment event", body = crate::views::ErrorBody),
        (status = 401, description = "A header is missing, the timestamp is stale, or no signature is valid", body = crate::views::ErrorBody),
        (status = 404, description = "No such order or invoice", body = crate::views::ErrorBody),
        (status = 409, description = "The order waits for its guest's email confirmation; send it again later", body = crate::views::ErrorBody),
        (status = 422, description = "The amount or currency is not the order's (or invoice's)", body = crate::views::ErrorBody)))]
pub async fn webhook(
    State(st): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Json<PaymentAnswer>, ApiError> {
    let h = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    let signed = Signed {
        id: h("webhook-id"),
        timestamp: h("webhook-timestamp"),
        signature: h("webhook-signature"),
    };
    let outcome = orders::confirm_payment(&st.stores, &st.webhook_secrets, &signed, &body, st.now()).await?;
    let (status, order_id, invoice_id) = match outcome {
        PaymentOutcome::Paid(o) => ("paid", Some(o.order_id.to_string()), None),
        PaymentOutcome::RefundDue(o) => ("refund_due", Some(o.order_id.to_string()), None),
        PaymentOutcome::InvoicePaid(i) => ("paid", None, Some(i.invoice_id.to_string())),
        PaymentOutcome::InvoiceRefundDue(i) => ("refund_due", None, Some(i.invoice_id.to_string())),
        PaymentOutcome::Replay => ("replayed", None, None),
        PaymentOutcome::Ignored => ("ignored", None, None),
    };
    Ok(Json(PaymentAnswer {
        status,
        order_id,
        invoice_id,
    }))
}
