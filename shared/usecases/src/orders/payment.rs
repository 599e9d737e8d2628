//! Payment confirmations (M20): a Standard Webhooks message from the
//! payment provider, verified, then applied to its order exactly once.

use printvault_adapters::billing::Paid;
use printvault_adapters::orders::Recorded;
use printvault_domain::billing::Invoice;
use printvault_domain::order::{Order, OrderStatus};
use printvault_domain::payment::{self, PaidFor, PaymentEvent, Signed, WebhookSecrets};
use printvault_domain::when::Timestamp;
use printvault_domain::Error;
use printvault_domain::Thing;
use printvault_domain::{Clash, Problem};
use time::OffsetDateTime;

use crate::Stores;

/// What a webhook did.
#[derive(Debug)]
pub enum PaymentOutcome {
    /// The order is paid now.
    Paid(Order),
    /// The money came for an order that cannot take it (cancelled, paid
    /// already by another payment, or not the amount due): it is received
    /// and owed back whole.
    RefundDue(Order),
    /// This webhook, or this payment, was applied before: nothing changed.
    Replay,
    /// An event type that moves no order, acknowledged.
    Ignored,
    /// A storage invoice is paid now (M23): the customer is out of arrears
    /// unless another invoice keeps them in (M24).
    InvoicePaid(Invoice),
    /// The invoice was paid before by another payment: this money is owed back.
    InvoiceRefundDue(Invoice),
}

/// Verifies the webhook (headers, timestamp, signature over these exact
/// bytes), then applies it, once per webhook ID and once per payment ID.
/// Bad signatures answer 401 and change nothing; a currency other than yen
/// answers 422 and changes nothing. Money in yen is never turned away: an
/// amount other than the order's amount due is received and owed back.
pub async fn confirm_payment(
    st: &Stores,
    secrets: &WebhookSecrets,
    headers: &Signed<'_>,
    body: &[u8],
    now: OffsetDateTime,
) -> Result<PaymentOutcome, Error> {
    // The provider's timestamp is checked against the real clock, even when
    // a local run simulates another day.
    let webhook_id = payment::verify(secrets, headers, body, OffsetDateTime::now_utc().unix_timestamp())?;
    let event: PaymentEvent = serde_json::from_slice(body)
        .map_err(|e| Error::invalid("body", Problem::Unreadable(e.to_string())))?;
    let paid_for = event.data.paid_for()?;
    if st.orders.webhook_seen(webhook_id).await? {
        // Nothing changes. If the first delivery paid the order but its
        // dispatch message was lost (the provider retries because we
        // answered 500), the order is still `paid`: ask for its dispatch
        // again, which print-dispatch does at most once.
        if let (true, PaidFor::Order(order_id)) = (event.kind == "payment.succeeded", &paid_for) {
            let paid = st.orders.get(order_id).await?;
            if paid.is_some_and(|o| o.status == OrderStatus::Paid) {
                st.dispatch.order_paid(order_id).await?;
            }
        }
        return Ok(PaymentOutcome::Replay);
    }
    if event.kind != "payment.succeeded" {
        st.orders.record_webhook(webhook_id, now.unix_timestamp()).await?;
        return Ok(PaymentOutcome::Ignored);
    }
    let d = &event.data;
    d.check()?;
    let order_id = match paid_for {
        PaidFor::Order(o) => o,
        PaidFor::Invoice(inv) => {
            let (invoice, paid) =
                crate::billing::pay_invoice(st, &inv, &d.payment_id, d.amount, Timestamp::at(now)).await?;
            st.orders.record_webhook(webhook_id, now.unix_timestamp()).await?;
            return Ok(match paid {
                Paid::Now => PaymentOutcome::InvoicePaid(invoice),
                Paid::Replay => PaymentOutcome::Replay,
                Paid::Before(_) => PaymentOutcome::InvoiceRefundDue(invoice),
            });
        }
    };
    // A few tries: a cancellation may land between our read and our write.
    for _ in 0..3 {
        let order = st
            .orders
            .get(&order_id)
            .await?
            .ok_or(Error::NotFound(Thing::Order))?;
        if order.status == OrderStatus::AwaitingEmail {
            return Err(Error::Conflict(Clash::AwaitingBuyerEmail));
        }
        let recorded = st
            .orders
            .record_payment(
                &order,
                webhook_id,
                &d.payment_id,
                d.amount,
                Timestamp::at(now),
                now.unix_timestamp(),
            )
            .await?;
        let reread = || async {
            st.orders
                .get(&order.order_id)
                .await?
                .ok_or(Error::NotFound(Thing::Order))
        };
        match recorded {
            Recorded::Paid => {
                tracing::info!(order = %order.order_id, amount = d.amount, "order paid");
                st.dispatch.order_paid(&order.order_id).await?;
                return Ok(PaymentOutcome::Paid(reread().await?));
            }
            Recorded::RefundDue => {
                tracing::warn!(order = %order.order_id, amount = d.amount, amount_due = order.amount_due.0, status = order.status.as_str(), "payment the order cannot take; refund due");
                return Ok(PaymentOutcome::RefundDue(reread().await?));
            }
            Recorded::PaymentSeen => {
                // The same payment under a new webhook ID: counted once.
                st.orders.record_webhook(webhook_id, now.unix_timestamp()).await?;
                return Ok(PaymentOutcome::Replay);
            }
            Recorded::Replay => return Ok(PaymentOutcome::Replay),
            Recorded::Moved => continue,
        }
    }
    Err(Error::Conflict(Clash::Raced))
}
