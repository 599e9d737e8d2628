//! Quotes and orders (M15-M19).
//!
//! A quote prices lines for one buyer at one output location and medium,
//! as the permission model allows that buyer to print each image, and is
//! kept until it expires. An order is placed from a quote and keeps its
//! prices, whatever the owner does to them afterwards.

mod address;
mod archive;
mod idempotency;
pub mod money;
mod moves;
mod quote;

pub use address::Address;
pub use archive::{ArchiveChoice, ArchiveTerms};
pub use idempotency::{fingerprint, IdempotencyKey, KeyScope};
pub use moves::StatusMove;
pub use quote::{LineRequest, Printable, Quote, QuoteRequest, QuoteTerms, QuotedLine};

use crate::when::Timestamp;
use crate::{Form, Problem, Rule};
use serde::{Deserialize, Serialize};

use crate::account::Email;
use crate::catalogue::Medium;
use crate::ids::{CustomerId, OrderId, QuoteId};
use crate::money::Yen;
use crate::pricing::Buyer;
use crate::Error;

/// A slug naming a lab or an output location: 1 to 40 of `a-z 0-9 -`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(value_type = String, pattern = "^[a-z0-9][a-z0-9-]{0,39}$", example = "tokyo-shibuya"))]
pub struct Slug(String);

impl Slug {
    pub fn parse(raw: &str, what: &'static str) -> Result<Self, Error> {
        let ok = !raw.is_empty()
            && raw.len() <= 40
            && !raw.starts_with('-')
            && raw
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        if !ok {
            return Err(Error::invalid(what, Problem::Form(Form::Slug)));
        }
        Ok(Self(raw.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Slug {
    type Error = Error;
    fn try_from(s: String) -> Result<Self, Error> {
        Self::parse(&s, "slug")
    }
}

impl From<Slug> for String {
    fn from(s: Slug) -> String {
        s.0
    }
}

impl std::fmt::Display for Slug {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Who buys: a customer, or a guest without an account (M19).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum BuyerRef {
    Customer { customer_id: CustomerId },
    Guest,
}

impl BuyerRef {
    pub fn customer(&self) -> Option<&CustomerId> {
        match self {
            Self::Customer { customer_id } => Some(customer_id),
            Self::Guest => None,
        }
    }

    pub(crate) fn pricing(&self) -> Buyer {
        match self {
            Self::Customer { .. } => Buyer::Customer,
            Self::Guest => Buyer::Guest,
        }
    }
}

/// Where an order stands. It only moves forward, by conditional writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum OrderStatus {
    /// A guest's order, until the link emailed to them is opened.
    AwaitingEmail,
    /// Waiting for payment.
    Placed,
    Paid,
    /// print-dispatch has taken it and is sending its jobs: it can no
    /// longer be cancelled.
    Dispatching,
    /// Its lines are on the lab's queue.
    Dispatched,
    Cancelled,
}

impl OrderStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::AwaitingEmail => "awaiting_email",
            Self::Placed => "placed",
            Self::Paid => "paid",
            Self::Dispatching => "dispatching",
            Self::Dispatched => "dispatched",
            Self::Cancelled => "cancelled",
        }
    }

    /// Cancelling is allowed until the order is dispatched.
    pub fn cancellable(self) -> bool {
        matches!(self, Self::AwaitingEmail | Self::Placed | Self::Paid)
    }
}

/// The body of `POST /v1/orders`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({"quote_id": "quo_01JDQ3V6ZK8R2M4N5P6Q7R8S9T", "points": 10, "address": {"name": "Ann Example", "postal_code": "150-0002", "region": "Tokyo", "locality": "Shibuya-ku", "street": "2-21-1 Shibuya"}})))]
pub struct OrderRequest {
    pub quote_id: QuoteId,
    /// Points to spend as a discount, 1 point = ¥1 (customers only).
    #[serde(default)]
    pub points: i64,
    pub address: Address,
    /// A guest's email address; a customer's orders go to their account's.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = Email))]
    pub email: Option<String>,
}

/// An order. Its lines and prices are its quote's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Order {
    pub order_id: OrderId,
    pub quote_id: QuoteId,
    pub buyer: BuyerRef,
    /// Where order emails go: the guest's address, or the customer's.
    pub email: Email,
    pub address: Address,
    pub location: Slug,
    pub lab_id: Slug,
    pub medium: Medium,
    pub lines: Vec<QuotedLine>,
    pub medium_fee: Yen,
    pub total: Yen,
    pub points_earned: i64,
    pub points_redeemed: i64,
    /// What is paid in money: the total less the points spent.
    pub amount_due: Yen,
    pub status: OrderStatus,
    pub created_at: Timestamp,
    /// Points given back so far (a cancelled order gives back all).
    #[serde(default)]
    pub points_returned: i64,
    /// Money to give back through the payment provider: everything
    /// received for it that it does not keep (see [`money`]).
    #[serde(default)]
    pub refund_due: Yen,
    /// Money received for it: every distinct payment (by the provider's
    /// payment ID), whatever its amount and whenever it came.
    #[serde(default)]
    pub received: Yen,
    /// The part of `refund_due` that refunds failed lines (the rest is
    /// money it never kept: duplicate, wrong or late payments, or a
    /// cancellation's).
    #[serde(default)]
    pub line_refunds: Yen,
    /// The provider's reference of the payment that paid it (M20).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payment_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub paid_at: Option<Timestamp>,
    /// When print-dispatch took it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dispatching_at: Option<Timestamp>,
    /// When its jobs went to the lab's queue (M21).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dispatched_at: Option<Timestamp>,
    /// An archive disc (M30) instead of prints (its quote's).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub archive: Option<ArchiveTerms>,
}

impl Order {
    /// An order from `quote`: refuses a redemption beyond the total, and
    /// any redemption by a guest (M19).
    pub fn from_quote(
        order_id: OrderId,
        quote: Quote,
        email: Email,
        address: Address,
        points: i64,
        created_at: Timestamp,
    ) -> Result<Self, Error> {
        if points < 0 || points > quote.total.0 {
            return Err(Error::invalid("points", Problem::range(0, quote.total.0)));
        }
        if points > 0 && quote.buyer.customer().is_none() {
            return Err(Error::rule("points", Rule::GuestHasNoPoints));
        }
        // An order its points pay in full needs no payment: it is paid now.
        let fully_redeemed = points == quote.total.0;
        let status = match quote.buyer {
            BuyerRef::Guest => OrderStatus::AwaitingEmail,
            BuyerRef::Customer { .. } if fully_redeemed => OrderStatus::Paid,
            BuyerRef::Customer { .. } => OrderStatus::Placed,
        };
        Ok(Self {
            order_id,
            quote_id: quote.quote_id,
            buyer: quote.buyer,
            email,
            address,
            location: quote.location,
            lab_id: quote.lab_id,
            medium: quote.medium,
            amount_due: Yen(quote.total.0 - points),
            points_earned: quote.points,
            lines: quote.lines,
            medium_fee: quote.medium_fee,
            total: quote.total,
            points_redeemed: points,
            status,
            points_returned: 0,
            refund_due: Yen(0),
            received: Yen(0),
            line_refunds: Yen(0),
            payment_id: fully_redeemed.then(|| "points".to_owned()),
            paid_at: fully_redeemed.then_some(created_at),
            dispatching_at: None,
            dispatched_at: None,
            archive: quote.archive,
            created_at,
        })
    }
}

#[cfg(test)]
mod tests;
