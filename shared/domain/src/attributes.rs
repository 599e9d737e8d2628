//! Image attributes (M8): date taken, place, people, event, keywords and
//! camera. Defaults come from EXIF; the customer edits them by patch.

use crate::{Form, Problem};
use serde::{Deserialize, Serialize};

use crate::profile::present;
use crate::Error;

/// A place, from GPS or typed by the customer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Place {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub latitude: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub longitude: Option<f64>,
}

/// Attributes (M8). Defaults come from EXIF; the customer edits them.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Attributes {
    /// When the photo was taken, `YYYY-MM-DDTHH:MM:SS` in the camera's local time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub taken_at: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub place: Option<Place>,
    #[serde(default)]
    pub people: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event: Option<String>,
    #[serde(default)]
    pub keywords: Vec<String>,
    /// Camera make and model, from EXIF.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub camera: Option<String>,
}

impl Attributes {
    /// The attributes as anyone but the owner sees them: a place's
    /// coordinates (from GPS, or typed) only when the owner shares the
    /// location; the place's name, which the owner typed, always.
    pub fn seen_by_others(&self, location_shared: bool) -> Attributes {
        let mut a = self.clone();
        if !location_shared {
            a.place = a.place.and_then(|p| {
                p.name.map(|name| Place {
                    name: Some(name),
                    latitude: None,
                    longitude: None,
                })
            });
        }
        a
    }
}

/// A partial edit of attributes: absent fields stay, `null` clears.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({"event": "Summer trip", "keywords": ["Mt. Fuji"], "people": ["Ann"], "taken_at": "2024-08-10T06:30:00"})))]
pub struct AttributesPatch {
    #[serde(default, deserialize_with = "present")]
    pub taken_at: Option<Option<String>>,
    #[serde(default, deserialize_with = "present")]
    pub place: Option<Option<Place>>,
    #[serde(default)]
    pub people: Option<Vec<String>>,
    #[serde(default, deserialize_with = "present")]
    pub event: Option<Option<String>>,
    #[serde(default)]
    pub keywords: Option<Vec<String>>,
    #[serde(default, deserialize_with = "present")]
    pub camera: Option<Option<String>>,
}

impl AttributesPatch {
    /// Whether the patch sets the date taken, the event or the place, which
    /// decide an image's automatic albums (even to the value they had).
    pub fn touches_auto_album_fields(&self) -> bool {
        self.taken_at.is_some() || self.event.is_some() || self.place.is_some()
    }
}

pub const MAX_LIST_ITEMS: usize = 50;
pub const MAX_LABEL_CHARS: usize = 100;

fn label(field: &'static str, raw: &str) -> Result<String, Error> {
    let s = raw.trim();
    if s.is_empty() || s.chars().count() > MAX_LABEL_CHARS || s.chars().any(char::is_control) {
        return Err(Error::invalid(
            field,
            Problem::Text {
                min: 1,
                max: MAX_LABEL_CHARS,
            },
        ));
    }
    Ok(s.to_owned())
}

fn labels(field: &'static str, raw: Vec<String>, fold_case: bool) -> Result<Vec<String>, Error> {
    if raw.len() > MAX_LIST_ITEMS {
        return Err(Error::invalid(
            field,
            Problem::Count {
                min: 0,
                max: MAX_LIST_ITEMS,
            },
        ));
    }
    let mut out: Vec<String> = Vec::with_capacity(raw.len());
    for r in raw {
        let mut l = label(field, &r)?;
        if fold_case {
            l = l.to_lowercase();
        }
        if !out.contains(&l) {
            out.push(l);
        }
    }
    Ok(out)
}

/// Checks `YYYY-MM-DDTHH:MM:SS` (seconds optional on input).
pub fn parse_taken_at(raw: &str) -> Result<String, Error> {
    use time::macros::format_description;
    let full = format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]");
    let short = format_description!("[year]-[month]-[day]T[hour]:[minute]");
    let date = format_description!("[year]-[month]-[day]");
    let t = time::PrimitiveDateTime::parse(raw, full)
        .or_else(|_| time::PrimitiveDateTime::parse(raw, short))
        .or_else(|_| time::Date::parse(raw, date).map(|d| d.midnight()))
        .map_err(|_| Error::invalid("taken_at", Problem::Form(Form::LocalTime)))?;
    Ok(t.format(full).map_err(anyhow::Error::from)?)
}

