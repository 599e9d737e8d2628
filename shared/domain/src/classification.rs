//! Classification (M10) and the owner's prices (M11).

use crate::Rule;
use serde::{Deserialize, Serialize};

use crate::access::Class;
use crate::money::Yen;
use crate::pricing::PrintSize;
use crate::settings::PriceBounds;
use crate::Error;

/// The owner's price per print size for a printable image.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Prices {
    /// L size (89 × 127 mm).
    #[serde(rename = "L")]
    pub l: Yen,
    /// 2L size (127 × 178 mm).
    #[serde(rename = "2L")]
    pub two_l: Yen,
}

/// The body of `PUT /v1/images/{id}/class`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({"class": "printable", "prices": {"L": 150, "2L": 400}})))]
pub struct ClassChange {
    pub class: Class,
    #[serde(default)]
    pub prices: Option<Prices>,
}

impl ClassChange {
    /// Checks the change against the operator's bounds. Printable needs
    /// prices within them; the other classes carry none.
    pub fn validate(self, bounds: &PriceBounds) -> Result<(Class, Option<Prices>), Error> {
        match (self.class, self.prices) {
            (Class::Printable, None) => Err(Error::rule("prices", Rule::PricesNeeded)),
            (Class::Printable, Some(p)) => {
                for (size, price) in [(PrintSize::L, p.l), (PrintSize::TwoL, p.two_l)] {
                    if price < bounds.min || price > bounds.max {
                        return Err(Error::rule(
                            "prices",
                            Rule::PriceOutside {
                                size,
                                price,
                                min: bounds.min,
                                max: bounds.max,
                            },
                        ));
                    }
                }
                Ok((Class::Printable, Some(p)))
            }
            (c, Some(_)) => Err(Error::rule("prices", Rule::NoPricesFor(c))),
            (c, None) => Ok((c, None)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn change(json: &str) -> ClassChange {
        serde_json::from_str(json).unwrap()
    }

    const B: PriceBounds = PriceBounds {
        min: Yen(10),
        max: Yen(10_000),
    };

    #[test]
    fn printable_needs_prices_within_bounds() {
        assert!(change(r#"{"class":"printable"}"#).validate(&B).is_err());
        assert!(change(r#"{"class":"printable","prices":{"L":5,"2L":100}}"#)
            .validate(&B)
            .is_err());
        assert!(change(r#"{"class":"printable","prices":{"L":100,"2L":20000}}"#)
            .validate(&B)
            .is_err());
        let (c, p) = change(r#"{"class":"printable","prices":{"L":100,"2L":300}}"#)
            .validate(&B)
            .unwrap();
        assert_eq!((c, p.unwrap().two_l), (Class::Printable, Yen(300)));
    }

    #[test]
    fn other_classes_carry_no_prices() {
        assert!(change(r#"{"class":"viewable","prices":{"L":100,"2L":300}}"#)
            .validate(&B)
            .is_err());
        assert_eq!(
            change(r#"{"class":"private"}"#).validate(&B).unwrap(),
            (Class::Private, None)
        );
        assert!(serde_json::from_str::<ClassChange>(r#"{"class":"secret"}"#).is_err());
        assert!(
            serde_json::from_str::<ClassChange>(r#"{"class":"printable","prices":{"L":1.5,"2L":3}}"#)
                .is_err()
        );
    }
}
