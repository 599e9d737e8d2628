use super::*;
use crate::ids::ImageId;
use crate::when::Timestamp;
use proptest::prelude::*;
use time::macros::date;

const MB: u64 = 1_000_000;
const MAX: u32 = 1000;

fn rand_bits() -> u128 {
    ulid::Ulid::new().random()
}

/// A candidate stored on day `n` after 1970, its ID's time that day too
/// (IDs are ULIDs: they sort by the upload's time).
pub(super) fn candidate(n: i64, bytes: u64, selected: bool) -> Candidate {
    let ms = (n * 86_400_000) as u64 + 1;
    let id = ulid::Ulid::from_parts(ms, rand_bits());
    Candidate {
        image: ImageId::parse(&format!("img_{id}")).unwrap(),
        bytes,
        stored: Timestamp::at(time::OffsetDateTime::UNIX_EPOCH + time::Duration::days(n)),
        selected,
    }
}

#[test]
fn the_capacities_are_the_smallest_blank_discs_less_the_fixed_room() {
    assert_eq!(Disc::Cd.sectors() * SECTOR, 737_280_000);
    assert_eq!(Disc::Dvd.sectors() * SECTOR, 4_700_372_992);
    assert_eq!(Disc::Bd.sectors() * SECTOR, 24_220_008_448);
    for d in Disc::ALL {
        assert_eq!(d.usable_sectors(), d.sectors() - FIXED_SECTORS);
    }
    assert_eq!(image_sectors(1), 1 + PER_IMAGE_SECTORS);
    assert_eq!(image_sectors(SECTOR), 1 + PER_IMAGE_SECTORS);
    assert_eq!(image_sectors(SECTOR + 1), 2 + PER_IMAGE_SECTORS);
}

#[test]
fn a_fill_takes_the_oldest_and_stops_at_the_first_that_does_not_fit() {
    let c = vec![
        candidate(3, 300 * MB, false),
        candidate(1, 300 * MB, false),
        candidate(2, 300 * MB, false),
        candidate(0, 5 * MB, true),
    ];
    let f = fill(&c, Disc::Cd, MAX);
    // Days 1 and 2 fit a CD; day 3 does not; the selected one never goes.
    assert_eq!(f.images, vec![c[1].image.clone(), c[2].image.clone()]);
    assert_eq!(f.bytes, 600 * MB);
    assert!(f.sectors <= Disc::Cd.sectors());
    // On a DVD all three unselected ones fit, oldest first.
    let f = fill(&c, Disc::Dvd, MAX);
    assert_eq!(
        f.images,
        vec![c[1].image.clone(), c[2].image.clone(), c[0].image.clone()]
    );
}

#[test]
fn an_image_too_large_for_the_disc_is_passed_over_not_a_stop() {
    let c = vec![candidate(1, 800 * MB, false), candidate(2, 10 * MB, false)];
    assert_eq!(fill(&c, Disc::Cd, MAX).images, vec![c[1].image.clone()]);
    assert_eq!(propose(&c, MAX).len(), 3);
}

#[test]
fn reaching_a_threshold_crosses_it() {
    let s = ArchiveSettings::default();
    let t = ArchivePrefs::default().thresholds(&s);
    let today = date!(2027 - 06 - 01);
    let quiet = Holdings {
        stored_bytes: s.max_stored_bytes - 1,
        images: s.max_images - 1,
        oldest: Some(date!(2024 - 06 - 02)),
    };
    assert!(t.crossed(&quiet, today).is_empty());
    let full = Holdings {
        stored_bytes: s.max_stored_bytes,
        images: s.max_images,
        oldest: Some(date!(2024 - 06 - 01)),
    };
    assert_eq!(
        t.crossed(&full, today),
        vec![Crossing::StoredBytes, Crossing::Images, Crossing::Age]
    );
    let none = Holdings {
        stored_bytes: 0,
        images: 0,
        oldest: None,
    };
    assert!(t.crossed(&none, today).is_empty(), "nothing to archive");
}

