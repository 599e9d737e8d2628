//! Customer information (M2): name, contact email, postal address, birthday
//! and named dates such as a wedding anniversary (M28 reads them).

use crate::{Form, Problem, Rule};
use serde::{Deserialize, Deserializer, Serialize};
use time::Date;

use crate::account::Email;
use crate::Error;

time::serde::format_description!(iso_date, Date, "[year]-[month]-[day]");

/// Serde helpers for optional ISO dates (`"1990-04-01"`).
pub mod iso_date_opt {
    pub use super::iso_date::option::{deserialize, serialize};
}

/// A postal address for deliveries.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PostalAddress {
    /// Whom the parcel is for, when not the customer's own name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recipient: Option<String>,
    /// Street lines, 1 to 4.
    pub lines: Vec<String>,
    pub city: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    pub postal_code: String,
    /// ISO 3166-1 alpha-2, upper case (`JP`, `GB`).
    pub country: String,
}

/// A date the customer wants remembered every year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NamedDate {
    pub label: String,
    #[serde(with = "iso_date")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = Date, example = "1990-04-01"))]
    pub date: Date,
}

/// Everything the customer tells us about themselves.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Profile {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact_email: Option<Email>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub postal_address: Option<PostalAddress>,
    #[serde(default, with = "iso_date::option", skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = Date, example = "1990-04-01"))]
    pub birthday: Option<Date>,
    #[serde(default)]
    pub named_dates: Vec<NamedDate>,
}

/// A partial update: an absent field is left alone, `null` clears it.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({"name": "Ann Sato", "birthday": "1990-04-01", "postal_address": {"lines": ["1-1 Chiyoda"], "city": "Tokyo", "postal_code": "100-0001", "country": "JP"}, "named_dates": [{"label": "Wedding anniversary", "date": "2015-06-20"}]})))]
pub struct ProfileUpdate {
    #[serde(default, deserialize_with = "present")]
    pub name: Option<Option<String>>,
    #[serde(default, deserialize_with = "present")]
    pub contact_email: Option<Option<Email>>,
    #[serde(default, deserialize_with = "present")]
    pub postal_address: Option<Option<PostalAddress>>,
    #[serde(default, deserialize_with = "present_date")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = Date, example = "1990-04-01"))]
    pub birthday: Option<Option<Date>>,
    #[serde(default)]
    pub named_dates: Option<Vec<NamedDate>>,
}

/// Distinguishes an absent field (`None`) from an explicit `null` (`Some(None)`).
pub fn present<'de, D, T>(d: D) -> Result<Option<Option<T>>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(d).map(Some)
}

fn present_date<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Option<Date>>, D::Error> {
    iso_date::option::deserialize(d).map(Some)
}

pub const MAX_NAMED_DATES: usize = 20;
const MAX_TEXT: usize = 200;

fn check_text(field: &'static str, value: &str, max: usize) -> Result<(), Error> {
    let n = value.trim().chars().count();
    if n == 0 || n > max || value.chars().any(|c| c.is_control()) {
        return Err(Error::invalid(field, Problem::Text { min: 1, max }));
    }
    Ok(())
}

impl PostalAddress {
    fn validate(&self) -> Result<(), Error> {
        if self.lines.is_empty() || self.lines.len() > 4 {
            return Err(Error::invalid(
                "postal_address.lines",
                Problem::Count { min: 1, max: 4 },
            ));
        }
        for l in &self.lines {
            check_text("postal_address.lines", l, MAX_TEXT)?;
        }
        check_text("postal_address.city", &self.city, MAX_TEXT)?;
        check_text("postal_address.postal_code", &self.postal_code, 20)?;
        if let Some(r) = &self.recipient {
            check_text("postal_address.recipient", r, MAX_TEXT)?;
        }
        if let Some(r) = &self.region {
            check_text("postal_address.region", r, MAX_TEXT)?;
        }
        if self.country.len() != 2 || !self.country.bytes().all(|b| b.is_ascii_uppercase()) {
            return Err(Error::invalid(
                "postal_address.country",
                Problem::Form(Form::Country),
            ));
        }
        Ok(())
    }
}

impl Profile {
    /// Applies `update`, checking every field against `today` (a birthday
    /// cannot be in the future).
    pub fn apply(&mut self, update: ProfileUpdate, today: Date) -> Result<(), Error> {
        let mut next = self.clone();
        if let Some(name) = update.name {
            if let Some(n) = &name {
                check_text("name", n, MAX_TEXT)?;
            }
            next.name = name.map(|n| n.trim().to_owned());
        }
        if let Some(email) = update.contact_email {
            next.contact_email = email;
        }
        if let Some(addr) = update.postal_address {
            if let Some(a) = &addr {
                a.validate()?;
            }
            next.postal_address = addr;
        }
        if let Some(b) = update.birthday {
            if b.is_some_and(|b| b > today) {
                return Err(Error::rule("birthday", Rule::InTheFuture));
            }
            next.birthday = b;
        }
        if let Some(dates) = update.named_dates {
            if dates.len() > MAX_NAMED_DATES {
                return Err(Error::invalid(
                    "named_dates",
                    Problem::Count {
                        min: 0,
                        max: MAX_NAMED_DATES,
                    },
                ));
            }
            for d in &dates {
                check_text("named_dates", &d.label, 100)?;
            }
            next.named_dates = dates;
        }
        *self = next;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn upd(json: &str) -> ProfileUpdate {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn absent_fields_stay_and_null_clears() {
        let mut p = Profile::default();
        p.apply(
            upd(r#"{"name":"Ann","birthday":"1990-04-01"}"#),
            date!(2026 - 01 - 01),
        )
        .unwrap();
        assert_eq!(p.name.as_deref(), Some("Ann"));
        p.apply(upd(r#"{"birthday":null}"#), date!(2026 - 01 - 01))
            .unwrap();
        assert_eq!(p.name.as_deref(), Some("Ann"));
        assert_eq!(p.birthday, None);
    }

    #[test]
    fn bad_values_are_refused_and_nothing_changes() {
        let mut p = Profile::default();
        let today = date!(2026 - 01 - 01);
        assert!(p
            .apply(upd(r#"{"name":"Ann","birthday":"2030-01-01"}"#), today)
            .is_err());
        assert_eq!(p, Profile::default());
        assert!(serde_json::from_str::<ProfileUpdate>(r#"{"birthday":"01/02/1990"}"#).is_err());
        assert!(serde_json::from_str::<ProfileUpdate>(r#"{"contact_email":"nope"}"#).is_err());
        assert!(serde_json::from_str::<ProfileUpdate>(r#"{"shoe_size":9}"#).is_err());
        let addr =
            r#"{"postal_address":{"lines":[],"city":"Tokyo","postal_code":"100-0001","country":"JP"}}"#;
        assert!(p.apply(upd(addr), today).is_err());
        let addr = r#"{"postal_address":{"lines":["1-1 Chiyoda"],"city":"Tokyo","postal_code":"100-0001","country":"Japan"}}"#;
        assert!(p.apply(upd(addr), today).is_err());
    }

    #[test]
    fn named_dates_round_trip() {
        let mut p = Profile::default();
        p.apply(
            upd(r#"{"named_dates":[{"label":"Wedding","date":"2015-06-20"}]}"#),
            date!(2026 - 01 - 01),
        )
        .unwrap();
        let json = serde_json::to_value(&p).unwrap();
        assert_eq!(json["named_dates"][0]["date"], "2015-06-20");
        let back: Profile = serde_json::from_value(json).unwrap();
        assert_eq!(back, p);
    }
}
