//! Search (M14): the terms an image is found by. How the index stores them
//! (partitions, sort keys, shards) is the adapters' business.

use crate::image::Attributes;

/// The term every image carries, for searches by date or by nothing.
pub const ALL: &str = "*";
/// An image is indexed under at most this many terms (the first ones, in the
/// order below), which bounds the items one change writes and keeps a class
/// change to a single DynamoDB transaction.
pub const MAX_TERMS: usize = 40;

fn norm(s: &str) -> String {
    s.trim().to_lowercase()
}

/// The index terms of an image's attributes: `*`, then `event:`, `place:`,
/// `camera:`, `person:` and `kw:` terms, folded to lower case, without repeats.
pub fn terms(a: &Attributes) -> Vec<String> {
    let mut out = vec![ALL.to_owned()];
    let mut push = |t: String| {
        if !out.contains(&t) && out.len() < MAX_TERMS {
            out.push(t);
        }
    };
    if let Some(e) = &a.event {
        push(format!("event:{}", norm(e)));
    }
    if let Some(p) = a.place.as_ref().and_then(|p| p.name.as_ref()) {
        push(format!("place:{}", norm(p)));
    }
    if let Some(c) = &a.camera {
        push(format!("camera:{}", norm(c)));
    }
    for p in &a.people {
        push(format!("person:{}", norm(p)));
    }
    for k in &a.keywords {
        push(format!("kw:{}", norm(k)));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::image::Place;

    #[test]
    fn terms_are_folded_and_bounded() {
        let a = Attributes {
            event: Some("Wedding".into()),
            place: Some(Place {
                name: Some("Mt. Fuji".into()),
                latitude: None,
                longitude: None,
            }),
            keywords: (0..60).map(|i| format!("K{i}")).collect(),
            people: vec!["Ann".into()],
            ..Default::default()
        };
        let t = terms(&a);
        assert_eq!(&t[..4], ["*", "event:wedding", "place:mt. fuji", "person:ann"]);
        assert_eq!(t.len(), MAX_TERMS);
        assert!(t.contains(&"kw:k0".to_string()));
    }
}
