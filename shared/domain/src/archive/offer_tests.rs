use super::tests::candidate;
use super::*;
use crate::account::Email;
use crate::ids::{CustomerId, ImageId, ProposalId};
use proptest::prelude::*;
use time::macros::date;

const MB: u64 = 1_000_000;

fn settings(max: u32) -> ArchiveSettings {
    ArchiveSettings {
        max_images_per_disc: max,
        ..ArchiveSettings::default()
    }
}

fn sorted(mut c: Vec<Candidate>) -> Vec<Candidate> {
    c.sort_by(|a, b| a.image.cmp(&b.image));
    c
}

fn any_candidates() -> impl Strategy<Value = Vec<Candidate>> {
    let one = (
        0i64..2000,
        prop_oneof![1u64..4 * MB, 1u64..800 * MB, 1u64..30_000 * MB],
        proptest::bool::weighted(0.1),
    );
    proptest::collection::vec(one, 0..150)
        .prop_map(|v| sorted(v.into_iter().map(|(d, b, s)| candidate(d, b, s)).collect()))
}

#[test]
fn the_next_look_is_a_week_on_or_sooner_on_a_day_that_matters() {
    let today = date!(2027 - 03 - 10);
    let s = ArchiveSettings::default();
    let plain = ArchivePrefs::default().thresholds(&s);
    assert_eq!(next_check(today, &plain, None, 7), date!(2027 - 03 - 17));
    // The oldest image comes of age in three days.
    let oldest = Some(date!(2024 - 03 - 13));
    assert_eq!(next_check(today, &plain, oldest, 7), date!(2027 - 03 - 13));
    // Of age already: crossed today, so a week on.
    assert_eq!(
        next_check(today, &plain, Some(date!(2020 - 01 - 01)), 7),
        date!(2027 - 03 - 17)
    );
    // The yearly date, this year or next.
    let mut own = ArchivePrefs {
        yearly_on: Some(YearlyDate { month: 3, day: 12 }),
        ..ArchivePrefs::default()
    };
    assert_eq!(
        next_check(today, &own.thresholds(&s), None, 7),
        date!(2027 - 03 - 12)
    );
    own.yearly_on = Some(YearlyDate { month: 3, day: 10 });
    assert_eq!(
        next_check(today, &own.thresholds(&s), None, 400),
        date!(2028 - 03 - 10)
    );
    // 29 February, in a year without one.
    own.yearly_on = Some(YearlyDate { month: 2, day: 29 });
    assert_eq!(
        next_check(date!(2027 - 02 - 20), &own.thresholds(&s), None, 30),
        date!(2027 - 02 - 28)
    );
}

#[test]
fn a_proposal_of_only_selected_images_is_none() {
    let c = vec![candidate(1, MB, true), candidate(2, MB, true)];
    let p = Proposal::make(
        ProposalId::generate(),
        CustomerId::generate(),
        date!(2027 - 03 - 10),
        vec![Crossing::Images],
        &c,
        &settings(10),
    );
    assert!(p.is_none());
}

#[test]
fn a_proposal_is_open_until_its_last_day() {
    let c = vec![candidate(1, MB, false)];
    let mut p = Proposal::make(
        ProposalId::generate(),
        CustomerId::generate(),
        date!(2027 - 03 - 10),
        vec![Crossing::Images],
        &c,
        &ArchiveSettings::default(),
    )
    .unwrap();
    assert_eq!(p.expires_on, date!(2027 - 04 - 09));
    assert!(p.is_open_on(date!(2027 - 04 - 08)));
    assert!(!p.is_open_on(date!(2027 - 04 - 09)));
    p.status = ProposalStatus::Lapsed;
    assert!(!p.is_open_on(date!(2027 - 03 - 10)));
    let n = crate::notice::proposal_notice(&p, Email::parse("a@example.com").unwrap()).unwrap();
    assert_eq!(
        n.notice_id.as_str(),
        format!("archive-proposal:{}", p.proposal_id)
    );
}

proptest! {
    /// A proposal keeps each fill exactly, in a third of the room: every
    /// disc's fill rebuilt from the record is the fill.
    #[test]
    fn a_proposal_rebuilds_each_fill(c in any_candidates(), max in 1u32..300) {
        let s = settings(max);
        let made = Proposal::make(ProposalId::generate(), CustomerId::generate(), date!(2027 - 03 - 10), vec![], &c, &s);
        for disc in Disc::ALL {
            let want = fill(&c, disc, max);
            let got: Vec<ImageId> = made.as_ref().map(|p| p.fill_of(disc).into_iter().map(|o| o.image.clone()).collect()).unwrap_or_default();
            prop_assert_eq!(&got, &want.images);
            if let Some(p) = &made {
                let f = p.fills.iter().find(|f| f.disc == disc).unwrap();
                prop_assert_eq!((f.bytes, f.sectors), (want.bytes, want.sectors));
            }
        }
        if let Some(p) = &made {
            prop_assert!(p.images.windows(2).all(|w| w[0].image < w[1].image));
            prop_assert!(p.images.len() <= 3 * max as usize);
        }
    }

    /// Reading the oldest candidates until `enough` says so makes the same
    /// fills as reading them all: the sweep may stop early.
    #[test]
    fn enough_oldest_make_the_same_fills_as_all(c in any_candidates(), max in 1u32..300) {
        let read = (0..=c.len()).find(|n| enough(&c[..*n], max)).unwrap_or(c.len());
        for disc in Disc::ALL {
            prop_assert_eq!(fill(&c[..read], disc, max), fill(&c, disc, max));
        }
    }
}
