//! Ordering a proposal (M30): the customer chooses a disc, may take images
//! out, and orders it like a print order, at the medium's fee and points.

use serde::{Deserialize, Serialize};
use time::Date;

use super::Slug;
use crate::archive::{image_sectors, Disc, Proposal, ProposalStatus, FIXED_SECTORS};
use crate::catalogue::Medium;
use crate::ids::{ImageId, ProposalId};
use crate::{Clash, Error, Problem, Rule};

impl Disc {
    /// The medium a disc of this kind is, in the catalogue (its fee and
    /// points).
    pub fn medium(self) -> Medium {
        match self {
            Self::Cd => Medium::Cd,
            Self::Dvd => Medium::Dvd,
            Self::Bd => Medium::Bd,
        }
    }
}

/// The body of `POST /v1/archive/proposals/{proposal_id}/quote`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ArchiveChoice {
    /// The disc: its fill in the proposal is what goes on it.
    pub disc: Disc,
    /// The output location whose lab writes and posts the disc.
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "tokyo-shibuya"))]
    pub location: Slug,
    /// Images of the disc's fill to leave online.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<String>))]
    pub without: Vec<ImageId>,
}

/// What an archive quote, and the order made from it, hold besides the
/// price: the proposal, the disc and what goes on it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ArchiveTerms {
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub proposal_id: ProposalId,
    pub disc: Disc,
    /// The images, oldest first.
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<String>))]
    pub images: Vec<ImageId>,
    /// The originals' bytes.
    pub bytes: u64,
    /// 2,048-byte sectors the disc's files take, file system included.
    pub sectors: u64,
}

impl Proposal {
    /// The disc `choice` asks for: its fill without the images taken out.
    /// Only an open proposal can be chosen from; every image taken out must
    /// be on that disc, and at least one must stay.
    pub fn choose(&self, choice: &ArchiveChoice, today: Date) -> Result<ArchiveTerms, Error> {
        match self.status_on(today) {
            ProposalStatus::Open => {}
            status => return Err(Error::Conflict(Clash::ProposalNot { status })),
        }
        let fill = self.fill_of(choice.disc);
        if choice.without.len() > fill.len() {
            return Err(Error::invalid(
                "without",
                Problem::Count {
                    min: 0,
                    max: fill.len(),
                },
            ));
        }
        if let Some(out) = choice
            .without
            .iter()
            .find(|w| !fill.iter().any(|o| &o.image == *w))
        {
            return Err(Error::rule(
                "without",
                Rule::NotOnTheDisc {
                    image: out.clone(),
                    disc: choice.disc,
                },
            ));
        }
        let kept: Vec<_> = fill
            .into_iter()
            .filter(|o| !choice.without.contains(&o.image))
            .collect();
        if kept.is_empty() {
            return Err(Error::rule("without", Rule::NothingLeftOnTheDisc));
        }
        Ok(ArchiveTerms {
            proposal_id: self.proposal_id.clone(),
            disc: choice.disc,
            bytes: kept.iter().map(|o| o.bytes).sum(),
            sectors: FIXED_SECTORS + kept.iter().map(|o| image_sectors(o.bytes)).sum::<u64>(),
            images: kept.into_iter().map(|o| o.image.clone()).collect(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::archive::{ArchiveSettings, Candidate};
    use crate::ids::CustomerId;
    use crate::when::Timestamp;
    use time::macros::date;

    const MB: u64 = 1_000_000;

    /// A candidate stored on day `n` after 1970, its ID's time that day.
    fn candidate(n: i64, bytes: u64) -> Candidate {
        let id = ulid::Ulid::from_parts((n * 86_400_000) as u64 + 1, ulid::Ulid::new().random());
        Candidate {
            image: ImageId::parse(&format!("img_{id}")).unwrap(),
            bytes,
            stored: Timestamp::at(time::OffsetDateTime::UNIX_EPOCH + time::Duration::days(n)),
            selected: false,
        }
    }

    #[test]
    fn a_customer_chooses_a_disc_and_takes_images_out() {
        let c: Vec<Candidate> = (0..4).map(|d| candidate(d, 300 * MB)).collect();
        let today = date!(2027 - 03 - 10);
        let mut p = Proposal::make(
            ProposalId::generate(),
            CustomerId::generate(),
            today,
            vec![],
            &c,
            &ArchiveSettings::default(),
        )
        .unwrap();
        let choice = |disc, without: Vec<ImageId>| ArchiveChoice {
            disc,
            location: Slug::parse("tokyo-shibuya", "location").unwrap(),
            without,
        };
        // A CD holds two of them; take the first out.
        let t = p
            .choose(&choice(Disc::Cd, vec![c[0].image.clone()]), today)
            .unwrap();
        assert_eq!(t.images, vec![c[1].image.clone()]);
        assert_eq!(
            (t.bytes, t.sectors),
            (300 * MB, FIXED_SECTORS + image_sectors(300 * MB))
        );
        assert_eq!(t.disc.medium(), crate::catalogue::Medium::Cd);
        // The third is on the DVD, not the CD.
        let e = p
            .choose(&choice(Disc::Cd, vec![c[2].image.clone()]), today)
            .unwrap_err();
        assert!(
            matches!(
                e,
                Error::Invalid {
                    problem: crate::Problem::Rule(crate::Rule::NotOnTheDisc { .. }),
                    ..
                }
            ),
            "{e:?}"
        );
        let all = vec![c[0].image.clone(), c[1].image.clone()];
        let e = p.choose(&choice(Disc::Cd, all), today).unwrap_err();
        assert!(
            matches!(
                e,
                Error::Invalid {
                    problem: crate::Problem::Rule(crate::Rule::NothingLeftOnTheDisc),
                    ..
                }
            ),
            "{e:?}"
        );
        // Lapsed on its last day; ordered, whatever the day.
        let e = p.choose(&choice(Disc::Dvd, vec![]), p.expires_on).unwrap_err();
        assert!(
            matches!(
                e,
                Error::Conflict(crate::Clash::ProposalNot {
                    status: ProposalStatus::Lapsed
                })
            ),
            "{e:?}"
        );
        p.status = ProposalStatus::Ordered;
        let e = p.choose(&choice(Disc::Dvd, vec![]), today).unwrap_err();
        assert!(
            matches!(
                e,
                Error::Conflict(crate::Clash::ProposalNot {
                    status: ProposalStatus::Ordered
                })
            ),
            "{e:?}"
        );
    }
}
