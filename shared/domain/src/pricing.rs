//! What a print costs and earns (M15-M17, M19), line by line; the first
//! slice of orders (issue 8). Pure arithmetic on integer yen and points.
//!
//! - An own or group image (M16) costs the size's fee and earns the size's
//!   points, per print.
//! - A stranger's printable image (M17) costs the owner's price plus the
//!   fee, and earns the size's points plus `stranger_points_percent` of the
//!   price. The owner is credited `owner_share_percent` of the price; the
//!   operator keeps the rest (the commission).
//! - A guest (M19) pays the same and earns no points.
//!
//! **Rounding**, per print and then times the copies: the percentage points
//! and the owner's share are rounded down (a customer is never credited a
//! fraction), and the commission is the price less the owner's share, so
//! share and commission always add up to the price exactly.

use crate::{Problem, Rule, SettingsError};
use serde::{Deserialize, Serialize};

use crate::money::Yen;
use crate::Error;

/// A print size (M15).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum PrintSize {
    L,
    #[serde(rename = "2L")]
    TwoL,
}

/// A size's fixed fee and points, per print (M16).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SizeTerms {
    pub fee: Yen,
    pub points: i64,
}

/// The rates of M16-M17, part of the settings (`pricing`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PrintRates {
    #[serde(rename = "L")]
    pub l: SizeTerms,
    #[serde(rename = "2L")]
    pub two_l: SizeTerms,
    /// Extra points for a stranger's image, in percent of its price.
    pub stranger_points_percent: u8,
    /// The owner's share of their image's price, in percent.
    pub owner_share_percent: u8,
}

impl Default for PrintRates {
    fn default() -> Self {
        Self {
            l: SizeTerms {
                fee: Yen(20),
                points: 2,
            },
            two_l: SizeTerms {
                fee: Yen(50),
                points: 5,
            },
            stranger_points_percent: 5,
            owner_share_percent: 70,
        }
    }
}

impl PrintRates {
    pub fn size(&self, s: PrintSize) -> SizeTerms {
        match s {
            PrintSize::L => self.l,
            PrintSize::TwoL => self.two_l,
        }
    }

    /// The rates are usable: fees and points not negative, percentages at
    /// most 100.
    pub fn validate(&self) -> Result<(), SettingsError> {
        let sizes_ok = [self.l, self.two_l].iter().all(|t| t.fee.0 >= 0 && t.points >= 0);
        if !sizes_ok || self.stranger_points_percent > 100 || self.owner_share_percent > 100 {
            return Err(SettingsError {
                field: "pricing",
                rule: "print fees and points must not be negative, and percentages at most 100".into(),
            });
        }
        Ok(())
    }
}

/// Whose image a line prints, as the permission model decided (never as the
/// request says).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// The buyer's own image, or their group's (M16).
    Own,
    /// A stranger's printable image at its owner's price per print (M17).
    Stranger { price: Yen },
}

/// Who buys.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Buyer {
    Customer,
    /// No account: no points (M19).
    Guest,
}

/// One line priced: what the buyer pays, earns, and where the price goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LinePrice {
    /// The fee and, for a stranger's image, its price; for all copies.
    pub amount: Yen,
    /// Points the buyer earns (0 for a guest).
    pub points: i64,
    /// Credited to the image's owner, as points (M17).
    pub owner_share: Yen,
    /// The operator's part of the image's price.
    pub commission: Yen,
}

/// The most copies of one line.
pub const MAX_COPIES: u32 = 1000;

/// Prices `copies` prints of one image.
pub fn price_line(
    rates: &PrintRates,
    size: PrintSize,
    source: Source,
    buyer: Buyer,
    copies: u32,
) -> Result<LinePrice, Error> {
    if copies == 0 || copies > MAX_COPIES {
        return Err(Error::invalid("quantity", Problem::range(1, MAX_COPIES)));
    }
    let n = i64::from(copies);
    let terms = rates.size(size);
    let (price, extra_points, share) = match source {
        Source::Own => (0, 0, 0),
        Source::Stranger { price } => {
            if price.0 < 0 {
                return Err(Error::rule("price", Rule::Negative));
            }
            (
                price.0,
                price.0 * i64::from(rates.stranger_points_percent) / 100,
                price.0 * i64::from(rates.owner_share_percent) / 100,
            )
        }
    };
    let points = match buyer {
        Buyer::Customer => (terms.points + extra_points) * n,
        Buyer::Guest => 0,
    };
    Ok(LinePrice {
        amount: Yen((terms.fee.0 + price) * n),
        points,
        owner_share: Yen(share * n),
        commission: Yen((price - share) * n),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn spec_defaults() {
        let r = PrintRates::default();
        let own = price_line(&r, PrintSize::L, Source::Own, Buyer::Customer, 3).unwrap();
        assert_eq!(
            (own.amount, own.points, own.owner_share, own.commission),
            (Yen(60), 6, Yen(0), Yen(0))
        );
        let s = price_line(
            &r,
            PrintSize::TwoL,
            Source::Stranger { price: Yen(150) },
            Buyer::Customer,
            2,
        )
        .unwrap();
        // (150 + 50) x 2; (5 + 7) x 2 (5% of 150 is 7.5, rounded down); 70% of 150 is 105.
        assert_eq!(
            (s.amount, s.points, s.owner_share, s.commission),
            (Yen(400), 24, Yen(210), Yen(90))
        );
        let guest = price_line(&r, PrintSize::L, Source::Own, Buyer::Guest, 1).unwrap();
        assert_eq!((guest.amount, guest.points), (Yen(20), 0));
        assert!(price_line(&r, PrintSize::L, Source::Own, Buyer::Customer, 0).is_err());
        assert!(price_line(&r, PrintSize::L, Source::Own, Buyer::Customer, MAX_COPIES + 1).is_err());
        assert!(price_line(
            &r,
            PrintSize::L,
            Source::Stranger { price: Yen(-1) },
            Buyer::Customer,
            1
        )
        .is_err());
    }

    proptest! {
        #[test]
        fn share_and_commission_add_up_to_the_price_and_nothing_is_negative(
            price in 0i64..=100_000,
            copies in 1u32..=MAX_COPIES,
            share in 0u8..=100,
            extra in 0u8..=100,
            two_l in any::<bool>(),
            guest in any::<bool>(),
        ) {
            let rates = PrintRates { owner_share_percent: share, stranger_points_percent: extra, ..PrintRates::default() };
            let size = if two_l { PrintSize::TwoL } else { PrintSize::L };
            let buyer = if guest { Buyer::Guest } else { Buyer::Customer };
            let p = price_line(&rates, size, Source::Stranger { price: Yen(price) }, buyer, copies).unwrap();
            prop_assert_eq!(p.owner_share.0 + p.commission.0, price * i64::from(copies));
            prop_assert_eq!(p.amount.0, (price + rates.size(size).fee.0) * i64::from(copies));
            prop_assert!(p.amount.0 >= 0 && p.points >= 0 && p.owner_share.0 >= 0 && p.commission.0 >= 0);
            if guest { prop_assert_eq!(p.points, 0); }
        }
    }
}
