//! Lab reports (M21): a lab tells how each job (one line of an order) moves
//! on. A line's stage only moves forward:
//! `dispatched` → `accepted` → `printed` → `shipped`, and any stage before
//! `shipped` may end `failed`. Reporting a stage the line is already at
//! changes nothing.

use crate::when::Timestamp;
use crate::Problem;
use serde::{Deserialize, Serialize};

use crate::Error;

pub mod disc;

/// The body of a lab's report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "stage", rename_all = "snake_case", deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({"stage": "shipped", "carrier": "Japan Post", "tracking": "EJ123456789JP"})))]
pub enum LabReport {
    /// The lab has the job and its files.
    Accepted,
    /// Printed (or burnt to disc): the print counts against its image.
    Printed,
    /// On its way, with the carrier's tracking number: the buyer's points
    /// and the owner's share are credited now (a shipped line can no
    /// longer fail).
    Shipped { carrier: String, tracking: String },
    /// It cannot be done: the line is refunded.
    Failed { reason: String },
}

/// Where a line stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum LineStage {
    Dispatched,
    Accepted,
    Printed,
    Shipped,
    Failed,
}

impl LineStage {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Dispatched => "dispatched",
            Self::Accepted => "accepted",
            Self::Printed => "printed",
            Self::Shipped => "shipped",
            Self::Failed => "failed",
        }
    }

    /// The stages a line may be at for it to move to `self`.
    pub fn reachable_from(self) -> &'static [LineStage] {
        use LineStage::*;
        match self {
            Dispatched => &[],
            Accepted => &[Dispatched],
            Printed => &[Dispatched, Accepted],
            Shipped => &[Printed],
            Failed => &[Dispatched, Accepted, Printed],
        }
    }
}

impl LabReport {
    pub fn stage(&self) -> LineStage {
        match self {
            Self::Accepted => LineStage::Accepted,
            Self::Printed => LineStage::Printed,
            Self::Shipped { .. } => LineStage::Shipped,
            Self::Failed { .. } => LineStage::Failed,
        }
    }

    pub fn validate(&self) -> Result<(), Error> {
        let text = |v: &str, field: &'static str, max: usize| {
            let n = v.trim().chars().count();
            if n == 0 || n > max || v.chars().any(char::is_control) {
                return Err(Error::invalid(field, Problem::Text { min: 1, max }));
            }
            Ok(())
        };
        match self {
            Self::Shipped { carrier, tracking } => {
                text(carrier, "carrier", 50)?;
                text(tracking, "tracking", 100)
            }
            Self::Failed { reason } => text(reason, "reason", 500),
            _ => Ok(()),
        }
    }
}

/// How a failed line is refunded: money first, up to what was paid and not
/// yet refunded, then the points spent on the order and not yet returned.
/// Returns (yen, points).
pub fn line_refund(line_amount: i64, money_refundable: i64, points_returnable: i64) -> (i64, i64) {
    let yen = line_amount.min(money_refundable.max(0));
    let points = (line_amount - yen).min(points_returnable.max(0));
    (yen, points)
}

/// A line's stage as the lab last reported it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LineRecord {
    pub line: u32,
    pub stage: LineStage,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub carrier: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tracking: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    pub at: Timestamp,
    /// A failed line's refund, written with it (so a retry can still tell
    /// the buyer what came back).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refund: Option<crate::money::Refund>,
}

impl LineRecord {
    pub fn new(line: u32, report: &LabReport, at: Timestamp) -> Self {
        let (mut carrier, mut tracking, mut reason) = (None, None, None);
        match report {
            LabReport::Shipped {
                carrier: c,
                tracking: t,
            } => {
                carrier = Some(c.trim().to_owned());
                tracking = Some(t.trim().to_owned());
            }
            LabReport::Failed { reason: r } => reason = Some(r.trim().to_owned()),
            _ => {}
        }
        Self {
            line,
            stage: report.stage(),
            carrier,
            tracking,
            reason,
            at,
            refund: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn stages_only_move_forward() {
        assert!(LineStage::Printed.reachable_from().contains(&LineStage::Accepted));
        assert!(!LineStage::Accepted.reachable_from().contains(&LineStage::Printed));
        assert!(!LineStage::Failed.reachable_from().contains(&LineStage::Shipped));
        let r: LabReport =
            serde_json::from_str(r#"{"stage":"shipped","carrier":"Yamato","tracking":"1234"}"#).unwrap();
        assert_eq!(r.stage(), LineStage::Shipped);
        assert!(serde_json::from_str::<LabReport>(r#"{"stage":"shipped"}"#).is_err());
        assert!(LabReport::Failed { reason: " ".into() }.validate().is_err());
    }

    proptest! {
        #[test]
        fn a_refund_is_never_more_than_the_line_or_what_can_be_given_back(
            amount in 0i64..100_000, money in -10i64..100_000, points in -10i64..100_000,
        ) {
            let (yen, pts) = line_refund(amount, money, points);
            prop_assert!(yen >= 0 && pts >= 0);
            prop_assert!(yen + pts <= amount);
            prop_assert!(yen <= money.max(0) && pts <= points.max(0));
            if money.max(0) + points.max(0) >= amount {
                prop_assert_eq!(yen + pts, amount);
            }
        }
    }
}
