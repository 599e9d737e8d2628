//! A customer's invoices (M23) and their payment (M24): reading them is
//! open to a customer in arrears, so that they can pay.

use printvault_adapters::billing::Paid;
use printvault_adapters::Page;
use printvault_domain::billing::{Invoice, InvoiceId};
use printvault_domain::ids::CustomerId;
use printvault_domain::when::Timestamp;
use printvault_domain::Thing;
use printvault_domain::{CannotApply, Error};

use crate::Stores;

pub async fn invoices(
    st: &Stores,
    c: &CustomerId,
    limit: u32,
    cursor: Option<&str>,
) -> Result<Page<Invoice>, Error> {
    st.billing.invoices(c, limit, cursor).await
}

/// One invoice of `c`'s; another customer's answers 404, as a missing one.
pub async fn invoice_of(st: &Stores, c: &CustomerId, id: &InvoiceId) -> Result<Invoice, Error> {
    if &id.customer != c {
        return Err(Error::NotFound(Thing::Invoice));
    }
    st.billing
        .invoice(id)
        .await?
        .ok_or(Error::NotFound(Thing::Invoice))
}

/// Applies a confirmed payment of `amount` yen to invoice `id`. The amount
/// must be the invoice's; paying takes it off the customer's arrears in the
/// same write, so access comes back at once. A second payment of a paid
/// invoice is kept as its `refund_due`, once per payment ID.
pub async fn pay_invoice(
    st: &Stores,
    id: &InvoiceId,
    payment_id: &str,
    amount: i64,
    paid_at: Timestamp,
) -> Result<(Invoice, Paid), Error> {
    let invoice = st
        .billing
        .invoice(id)
        .await?
        .ok_or(Error::NotFound(Thing::Invoice))?;
    if amount != invoice.charge.amount.0 {
        return Err(Error::CannotApply(CannotApply::InvoiceAmount {
            amount,
            due: invoice.charge.amount.0,
        }));
    }
    let paid = st.billing.pay(id, payment_id, amount, paid_at).await?;
    match &paid {
        Paid::Now => tracing::info!(invoice = %id, amount, "invoice paid"),
        Paid::Replay => {}
        Paid::Before(other) => {
            tracing::warn!(invoice = %id, amount, payment_id, paid_by = %other, "invoice paid twice; refund due")
        }
    }
    let invoice = st
        .billing
        .invoice(id)
        .await?
        .ok_or(Error::NotFound(Thing::Invoice))?;
    Ok((invoice, paid))
}
