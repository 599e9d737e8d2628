//! `local-runner pay ORDER_OR_INVOICE`: plays the payment provider. It sends the
//! `payment.succeeded` webhook a provider would, signed the Standard
//! Webhooks way with the stack's webhook secret, to the api's
//! `POST /v1/payments/webhook`.

use anyhow::Context;
use printvault_domain::payment::{sign, WebhookSecrets};
use serde_json::{json, Value};

/// One payment to send.
pub struct Payment<'a> {
    /// The api's base URL (`http://127.0.0.1:8080`).
    pub api: &'a str,
    /// The order (`ord_…`) or storage invoice (`inv_…`) paid for.
    pub order_id: &'a str,
    /// Integer yen; the order's amount due for a good payment.
    pub amount: i64,
    pub currency: &'a str,
    /// `whsec_…`: the stack's secret (`payment::LOCAL_SECRET` locally).
    pub secret: &'a str,
    /// The webhook's ID; the same again is a replay.
    pub webhook_id: &'a str,
    /// Unix seconds of the signature.
    pub timestamp: i64,
}

/// The body a provider sends for `p`.
pub fn body(p: &Payment<'_>) -> Vec<u8> {
    json!({
        "type": "payment.succeeded",
        "timestamp": time::OffsetDateTime::from_unix_timestamp(p.timestamp)
            .map(printvault_domain::when::rfc3339)
            .unwrap_or_default(),
        "data": {
            if p.order_id.starts_with("inv_") { "invoice_id" } else { "order_id" }: p.order_id,
            "payment_id": format!("pay_{}", p.webhook_id),
            "amount": p.amount,
            "currency": p.currency,
        }
    })
    .to_string()
    .into_bytes()
}

/// Sends `p`; returns the api's status and body.
pub async fn send(p: &Payment<'_>) -> anyhow::Result<(u16, Value)> {
    let secrets = WebhookSecrets::parse(p.secret).map_err(|e| anyhow::anyhow!("{e}"))?;
    let body = body(p);
    let signature = sign(secrets.signing_key(), p.webhook_id, p.timestamp, &body);
    let url = format!("{}/v1/payments/webhook", p.api.trim_end_matches('/'));
    // reqwest brings no rustls crypto provider of its own (Cargo.toml): the
    // AWS SDK's aws-lc-rs, unless one is installed already.
    let _ = rustls::crypto::aws_lc_rs::default_provider().install_default();
    let res = reqwest::Client::new()
        .post(&url)
        .header("content-type", "application/json")
        .header("webhook-id", p.webhook_id)
        .header("webhook-timestamp", p.timestamp.to_string())
        .header("webhook-signature", signature)
        .body(body)
        .send()
        .await
        .with_context(|| format!("posting to {url}"))?;
    let status = res.status().as_u16();
    let answer = res.json().await.unwrap_or(Value::Null);
    Ok((status, answer))
}

/// What a payment is for: an order (`ord_…`) or a storage invoice (`inv_…`).
pub enum Reference {
    Order(printvault_domain::ids::OrderId),
    Invoice(printvault_domain::billing::InvoiceId),
}

impl Reference {
    /// Reads `ord_…` or `inv_…`; anything else is refused with a sentence.
    pub fn parse(reference: &str) -> anyhow::Result<Self> {
        let parsed = if reference.starts_with("inv_") {
            printvault_domain::billing::InvoiceId::parse(reference).map(Self::Invoice)
        } else {
            printvault_domain::ids::OrderId::parse(reference).map(Self::Order)
        };
        parsed.map_err(|e| anyhow::anyhow!("{e}"))
    }
}

/// What `reference` owes: the order's `amount_due` (orders table), or the
/// invoice's charge (billing table); `None` if there is no such one.
pub async fn due_of(
    clients: &printvault_adapters::aws::Clients,
    names: &printvault_adapters::names::ResourceNames,
    reference: &Reference,
) -> anyhow::Result<Option<i64>> {
    match reference {
        Reference::Invoice(id) => {
            let store = printvault_adapters::billing::BillingStore::new(
                clients.dynamodb.clone(),
                &names.billing_table,
                &names.images_table,
                &Default::default(),
            );
            let inv = store.invoice(id).await.map_err(|e| anyhow::anyhow!("{e}"))?;
            Ok(inv.map(|inv| inv.charge.amount.0))
        }
        Reference::Order(id) => {
            let store =
                printvault_adapters::orders::OrderStore::new(clients.dynamodb.clone(), &names.orders_table);
            let order = store.get(id).await.map_err(|e| anyhow::anyhow!("{e}"))?;
            Ok(order.map(|o| o.amount_due.0))
        }
    }
}

/// What the order owes (its `amount_due`, from the stack's orders table),
/// or the invoice (`inv_…`, from the billing table).
pub async fn amount_due(
    clients: &printvault_adapters::aws::Clients,
    names: &printvault_adapters::names::ResourceNames,
    order_id: &str,
) -> anyhow::Result<i64> {
    let reference = Reference::parse(order_id)?;
    let (what, table) = match reference {
        Reference::Invoice(_) => ("invoice", &names.billing_table),
        Reference::Order(_) => ("order", &names.orders_table),
    };
    due_of(clients, names, &reference)
        .await?
        .with_context(|| format!("no {what} {order_id} in {table}"))
}
