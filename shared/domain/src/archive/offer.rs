//! A proposal (M29): what the archive sweep offers one customer when a
//! threshold is crossed, one fill for each disc kind, open for
//! `archive.proposal_days`. At most one is open per customer.
//!
//! It is one record. The images of every fill are listed once, oldest
//! first, with their bytes; a fill is kept as how many of them it takes.
//! That is enough to rebuild it: a disc's fill is the first of the listed
//! images that fit that disc on their own (see [`Proposal::fill_of`]).

use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use time::{Date, Duration};

use super::capacity::{image_sectors, Disc};
use super::{propose, ArchiveSettings, Candidate, Crossing};
use crate::ids::{CustomerId, ImageId, OrderId, ProposalId};
use crate::when::Timestamp;

/// One image a proposal offers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Offered {
    pub image: ImageId,
    /// The original's bytes.
    pub bytes: u64,
    pub stored: Timestamp,
}

/// Where a proposal stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum ProposalStatus {
    /// Offered, until `expires_on`.
    Open,
    /// Not taken up by `expires_on`: a new one may be made.
    Lapsed,
    /// An order for one of its discs holds it (until that order is
    /// cancelled); it does not lapse.
    Ordered,
}

/// One disc kind's fill, as counted from the proposal's images.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DiscFill {
    pub disc: Disc,
    /// How many of the listed images that fit this disc it takes.
    pub images: u32,
    pub bytes: u64,
    pub sectors: u64,
}

/// A proposal without its images: what a listing reads.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProposalSummary {
    pub proposal_id: ProposalId,
    #[serde(with = "crate::when::day")]
    pub made_on: Date,
    #[serde(with = "crate::when::day")]
    pub expires_on: Date,
    pub status: ProposalStatus,
    pub crossed: Vec<Crossing>,
    pub fills: Vec<DiscFill>,
}

impl ProposalSummary {
    /// The attributes of a proposal record it is made of.
    pub const ATTRIBUTES: [&'static str; 6] = [
        "proposal_id",
        "made_on",
        "expires_on",
        "status",
        "crossed",
        "fills",
    ];

    /// Its status on `day`: an open one past its last day has lapsed,
    /// whether or not the sweep has said so yet.
    pub fn status_on(&self, day: Date) -> ProposalStatus {
        lapsed_after(self.status, self.expires_on, day)
    }
}

fn lapsed_after(status: ProposalStatus, expires_on: Date, day: Date) -> ProposalStatus {
    match status {
        ProposalStatus::Open if day >= expires_on => ProposalStatus::Lapsed,
        s => s,
    }
}

/// An archive proposal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Proposal {
    pub proposal_id: ProposalId,
    pub owner: CustomerId,
    /// The day of the sweep that made it.
    #[serde(with = "crate::when::day")]
    pub made_on: Date,
    /// The first day it is no longer open.
    #[serde(with = "crate::when::day")]
    pub expires_on: Date,
    pub status: ProposalStatus,
    /// The thresholds crossed on `made_on`.
    pub crossed: Vec<Crossing>,
    /// Every image of any fill, oldest first.
    pub images: Vec<Offered>,
    pub fills: Vec<DiscFill>,
    /// The order that holds it, while one does.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub order_id: Option<OrderId>,
}

impl Proposal {
    /// The proposal `candidates` (the oldest of `owner`'s, enough of them:
    /// [`super::enough`]) make on `today`; `None` when no disc would hold
    /// any of them (every one selected, say).
    pub fn make(
        id: ProposalId,
        owner: CustomerId,
        today: Date,
        crossed: Vec<Crossing>,
        candidates: &[Candidate],
        s: &ArchiveSettings,
    ) -> Option<Self> {
        let fills = propose(candidates, s.max_images_per_disc);
        let used: BTreeSet<&ImageId> = fills.iter().flat_map(|f| &f.images).collect();
        if used.is_empty() {
            return None;
        }
        let mut images: Vec<Offered> = candidates
            .iter()
            .filter(|c| used.contains(&c.image))
            .map(|c| Offered {
                image: c.image.clone(),
                bytes: c.bytes,
                stored: c.stored,
            })
            .collect();
        images.sort_by(|a, b| a.image.cmp(&b.image));
        images.dedup_by(|a, b| a.image == b.image);
        Some(Self {
            proposal_id: id,
            owner,
            made_on: today,
            expires_on: today + Duration::days(i64::from(s.proposal_days)),
            status: ProposalStatus::Open,
            crossed,
            images,
            order_id: None,
            fills: fills
                .iter()
                .map(|f| DiscFill {
                    disc: f.disc,
                    images: u32::try_from(f.images.len()).unwrap_or(u32::MAX),
                    bytes: f.bytes,
                    sectors: f.sectors,
                })
                .collect(),
        })
    }

    /// Open on `day`: not lapsed, and not past its last day.
    pub fn is_open_on(&self, day: Date) -> bool {
        self.status_on(day) == ProposalStatus::Open
    }

    /// Its status on `day` (see [`ProposalSummary::status_on`]).
    pub fn status_on(&self, day: Date) -> ProposalStatus {
        lapsed_after(self.status, self.expires_on, day)
    }

    /// The disc kinds whose fill holds each image, in the order of
    /// `images`.
    pub fn discs_of_each(&self) -> Vec<Vec<Disc>> {
        let mut out = vec![Vec::new(); self.images.len()];
        for disc in Disc::ALL {
            let held: BTreeSet<&ImageId> = self.fill_of(disc).into_iter().map(|o| &o.image).collect();
            for (i, o) in self.images.iter().enumerate() {
                if held.contains(&o.image) {
                    out[i].push(disc);
                }
            }
        }
        out
    }

    /// The images one disc kind's fill holds, oldest first.
    pub fn fill_of(&self, disc: Disc) -> Vec<&Offered> {
        let n = self
            .fills
            .iter()
            .find(|f| f.disc == disc)
            .map_or(0, |f| f.images as usize);
        self.images
            .iter()
            .filter(|o| image_sectors(o.bytes) <= disc.usable_sectors())
            .take(n)
            .collect()
    }
}
