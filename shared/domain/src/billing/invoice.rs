//! Invoices (M23-M25): a month's storage charge, the storage points it
//! earns, and what follows it (the invoice email, reminders, arrears).

use crate::when::Timestamp;
use crate::Problem;
use serde::{Deserialize, Serialize};
use time::{Date, Duration};

use super::{BillingSettings, Month, Usage};
use crate::ids::CustomerId;
use crate::money::Yen;
use crate::Error;

const GIB: u128 = 1 << 30;

/// A month's usage priced the way S3 bills: byte-hours over the month,
/// divided by 2^30 and by the hours in the month, give GiB-months, charged
/// at the rate and rounded up to whole yen. Bytes online and bytes in the
/// archive class (M32) are priced at their own rates, and rounded once,
/// together.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Charge {
    /// Bytes × seconds stored in the month (exact).
    #[cfg_attr(feature = "openapi", schema(example = "2783138611200"))]
    pub byte_seconds: String,
    /// Bytes × hours stored in the month, to three decimals (truncated).
    #[cfg_attr(feature = "openapi", schema(example = "773094058.666"))]
    pub byte_hours: String,
    /// Hours in the month.
    pub month_hours: i64,
    /// GiB-months: byte-hours / 2^30 / hours in the month, to six decimals.
    #[cfg_attr(feature = "openapi", schema(example = "1.000000"))]
    pub gib_months: String,
    /// Yen per GiB-month.
    pub rate_yen_per_gib_month: u32,
    /// Bytes × seconds in the archive class in the month (M32; exact).
    #[serde(default = "zero")]
    #[cfg_attr(feature = "openapi", schema(example = "0", required = true))]
    pub archived_byte_seconds: String,
    /// GiB-months in the archive class, to six decimals.
    #[serde(default = "zero_gib_months")]
    #[cfg_attr(feature = "openapi", schema(example = "0.000000", required = true))]
    pub archived_gib_months: String,
    /// Yen per GiB-month in the archive class.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub archive_rate_yen_per_gib_month: u32,
    /// The exact charge, `gib_months` × the rate +
    /// `archived_gib_months` × the archive rate, to four decimals
    /// (truncated).
    #[cfg_attr(feature = "openapi", schema(example = "30.0000"))]
    pub exact_yen: String,
    /// What rounding up to whole yen added, to four decimals.
    #[cfg_attr(feature = "openapi", schema(example = "0.0000"))]
    pub rounding_yen: String,
    /// What is due: the exact charge rounded up to whole yen.
    pub amount: Yen,
    /// Storage points earned (M25): GiB-months stored, online and in the
    /// archive, × points per GiB-month, rounded down.
    pub points: i64,
}

fn zero() -> String {
    "0".into()
}

fn zero_gib_months() -> String {
    "0.000000".into()
}

/// `num / den` to `dp` decimals, truncated.
fn decimal(num: u128, den: u128, dp: u32) -> String {
    let scale = 10u128.pow(dp);
    let scaled = num * scale / den;
    if dp == 0 {
        return scaled.to_string();
    }
    format!(
        "{}.{:0width$}",
        scaled / scale,
        scaled % scale,
        width = dp as usize
    )
}

impl Charge {
    pub fn of(usage: &Usage, s: &BillingSettings) -> Self {
        let secs = usage.month.seconds() as u128;
        let den = GIB * secs;
        let priced = usage.byte_secs * u128::from(s.rate_yen_per_gib_month)
            + usage.archived_byte_secs * u128::from(s.archive_rate_yen_per_gib_month);
        let amount = priced.div_ceil(den);
        let rounding = amount * den - priced;
        let stored = usage.byte_secs + usage.archived_byte_secs;
        let points = stored * u128::from(s.points_per_gib_month) / den;
        Self {
            byte_seconds: usage.byte_secs.to_string(),
            byte_hours: decimal(usage.byte_secs, 3600, 3),
            month_hours: usage.month.seconds() / 3600,
            gib_months: decimal(usage.byte_secs, den, 6),
            rate_yen_per_gib_month: s.rate_yen_per_gib_month,
            archived_byte_seconds: usage.archived_byte_secs.to_string(),
            archived_gib_months: decimal(usage.archived_byte_secs, den, 6),
            archive_rate_yen_per_gib_month: s.archive_rate_yen_per_gib_month,
            exact_yen: decimal(priced, den, 4),
            rounding_yen: decimal(rounding, den, 4),
            amount: Yen(i64::try_from(amount).unwrap_or(i64::MAX)),
            points: i64::try_from(points).unwrap_or(i64::MAX),
        }
    }
}

/// An invoice's ID: `inv_<YYYYMM>_<customer>`. It names its customer, so a
/// payment needs nothing else to find it; only that customer can read it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct InvoiceId {
    pub month: Month,
    pub customer: CustomerId,
}