#[test]
fn a_customer_tightens_never_loosens_and_picks_a_yearly_day() {
    let s = ArchiveSettings::default();
    let own = ArchivePrefs {
        max_images: Some(100),
        max_age_years: Some(1),
        yearly_on: Some(YearlyDate { month: 2, day: 29 }),
        ..Default::default()
    };
    own.validate(&s).unwrap();
    let t = own.thresholds(&s);
    assert_eq!(
        (t.max_images, t.max_age_years, t.max_stored_bytes),
        (100, 1, s.max_stored_bytes)
    );
    let h = Holdings {
        stored_bytes: 1,
        images: 1,
        oldest: Some(date!(2027 - 01 - 01)),
    };
    // 29 February is kept on 28 February in a year without one.
    assert_eq!(t.crossed(&h, date!(2027 - 02 - 28)), vec![Crossing::YearlyDate]);
    assert!(t.crossed(&h, date!(2027 - 03 - 01)).is_empty());
    assert_eq!(
        t.crossed(&h, date!(2028 - 02 - 29)),
        vec![Crossing::Age, Crossing::YearlyDate]
    );
    for bad in [
        ArchivePrefs {
            max_images: Some(s.max_images + 1),
            ..Default::default()
        },
        ArchivePrefs {
            max_stored_bytes: Some(0),
            ..Default::default()
        },
        ArchivePrefs {
            yearly_on: Some(YearlyDate { month: 4, day: 31 }),
            ..Default::default()
        },
        ArchivePrefs {
            yearly_on: Some(YearlyDate { month: 13, day: 1 }),
            ..Default::default()
        },
    ] {
        assert!(matches!(bad.validate(&s), Err(Error::Invalid { .. })), "{bad:?}");
    }
}

#[test]
fn an_image_stored_on_29_february_is_old_on_28_february() {
    let t = ArchivePrefs::default().thresholds(&ArchiveSettings::default());
    let h = Holdings {
        stored_bytes: 1,
        images: 1,
        oldest: Some(date!(2024 - 02 - 29)),
    };
    assert!(t.crossed(&h, date!(2027 - 02 - 27)).is_empty());
    assert_eq!(t.crossed(&h, date!(2027 - 02 - 28)), vec![Crossing::Age]);
}

fn candidates() -> impl Strategy<Value = Vec<Candidate>> {
    let one = (
        0i64..2000,
        prop_oneof![1u64..4 * MB, 1u64..800 * MB, 1u64..30_000 * MB],
        proptest::bool::weighted(0.1),
    );
    proptest::collection::vec(one, 0..120)
        .prop_map(|v| v.into_iter().map(|(d, b, s)| candidate(d, b, s)).collect())
}

proptest! {
    /// No fill overflows its disc, for any mix of sizes; it is the oldest
    /// unbroken run of what may go, and it could take no more.
    #[test]
    fn no_fill_overflows_and_each_is_the_oldest_that_fits(c in candidates(), max in 1u32..200) {
        for disc in Disc::ALL {
            let f = fill(&c, disc, max);
            prop_assert!(f.images.len() <= max as usize);
            let by_id = |id: &ImageId| c.iter().find(|x| &x.image == id).unwrap();
            let sum: u64 = f.images.iter().map(|id| image_sectors(by_id(id).bytes)).sum();
            prop_assert_eq!(f.sectors, FIXED_SECTORS + sum);
            prop_assert!(f.sectors <= disc.sectors());
            prop_assert_eq!(f.bytes, f.images.iter().map(|id| by_id(id).bytes).sum::<u64>());
            let mut eligible: Vec<&Candidate> = c
                .iter()
                .filter(|x| !x.selected && image_sectors(x.bytes) <= disc.usable_sectors())
                .collect();
            eligible.sort_by(|a, b| a.image.cmp(&b.image));
            let prefix: Vec<ImageId> = eligible.iter().take(f.images.len()).map(|x| x.image.clone()).collect();
            prop_assert_eq!(&f.images, &prefix);
            if let Some(next) = eligible.get(f.images.len()) {
                prop_assert!(
                    f.images.len() == max as usize || f.sectors + image_sectors(next.bytes) > disc.sectors()
                );
            }
        }
    }
}
