//! The money sections of an export: the orders the owner placed as a
//! customer (with their lines), their points ledger's entries (M18) and
//! their storage invoices (M23), each oldest first.

use printvault_domain::billing::InvoiceStatus;
use printvault_domain::export::manifest::{ManifestInvoice, ManifestLine, ManifestOrder, ManifestPoints};
use printvault_domain::ids::CustomerId;
use printvault_domain::pricing::PrintSize;
use printvault_domain::Error;

use super::{every, PAGE};
use crate::Stores;

/// The orders `owner` placed, oldest first, with their lines.
pub(super) async fn orders(st: &Stores, owner: &CustomerId) -> Result<Vec<ManifestOrder>, Error> {
    let mut orders =
        every(|cursor| async move { st.orders.list_for(owner, PAGE, cursor.as_deref()).await }).await?;
    orders.sort_by(|a, b| (a.created_at, &a.order_id).cmp(&(b.created_at, &b.order_id)));
    Ok(orders
        .into_iter()
        .map(|o| ManifestOrder {
            order_id: o.order_id.to_string(),
            status: o.status.as_str().to_owned(),
            created_at: o.created_at,
            location: o.location.as_str().to_owned(),
            medium: o.medium.as_str().to_owned(),
            total: o.total.0,
            points_redeemed: o.points_redeemed,
            amount_due: o.amount_due.0,
            refund_due: o.refund_due.0,
            lines: o
                .lines
                .into_iter()
                .map(|l| ManifestLine {
                    line: l.line,
                    image_id: l.image_id,
                    size: match l.size {
                        PrintSize::L => "L",
                        PrintSize::TwoL => "2L",
                    }
                    .to_owned(),
                    copies: l.copies,
                    amount: l.amount.0,
                    points: l.points,
                })
                .collect(),
        })
        .collect())
}

/// Every entry of `owner`'s points ledger, oldest first.
pub(super) async fn points(st: &Stores, owner: &CustomerId) -> Result<Vec<ManifestPoints>, Error> {
    let mut entries =
        every(|cursor| async move { st.ledger.entries(owner, PAGE, cursor.as_deref()).await }).await?;
    entries.sort_by(|a, b| (a.at, &a.journal_id).cmp(&(b.at, &b.journal_id)));
    Ok(entries
        .into_iter()
        .map(|e| ManifestPoints {
            journal_id: e.journal_id,
            at: e.at,
            amount: e.points,
            what: e.memo,
        })
        .collect())
}

/// `owner`'s storage invoices, oldest month first.
pub(super) async fn invoices(st: &Stores, owner: &CustomerId) -> Result<Vec<ManifestInvoice>, Error> {
    let mut invoices =
        every(|cursor| async move { st.billing.invoices(owner, PAGE, cursor.as_deref()).await }).await?;
    invoices.sort_by_key(|i| i.invoice_id.month);
    Ok(invoices
        .into_iter()
        .map(|i| ManifestInvoice {
            invoice_id: i.invoice_id.to_string(),
            month: i.invoice_id.month.to_string(),
            status: match i.status {
                InvoiceStatus::Open => "open",
                InvoiceStatus::Overdue => "overdue",
                InvoiceStatus::Paid => "paid",
            }
            .to_owned(),
            amount: i.charge.amount.0,
            gib_months: i.charge.gib_months,
            paid_at: i.paid_at,
        })
        .collect())
}