impl InvoiceId {
    pub fn parse(s: &str) -> Result<Self, Error> {
        let bad = || Error::invalid("invoice", Problem::NotAnId);
        let rest = s.strip_prefix("inv_").ok_or_else(bad)?;
        let (m, c) = rest.split_once('_').ok_or_else(bad)?;
        if m.len() != 6 || !m.bytes().all(|b| b.is_ascii_digit()) {
            return Err(bad());
        }
        let month = Month::parse(&format!("{}-{}", &m[..4], &m[4..])).map_err(|_| bad())?;
        let customer = CustomerId::parse(c).map_err(|_| bad())?;
        Ok(Self { month, customer })
    }
}

impl crate::ids::TypedId for InvoiceId {
    const WHAT: &'static str = "invoice";
    const THING: crate::Thing = crate::Thing::Invoice;
    fn parse(s: &str) -> Result<Self, Error> {
        InvoiceId::parse(s)
    }
}

impl std::fmt::Display for InvoiceId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "inv_{}_{}", self.month.compact(), self.customer)
    }
}

impl TryFrom<String> for InvoiceId {
    type Error = Error;
    fn try_from(s: String) -> Result<Self, Error> {
        Self::parse(&s)
    }
}

impl From<InvoiceId> for String {
    fn from(i: InvoiceId) -> Self {
        i.to_string()
    }
}

/// Where an invoice stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum InvoiceStatus {
    /// Not paid; `due_on` not passed by the grace period.
    Open,
    /// Unpaid past `arrears_on`: the customer is in arrears (M24).
    Overdue,
    Paid,
}

/// What the billing sweep does next for an unpaid invoice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Step {
    /// Email the invoice and credit its storage points.
    Issue,
    /// Remind: it is due, or overdue within the grace period.
    Remind,
    /// Put the customer in arrears.
    Arrears,
}

/// One month's invoice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Invoice {
    pub invoice_id: InvoiceId,
    pub status: InvoiceStatus,
    pub charge: Charge,
    /// Days in UTC.
    #[serde(with = "crate::when::day")]
    pub issued_on: Date,
    #[serde(with = "crate::when::day")]
    pub due_on: Date,
    /// Unpaid then, the customer is in arrears.
    #[serde(with = "crate::when::day")]
    pub arrears_on: Date,
    /// The sweep's next step, and the day it is due (`next_on`); none once
    /// paid or in arrears. The invoice is in the due-date index while there
    /// is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_step: Option<Step>,
    #[serde(
        default,
        with = "crate::when::day::option",
        skip_serializing_if = "Option::is_none"
    )]
    pub next_on: Option<Date>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub paid_at: Option<Timestamp>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payment_id: Option<String>,
    /// Where its reminders and arrears notice go: the customer's address,
    /// copied when the invoice is issued and moved by an email change, so
    /// that a reminder reads the invoice alone.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<crate::account::Email>,
    /// Money received for it beyond its one payment (a second payment of
    /// a paid invoice), owed back through the payment provider.
    #[serde(default)]
    pub refund_due: crate::money::Yen,
}

impl Invoice {
    /// The invoice of a closed month's `usage`, if it is invoiced: a month
    /// in which nothing was stored (no byte-seconds, online or archived)
    /// is not.
    pub fn for_month(customer: CustomerId, usage: &Usage, issued: Date, s: &BillingSettings) -> Option<Self> {
        (usage.byte_secs + usage.archived_byte_secs > 0).then(|| Self::issue(customer, usage, issued, s))
    }

    /// The invoice of `usage`, issued on `issued` (the day its month closed).
    pub fn issue(customer: CustomerId, usage: &Usage, issued: Date, s: &BillingSettings) -> Self {
        let due = issued + Duration::days(i64::from(s.due_days));
        let arrears = due + Duration::days(i64::from(s.grace_days));
        Self {
            invoice_id: InvoiceId {
                month: usage.month,
                customer,
            },
            status: InvoiceStatus::Open,
            charge: Charge::of(usage, s),
            issued_on: issued,
            due_on: due,
            arrears_on: arrears,
            next_step: Some(Step::Issue),
            next_on: Some(issued),
            paid_at: None,
            payment_id: None,
            email: None,
            refund_due: crate::money::Yen(0),
        }
    }

    /// The step after doing `step` on `today`, and its day: reminders every
    /// `reminder_every_days` from the due date, then arrears on
    /// `arrears_on`; nothing after arrears.
    pub fn after(&self, step: Step, today: Date, s: &BillingSettings) -> Result<Option<(Step, Date)>, Error> {
        let due = self.due_on;
        let arrears = self.arrears_on;
        Ok(match step {
            Step::Arrears => None,
            _ if today >= arrears => Some((Step::Arrears, arrears)),
            Step::Issue => Some((Step::Remind, due.max(today + Duration::days(1)))),
            Step::Remind => {
                let next = today + Duration::days(i64::from(s.reminder_every_days));
                Some(if next >= arrears {
                    (Step::Arrears, arrears)
                } else {
                    (Step::Remind, next)
                })
            }
        })
    }
}
