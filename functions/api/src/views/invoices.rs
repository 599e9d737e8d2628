//! Invoices (M23-M25).

use printvault_adapters::Page;
use printvault_domain::billing::{Charge, Invoice, InvoiceStatus};
use serde::Serialize;
use utoipa::ToSchema;

/// One month's storage invoice.
#[derive(Serialize, ToSchema)]
pub struct InvoiceView {
    /// Quote it when paying (`data.invoice_id` of the payment webhook).
    #[schema(example = "inv_202701_cus_01JDZ7Q3W9XKQ7M4V8R2N5T6YA")]
    pub invoice_id: String,
    /// The month it charges, `YYYY-MM` (UTC).
    #[schema(example = "2027-01")]
    pub month: String,
    pub status: InvoiceStatus,
    /// How the amount was reached, rounding included.
    pub charge: Charge,
    /// Yen still to pay: the charge's amount, or 0 once paid.
    pub amount_due: i64,
    #[schema(example = "2027-02-01")]
    pub issued_on: String,
    #[schema(example = "2027-02-15")]
    pub due_on: String,
    /// Unpaid then, the account goes into arrears (M24).
    #[schema(example = "2027-03-01")]
    pub arrears_on: String,
    pub paid_at: Option<String>,
    /// Yen to be refunded: payments received beyond the one that paid it.
    pub refund_due: i64,
}

impl From<&Invoice> for InvoiceView {
    fn from(i: &Invoice) -> Self {
        Self {
            invoice_id: i.invoice_id.to_string(),
            month: i.invoice_id.month.to_string(),
            status: i.status,
            charge: i.charge.clone(),
            amount_due: if i.status == InvoiceStatus::Paid {
                0
            } else {
                i.charge.amount.0
            },
            issued_on: i.issued_on.to_string(),
            due_on: i.due_on.to_string(),
            arrears_on: i.arrears_on.to_string(),
            paid_at: i.paid_at.map(|t| t.to_string()),
            refund_due: i.refund_due.0,
        }
    }
}

/// A page of the caller's invoices, newest first.
#[derive(Serialize, ToSchema)]
pub struct InvoiceList {
    pub invoices: Vec<InvoiceView>,
    /// Pass back as `cursor` for the next page; null on the last.
    pub next_cursor: Option<String>,
}

impl From<&Page<Invoice>> for InvoiceList {
    fn from(p: &Page<Invoice>) -> Self {
        Self {
            invoices: p.items.iter().map(InvoiceView::from).collect(),
            next_cursor: p.next_cursor.clone(),
        }
    }
}
