//! The payment provider's event (M20), and what it must say before any
//! order or invoice is touched.

use crate::{Problem, Rule};
use serde::{Deserialize, Serialize};

use crate::ids::OrderId;
use crate::Error;

/// The provider's message: a payment for an order, in integer yen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({"type": "payment.succeeded", "timestamp": "2026-11-29T10:00:00Z", "data": {"order_id": "ord_01JDQ3V6ZK8R2M4N5P6Q7R8S9T", "payment_id": "pay_123", "amount": 640, "currency": "JPY"}})))]
pub struct PaymentEvent {
    /// Only `payment.succeeded` moves an order; other types are acknowledged.
    #[serde(rename = "type")]
    pub kind: String,
    /// The provider's own text, kept as sent and never read: a signed
    /// payment is never refused for its form (it would be retried forever
    /// and its money never recorded).
    pub timestamp: String,
    pub data: PaymentData,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PaymentData {
    /// The order paid for; or else
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub order_id: Option<OrderId>,
    /// the storage invoice paid (M23), `inv_<YYYYMM>_<customer>`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub invoice_id: Option<String>,
    /// The provider's reference for the charge.
    pub payment_id: String,
    /// Integer yen: must equal the order's amount due (or the invoice's).
    pub amount: i64,
    /// Must be `JPY`.
    pub currency: String,
}

/// What a payment pays for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PaidFor {
    Order(OrderId),
    Invoice(crate::billing::InvoiceId),
}

impl PaymentData {
    /// The one thing paid for: exactly one of `order_id` and `invoice_id`.
    pub fn paid_for(&self) -> Result<PaidFor, Error> {
        match (&self.order_id, &self.invoice_id) {
            (Some(o), None) => Ok(PaidFor::Order(o.clone())),
            (None, Some(i)) => Ok(PaidFor::Invoice(crate::billing::InvoiceId::parse(i)?)),
            _ => Err(Error::invalid(
                "data.order_id",
                Problem::OneOfTwo {
                    other: "data.invoice_id",
                },
            )),
        }
    }
}

impl PaymentData {
    /// The checks a `payment.succeeded` event passes before it is applied:
    /// yen only (another currency answers 422: it can never be applied),
    /// a provider's reference of 1 to 200 characters, a positive amount.
    /// Money in yen is never turned away for its amount: one other than
    /// what is due is received and owed back.
    pub fn check(&self) -> Result<(), Error> {
        if self.currency != "JPY" {
            return Err(Error::CannotApply(crate::CannotApply::Currency(
                self.currency.clone(),
            )));
        }
        if self.payment_id.is_empty() || self.payment_id.len() > 200 {
            return Err(Error::invalid("payment_id", Problem::Text { min: 1, max: 200 }));
        }
        if self.amount <= 0 {
            return Err(Error::rule("amount", Rule::NotPositive));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn data() -> PaymentData {
        PaymentData {
            order_id: Some(OrderId::generate()),
            invoice_id: None,
            payment_id: "pay_1".into(),
            amount: 640,
            currency: "JPY".into(),
        }
    }

    #[test]
    fn only_yen_with_a_reference_and_a_positive_amount_passes() {
        assert!(data().check().is_ok());
        let bad = |f: fn(&mut PaymentData)| {
            let mut d = data();
            f(&mut d);
            d.check().unwrap_err()
        };
        assert!(matches!(
            bad(|d| d.currency = "USD".into()),
            Error::CannotApply(crate::CannotApply::Currency(_))
        ));
        assert!(matches!(
            bad(|d| d.payment_id.clear()),
            Error::Invalid {
                field: "payment_id",
                ..
            }
        ));
        assert!(matches!(
            bad(|d| d.payment_id = "x".repeat(201)),
            Error::Invalid {
                field: "payment_id",
                ..
            }
        ));
        for amount in [0, -1] {
            let mut d = data();
            d.amount = amount;
            assert!(matches!(d.check(), Err(Error::Invalid { field: "amount", .. })));
        }
        let mut d = data();
        d.payment_id = "x".repeat(200);
        assert!(d.check().is_ok(), "200 characters are enough");
    }
}