impl Place {
    fn validate(self) -> Result<Self, Error> {
        let name = self.name.map(|n| label("place", &n)).transpose()?;
        match (self.latitude, self.longitude) {
            (Some(la), Some(lo)) if (-90.0..=90.0).contains(&la) && (-180.0..=180.0).contains(&lo) => {}
            (None, None) if name.is_some() => {}
            _ => return Err(Error::invalid("place", Problem::Form(Form::Place))),
        }
        // Seven decimals is about a centimetre; rounding also keeps numbers
        // like 1e-200 (which DynamoDB refuses: it stores no magnitude below
        // 1e-130) out of storage.
        let round = |v: Option<f64>| v.map(|v| (v * 1e7).round() / 1e7);
        Ok(Self {
            name,
            latitude: round(self.latitude),
            longitude: round(self.longitude),
        })
    }
}

impl Attributes {
    /// Applies a patch; on error nothing changes.
    pub fn apply(&mut self, patch: AttributesPatch) -> Result<(), Error> {
        let mut next = self.clone();
        if let Some(t) = patch.taken_at {
            next.taken_at = t.as_deref().map(parse_taken_at).transpose()?;
        }
        if let Some(p) = patch.place {
            next.place = p.map(Place::validate).transpose()?;
        }
        if let Some(p) = patch.people {
            next.people = labels("people", p, false)?;
        }
        if let Some(e) = patch.event {
            next.event = e.map(|e| label("event", &e)).transpose()?;
        }
        if let Some(k) = patch.keywords {
            next.keywords = labels("keywords", k, true)?;
        }
        if let Some(c) = patch.camera {
            next.camera = c.map(|c| label("camera", &c)).transpose()?;
        }
        *self = next;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn others_see_coordinates_only_when_the_owner_shares_the_location() {
        let mut a = Attributes {
            place: Some(Place {
                name: Some("Kyoto".into()),
                latitude: Some(35.0),
                longitude: Some(135.7),
            }),
            ..Attributes::default()
        };
        let hidden = a.seen_by_others(false).place.unwrap();
        assert_eq!(
            (hidden.name.as_deref(), hidden.latitude, hidden.longitude),
            (Some("Kyoto"), None, None)
        );
        assert_eq!(a.seen_by_others(true), a);
        a.place.as_mut().unwrap().name = None;
        assert_eq!(a.seen_by_others(false).place, None, "coordinates alone: nothing");
    }

    fn patch(json: &str) -> AttributesPatch {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn keywords_are_trimmed_folded_and_deduplicated() {
        let mut a = Attributes::default();
        a.apply(patch(r#"{"keywords":[" Mt. Fuji ","mt. fuji","Sunrise"]}"#))
            .unwrap();
        assert_eq!(a.keywords, vec!["mt. fuji", "sunrise"]);
    }

    #[test]
    fn bad_attributes_change_nothing() {
        let mut a = Attributes {
            event: Some("Wedding".into()),
            ..Default::default()
        };
        let before = a.clone();
        assert!(a
            .apply(patch(r#"{"event":null,"taken_at":"yesterday"}"#))
            .is_err());
        assert_eq!(a, before);
        assert!(a
            .apply(patch(r#"{"place":{"latitude":91.0,"longitude":0.0}}"#))
            .is_err());
        assert!(a.apply(patch(r#"{"keywords":[""]}"#)).is_err());
        let many: Vec<String> = (0..51).map(|i| format!("k{i}")).collect();
        let json = serde_json::json!({ "people": many }).to_string();
        assert!(a.apply(patch(&json)).is_err());
        assert!(serde_json::from_str::<AttributesPatch>(r#"{"colour":"red"}"#).is_err());
    }

    #[test]
    fn coordinates_are_rounded_to_a_centimetre_and_never_underflow_storage() {
        let mut a = Attributes::default();
        a.apply(patch(r#"{"place":{"latitude":35.360625123,"longitude":1e-200}}"#))
            .unwrap();
        let place = a.place.unwrap();
        assert_eq!(place.latitude, Some(35.3606251));
        assert_eq!(place.longitude, Some(0.0));
    }

    #[test]
    fn taken_at_is_normalised() {
        assert_eq!(parse_taken_at("2024-05-03T14:30").unwrap(), "2024-05-03T14:30:00");
        assert_eq!(parse_taken_at("2024-05-03").unwrap(), "2024-05-03T00:00:00");
        assert!(parse_taken_at("2024-13-03").is_err());
    }

    #[test]
    fn null_clears_and_absent_keeps() {
        let mut a = Attributes {
            event: Some("Wedding".into()),
            camera: Some("X".into()),
            ..Default::default()
        };
        a.apply(patch(r#"{"event":null}"#)).unwrap();
        assert_eq!(a.event, None);
        assert_eq!(a.camera.as_deref(), Some("X"));
    }
}
