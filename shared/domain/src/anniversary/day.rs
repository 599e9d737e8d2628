//! Which notices one customer gets for one day: their profile's events,
//! the events their photos name, and "on this day".

use time::Date;

use super::{key_part, profile_events, Event, MonthDay, Preferences};
use crate::profile::Profile;

/// An image taken on the day: what the images table's `anniv` index holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DayImage {
    pub id: String,
    pub taken: Date,
    /// The event its attributes name, if any.
    pub event: Option<String>,
}

/// One notice to send: the event, and the images it shows (newest first).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Due {
    pub event: Event,
    pub images: Vec<String>,
}

/// What a customer is to hear of for `day`, whose date this year is `on`:
/// - each profile event, with the photos taken on that day in earlier
///   years (a birthday's notice shows past birthdays);
/// - each event an image names (`event:<name>`), with its photos;
/// - `on-this-day`, the photos taken on that day in earlier years that name
///   no event, only when no profile event's notice already shows them.
///
/// Events the customer muted, or all when notices are off, are left out;
/// images taken this year or later never count.
pub fn day_notices(
    p: &Profile,
    images: &[DayImage],
    day: MonthDay,
    on: Date,
    prefs: &Preferences,
) -> Vec<Due> {
    if !prefs.enabled {
        return Vec::new();
    }
    let mut earlier: Vec<&DayImage> = images
        .iter()
        .filter(|i| i.taken.year() < on.year() && MonthDay::of(i.taken) == day)
        .collect();
    earlier.sort_by(|a, b| b.taken.cmp(&a.taken).then_with(|| a.id.cmp(&b.id)));
    let ids = |f: &dyn Fn(&DayImage) -> bool| -> Vec<String> {
        earlier.iter().filter(|i| f(i)).map(|i| i.id.clone()).collect()
    };
    let mut out: Vec<Due> = profile_events(p, day)
        .into_iter()
        .filter(|e| prefs.wants(&e.key))
        .map(|event| Due {
            event,
            images: ids(&|_| true),
        })
        .collect();
    let mut named: Vec<(String, String)> = Vec::new();
    for i in &earlier {
        if let Some(name) = i.event.as_deref().filter(|n| !n.trim().is_empty()) {
            let key = format!("event:{}", key_part(name));
            if !named.iter().any(|(k, _)| *k == key) {
                named.push((key, name.trim().to_owned()));
            }
        }
    }
    named.sort();
    for (key, title) in named {
        if !prefs.wants(&key) {
            continue;
        }
        let of = |i: &DayImage| {
            i.event
                .as_deref()
                .is_some_and(|n| format!("event:{}", key_part(n)) == key)
        };
        let since_year = earlier.iter().filter(|i| of(i)).map(|i| i.taken.year()).min();
        out.push(Due {
            event: Event {
                key: key.clone(),
                title,
                since_year,
            },
            images: ids(&of),
        });
    }
    let plain = |i: &DayImage| i.event.as_deref().is_none_or(|n| n.trim().is_empty());
    let on_this_day = ids(&plain);
    let shown_by_profile = out.iter().any(|d| !d.event.key.starts_with("event:"));
    if !on_this_day.is_empty() && !shown_by_profile && prefs.wants(ON_THIS_DAY) {
        let since_year = earlier.iter().filter(|i| plain(i)).map(|i| i.taken.year()).min();
        out.push(Due {
            event: Event {
                key: ON_THIS_DAY.into(),
                title: "this day in earlier years".into(),
                since_year,
            },
            images: on_this_day,
        });
    }
    out
}

/// The key of the photos taken on this day in earlier years.
pub const ON_THIS_DAY: &str = "on-this-day";
