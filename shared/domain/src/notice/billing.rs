//! The billing notices (M23-M25): invoice, reminder, arrears.

use super::body::bodies;
use super::{Message, Rendered};

const HOW_TO_PAY: &str = "Pay it with your payment provider, quoting the invoice ID; \
                          GET /v1/invoices shows every invoice and what is due.";

pub(super) fn render(m: &Message) -> Rendered {
    let (subject, paragraphs) = match m {
        Message::StorageInvoice {
            invoice_id,
            month,
            gib_months,
            archived_gib_months,
            exact_yen,
            rounding_yen,
            amount,
            points,
            due_on,
        } => {
            let stored = match archived_gib_months {
                Some(a) => format!(
                    "Your printvault storage for {month}: {gib_months} GiB-months online, \
                     and {a} GiB-months of originals archived on your discs."
                ),
                None => format!("Your printvault storage for {month}: {gib_months} GiB-months."),
            };
            let mut p = vec![
                stored,
                format!(
                    "That is ¥{exact_yen}, rounded up by ¥{rounding_yen} to ¥{amount}, due on {due_on} (invoice {invoice_id})."
                ),
                HOW_TO_PAY.to_owned(),
            ];
            if *points > 0 {
                p.push(format!("Storing your photos earned you {points} points this month."));
            }
            (format!("Your printvault invoice for {month}: ¥{amount}"), p)
        }
        Message::InvoiceReminder {
            invoice_id,
            amount,
            due_on,
            arrears_on,
        } => (
            format!("Reminder: printvault invoice {invoice_id} (¥{amount})"),
            vec![
                format!("Invoice {invoice_id} for ¥{amount} was due on {due_on} and is not paid yet."),
                format!(
                    "If it is still unpaid on {arrears_on}, your account will be locked until it is paid. \
                     Nothing will be deleted."
                ),
                HOW_TO_PAY.to_owned(),
            ],
        ),
        Message::AccountInArrears { invoice_id, amount } => (
            "Your printvault account is locked until an invoice is paid".to_owned(),
            vec![
                format!(
                    "Invoice {invoice_id} for ¥{amount} is unpaid past its grace period, so your account is in arrears: \
                     your photos, albums and orders wait, and your share links and grants are paused."
                ),
                "Nothing has been deleted. Paying the invoice unlocks everything at once.".to_owned(),
                HOW_TO_PAY.to_owned(),
            ],
        ),
        _ => (String::new(), Vec::new()),
    };
    let (text, html) = bodies(&paragraphs, None);
    Rendered { subject, text, html }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_invoice_shows_its_rounding_and_how_to_pay() {
        let r = render(&Message::StorageInvoice {
            invoice_id: "inv_202701_cus_x".into(),
            month: "2027-01".into(),
            gib_months: "0.031502".into(),
            archived_gib_months: None,
            exact_yen: "0.9450".into(),
            rounding_yen: "0.0549".into(),
            amount: 1,
            points: 0,
            due_on: time::macros::date!(2027 - 02 - 15),
        });
        assert!(r.subject.contains("2027-01") && r.subject.contains("¥1"));
        assert!(
            r.text.contains("¥0.9450, rounded up by ¥0.0549 to ¥1"),
            "{}",
            r.text
        );
        assert!(!r.text.contains("points") && !r.text.contains("archived"));
        let r = render(&Message::StorageInvoice {
            invoice_id: "inv_202701_cus_x".into(),
            month: "2027-01".into(),
            gib_months: "0.500000".into(),
            archived_gib_months: Some("0.500000".into()),
            exact_yen: "16.0000".into(),
            rounding_yen: "0.0000".into(),
            amount: 16,
            points: 1,
            due_on: time::macros::date!(2027 - 02 - 15),
        });
        assert!(
            r.text.contains("0.500000 GiB-months of originals archived"),
            "{}",
            r.text
        );
        let r = render(&Message::AccountInArrears {
            invoice_id: "inv_1".into(),
            amount: 30,
        });
        assert!(r.text.contains("Nothing has been deleted"));
    }
}
