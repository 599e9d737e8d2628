//! Albums (M12): made by hand, or automatically from an image's attributes
//! (year and month taken, event, named place).

use crate::when::Timestamp;
use crate::{Clash, Counted, Problem};
use serde::{Deserialize, Serialize};

use crate::ids::{AlbumId, CustomerId};
use crate::image::Attributes;
use crate::profile::Profile;
use crate::Error;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum AlbumKind {
    Manual,
    Auto,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Album {
    pub album_id: AlbumId,
    pub owner: CustomerId,
    pub name: String,
    pub kind: AlbumKind,
    /// For automatic albums: what files an image here (`month:2024-05`,
    /// `event:wedding`, `place:kyoto`). One album per key per customer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auto_key: Option<String>,
    pub created_at: Timestamp,
}

/// At most this many images may be sent in one bulk edit.
pub const MAX_BULK: usize = 100;
/// An image may be in at most this many albums.
pub const MAX_ALBUMS_PER_IMAGE: usize = 50;

/// Whether an image already in `albums` may be put in `album` too (being
/// there already is fine: adding is idempotent).
pub fn check_album_room(albums: &[AlbumId], album: &AlbumId) -> Result<(), Error> {
    if !albums.contains(album) && albums.len() >= MAX_ALBUMS_PER_IMAGE {
        return Err(Error::Conflict(Clash::AtMost {
            of: Counted::AlbumsOfImage,
            most: MAX_ALBUMS_PER_IMAGE,
        }));
    }
    Ok(())
}

pub fn album_name(raw: &str) -> Result<String, Error> {
    let n = raw.trim();
    if n.is_empty() || n.chars().count() > 100 || n.chars().any(char::is_control) {
        return Err(Error::invalid("name", Problem::Text { min: 1, max: 100 }));
    }
    Ok(n.to_owned())
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// The automatic albums an image belongs in: `(key, display name)`.
pub fn auto_albums(a: &Attributes) -> Vec<(String, String)> {
    let mut out = Vec::new();
    if let Some(t) = &a.taken_at {
        // `YYYY-MM-…`, checked when the attribute was set.
        if let (Some(y), Some(m)) = (t.get(0..4), t.get(5..7).and_then(|m| m.parse::<usize>().ok())) {
            if (1..=12).contains(&m) {
                out.push((format!("month:{y}-{m:02}"), format!("{} {y}", MONTHS[m - 1])));
            }
        }
    }
    if let Some(e) = &a.event {
        out.push((format!("event:{}", e.to_lowercase()), e.clone()));
    }
    if let Some(name) = a.place.as_ref().and_then(|p| p.name.as_ref()) {
        out.push((format!("place:{}", name.to_lowercase()), name.clone()));
    }
    out
}

/// Whether an attribute edit can move an image between automatic albums: its
/// month, event or named place changed, or the day it was taken (birthday
/// and named-date albums).
pub fn auto_albums_may_change(before: &Attributes, after: &Attributes) -> bool {
    let day = |a: &Attributes| {
        a.taken_at
            .as_deref()
            .and_then(|t| t.get(0..10))
            .map(str::to_owned)
    };
    auto_albums(before) != auto_albums(after) || day(before) != day(after)
}

/// The automatic albums of an image, with the customer's own dates: an image
/// taken on their birthday or on a named date (a wedding anniversary, say)
/// also goes in an album named for it.
pub fn auto_albums_for(a: &Attributes, profile: &Profile) -> Vec<(String, String)> {
    let mut out = auto_albums(a);
    let Some(day) = a.taken_at.as_deref().and_then(|t| t.get(5..10)) else {
        return out;
    };
    let same_day = |d: &time::Date| format!("{:02}-{:02}", u8::from(d.month()), d.day()) == day;
    if profile.birthday.as_ref().is_some_and(same_day) {
        out.push(("date:birthday".into(), "Birthday".into()));
    }
    for n in profile.named_dates.iter().filter(|n| same_day(&n.date)) {
        out.push((format!("date:{}", n.label.to_lowercase()), n.label.clone()));
    }
    out
}

mod filing;
pub use filing::{Admit, Filing};

#[cfg(test)]
mod tests {
    use super::*;
    use crate::image::Place;

    #[test]
    fn only_edits_of_date_event_or_place_can_move_an_image() {
        let before = Attributes {
            taken_at: Some("2024-05-03T14:30:00".into()),
            event: Some("Kyoto Trip".into()),
            ..Default::default()
        };
        let with = |f: &dyn Fn(&mut Attributes)| {
            let mut a = before.clone();
            f(&mut a);
            auto_albums_may_change(&before, &a)
        };
        assert!(!with(&|_| {}));
        assert!(!with(&|a| a.keywords = vec!["temple".into()]));
        assert!(
            !with(&|a| a.taken_at = Some("2024-05-03T09:00:00".into())),
            "same day"
        );
        assert!(
            with(&|a| a.taken_at = Some("2024-05-04T14:30:00".into())),
            "another day"
        );
        assert!(with(&|a| a.taken_at = Some("2023-08-03T14:30:00".into())));
        assert!(with(&|a| a.taken_at = None));
        assert!(with(&|a| a.event = Some("Osaka Trip".into())));
        assert!(with(&|a| a.place = Some(Place {
            name: Some("Kyoto".into()),
            latitude: None,
            longitude: None,
        })));
    }

    #[test]
    fn automatic_albums_come_from_date_event_and_named_place() {
        let a = Attributes {
            taken_at: Some("2024-05-03T14:30:00".into()),
            event: Some("Kyoto Trip".into()),
            place: Some(Place {
                name: Some("Kyoto".into()),
                latitude: None,
                longitude: None,
            }),
            ..Default::default()
        };
        assert_eq!(
            auto_albums(&a),
            vec![
                ("month:2024-05".to_string(), "May 2024".to_string()),
                ("event:kyoto trip".to_string(), "Kyoto Trip".to_string()),
                ("place:kyoto".to_string(), "Kyoto".to_string()),
            ]
        );
    }

    #[test]
    fn birthdays_and_named_dates_name_albums() {
        let profile: Profile = serde_json::from_str(
            r#"{"birthday":"1990-04-01","named_dates":[{"label":"Wedding anniversary","date":"2015-06-20"}]}"#,
        )
        .unwrap();
        let on = |t: &str| Attributes {
            taken_at: Some(t.into()),
            ..Default::default()
        };
        let keys = |t| {
            auto_albums_for(&on(t), &profile)
                .into_iter()
                .map(|(k, _)| k)
                .collect::<Vec<_>>()
        };
        assert_eq!(keys("2024-04-01T10:00:00"), ["month:2024-04", "date:birthday"]);
        assert_eq!(
            keys("2023-06-20T18:00:00"),
            ["month:2023-06", "date:wedding anniversary"]
        );
        assert_eq!(keys("2023-06-21T18:00:00"), ["month:2023-06"]);
    }

    #[test]
    fn unnamed_places_and_missing_dates_make_no_album() {
        let a = Attributes {
            place: Some(Place {
                name: None,
                latitude: Some(35.0),
                longitude: Some(135.7),
            }),
            ..Default::default()
        };
        assert!(auto_albums(&a).is_empty());
        assert!(album_name("  ").is_err());
        assert_eq!(album_name(" Summer ").unwrap(), "Summer");
    }
}
