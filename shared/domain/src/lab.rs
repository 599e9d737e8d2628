//! Print labs (M21): who prints for which output locations. Each lab has
//! its own job queue and its own key for reporting; only the key's SHA-256
//! is stored.

use crate::when::Timestamp;
use crate::Problem;
use serde::{Deserialize, Serialize};

use crate::order::Slug;
use crate::Error;

/// A lab as the operator registers it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Lab {
    pub lab_id: Slug,
    pub name: String,
    /// The output locations it prints for: stores, or delivery areas.
    pub locations: Vec<Slug>,
    /// SHA-256 (hex) of the lab's reporting key.
    pub key_digest: String,
    /// The lab's FIFO job queue (M21), made when the lab is registered.
    #[serde(default)]
    pub queue_url: String,
    pub created_at: Timestamp,
}

impl Lab {
    /// The lab as the catalogue lists it.
    pub fn listed(&self) -> ListedLab {
        ListedLab {
            lab_id: self.lab_id.clone(),
            name: self.name.clone(),
            locations: self.locations.clone(),
        }
    }
}

/// A lab as the public catalogue lists it: its name and output locations,
/// never its key, key digest or queue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListedLab {
    pub lab_id: Slug,
    pub name: String,
    pub locations: Vec<Slug>,
}

/// An output location a quote may name, and the lab that prints there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputLocation {
    pub location: Slug,
    pub lab_name: String,
}

/// Every output location of `labs`, each once, in location order. A
/// location is held by one lab (registering it for a second is refused);
/// were two listings to name it, the lab with the lower ID is shown, so the
/// answer never depends on the order the listings were read in.
pub fn output_locations(labs: &[ListedLab]) -> Vec<OutputLocation> {
    let mut pairs: Vec<(&Slug, &ListedLab)> = labs
        .iter()
        .flat_map(|lab| lab.locations.iter().map(move |l| (l, lab)))
        .collect();
    pairs.sort_by(|a, b| (a.0, &a.1.lab_id).cmp(&(b.0, &b.1.lab_id)));
    pairs.dedup_by(|later, first| later.0 == first.0);
    pairs
        .into_iter()
        .map(|(l, lab)| OutputLocation {
            location: l.clone(),
            lab_name: lab.name.clone(),
        })
        .collect()
}

/// The body of `PUT /v1/operator/labs/{lab_id}`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({"name": "Shibuya Photo Lab", "locations": ["tokyo-shibuya", "delivery-kanto"]})))]
pub struct LabRequest {
    /// 1 to 100 characters.
    pub name: String,
    /// 1 to 50 output locations, each printed by one lab only.
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<String>))]
    pub locations: Vec<Slug>,
}

impl LabRequest {
    pub fn validate(&self) -> Result<(), Error> {
        let n = self.name.trim().chars().count();
        if n == 0 || n > 100 || self.name.chars().any(char::is_control) {
            return Err(Error::invalid("name", Problem::Text { min: 1, max: 100 }));
        }
        let mut seen = std::collections::HashSet::new();
        if self.locations.is_empty()
            || self.locations.len() > 50
            || !self.locations.iter().all(|l| seen.insert(l))
        {
            return Err(Error::invalid("locations", Problem::Count { min: 1, max: 50 }));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn listed(id: &str, name: &str, locations: &[&str]) -> ListedLab {
        ListedLab {
            lab_id: Slug::parse(id, "lab").unwrap(),
            name: name.into(),
            locations: locations
                .iter()
                .map(|l| Slug::parse(l, "location").unwrap())
                .collect(),
        }
    }

    fn shown(labs: &[ListedLab]) -> Vec<(String, String)> {
        output_locations(labs)
            .into_iter()
            .map(|l| (l.location.to_string(), l.lab_name))
            .collect()
    }

    fn pairs(xs: &[(&str, &str)]) -> Vec<(String, String)> {
        xs.iter().map(|(l, n)| ((*l).into(), (*n).into())).collect()
    }

    #[test]
    fn every_labs_locations_are_listed_once_in_location_order() {
        let labs = [
            listed(
                "shibuya-lab",
                "Shibuya Photo Lab",
                &["tokyo-shibuya", "delivery-kanto"],
            ),
            listed("osaka-lab", "Osaka Prints", &["osaka-umeda"]),
        ];
        assert_eq!(
            shown(&labs),
            pairs(&[
                ("delivery-kanto", "Shibuya Photo Lab"),
                ("osaka-umeda", "Osaka Prints"),
                ("tokyo-shibuya", "Shibuya Photo Lab"),
            ])
        );
        assert!(output_locations(&[]).is_empty());
    }

    #[test]
    fn a_location_two_listings_name_shows_the_lower_lab_id_whatever_the_order() {
        let a = listed("a-lab", "A", &["kyoto"]);
        let b = listed("b-lab", "B", &["kyoto", "nara"]);
        for labs in [[a.clone(), b.clone()], [b, a]] {
            assert_eq!(shown(&labs), pairs(&[("kyoto", "A"), ("nara", "B")]));
        }
    }

    #[test]
    fn the_listing_carries_no_key_or_queue() {
        let lab = Lab {
            lab_id: Slug::parse("shibuya-lab", "lab").unwrap(),
            name: "Shibuya Photo Lab".into(),
            locations: vec![Slug::parse("tokyo-shibuya", "location").unwrap()],
            key_digest: "ab".repeat(32),
            queue_url: "https://sqs.example/lab-shibuya-lab-jobs.fifo".into(),
            created_at: "2026-01-01T00:00:00Z".parse().unwrap(),
        };
        let json = serde_json::to_value(lab.listed()).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"lab_id": "shibuya-lab", "name": "Shibuya Photo Lab", "locations": ["tokyo-shibuya"]})
        );
    }
}
