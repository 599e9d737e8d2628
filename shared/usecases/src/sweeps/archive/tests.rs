//! The archive sweep over in-memory ports: at most one open proposal per
//! customer, each mailed once, whatever is run again, at once, or crashes.

use printvault_domain::account::Email;
use printvault_domain::archive::{ArchivePrefs, Candidate, Crossing, Disc, ProposalStatus, YearlyDate};
use printvault_domain::ids::{CustomerId, ImageId};
use printvault_domain::settings::Settings;
use printvault_domain::when::Timestamp;
use time::macros::{date, datetime};
use time::{Date, Duration, OffsetDateTime};

use super::fakes::{Fake, PAGE};
use super::ports::{Keeper, Scheduled, Stored};
use super::ArchiveSweep;

const NOW: OffsetDateTime = datetime!(2027-03-10 00:05:00 UTC);
const TODAY: Date = date!(2027 - 03 - 10);
const MB: u64 = 1_000_000;

fn settings() -> Settings {
    let mut s = Settings::default();
    s.archive.max_images = 10;
    s
}

/// `n` images of `bytes` each, stored a day apart from 2025-01-01, in ID
/// order; the ones at `selected` are selected.
fn images(n: usize, bytes: u64, selected: &[usize]) -> Vec<Candidate> {
    let mut ids: Vec<ImageId> = (0..n).map(|_| ImageId::generate()).collect();
    ids.sort();
    ids.into_iter()
        .enumerate()
        .map(|(i, image)| Candidate {
            image,
            bytes,
            stored: Timestamp::at(datetime!(2025-01-01 0:00 UTC) + Duration::days(i as i64)),
            selected: selected.contains(&i),
        })
        .collect()
}

/// A customer due today with `imgs`, all counted on the meter.
fn customer(fake: &Fake, imgs: Vec<Candidate>, prefs: ArchivePrefs) -> CustomerId {
    let c = CustomerId::generate();
    fake.with(|w| {
        w.schedules.insert(
            c.clone(),
            Scheduled {
                on: Some(TODAY),
                open: None,
            },
        );
        w.keepers.insert(
            c.clone(),
            Keeper {
                email: Email::parse("keeper@example.com").unwrap(),
                prefs,
            },
        );
        w.stored.insert(
            c.clone(),
            Stored {
                bytes: imgs.iter().map(|x| x.bytes).sum(),
                images: imgs.len() as u32,
            },
        );
        w.images.insert(c.clone(), imgs);
    });
    c
}

fn sweep(fake: Fake) -> ArchiveSweep<Fake> {
    ArchiveSweep {
        ports: fake,
        settings: settings(),
    }
}

fn on(s: &ArchiveSweep<Fake>, c: &CustomerId) -> Option<Date> {
    s.ports.with(|w| w.schedules[c].on)
}

#[tokio::test]
async fn under_every_threshold_a_customer_is_looked_at_again_in_a_week() {
    let s = sweep(Fake::default());
    let c = customer(&s.ports, images(4, MB, &[]), ArchivePrefs::default());
    let r = s.run(NOW).await.unwrap();
    assert_eq!(r.get("looked"), 1);
    assert_eq!(on(&s, &c), Some(TODAY + Duration::days(7)));
    s.ports
        .with(|w| assert!(w.proposals.is_empty() && w.mailed.is_empty()));
}

#[tokio::test]
async fn crossing_makes_one_proposal_mailed_once_and_a_day_again_does_nothing() {
    let s = sweep(Fake::default());
    let c = customer(&s.ports, images(12, 100 * MB, &[1]), ArchivePrefs::default());
    let r = s.run(NOW).await.unwrap();
    assert_eq!((r.get("looked"), r.get("proposed")), (1, 1));
    let p = s.ports.with(|w| w.proposals.values().next().unwrap().clone());
    assert_eq!(p.crossed, vec![Crossing::Images]);
    assert_eq!(p.owner, c);
    // A CD holds 7 of the 100 MB images; the selected one never goes.
    let cd: Vec<_> = p.fill_of(Disc::Cd).iter().map(|o| o.image.clone()).collect();
    let all = s.ports.with(|w| w.images[&c].clone());
    assert_eq!(cd.len(), 7);
    assert!(!cd.contains(&all[1].image));
    assert_eq!(cd[0], all[0].image);
    assert_eq!(p.fill_of(Disc::Dvd).len(), 11);
    // Read in pages until every fill was settled (here: all of them).
    assert!(s.ports.with(|w| w.pages) >= 12 / PAGE);
    s.ports.with(|w| assert_eq!(w.mailed.len(), 1));
    assert_eq!(on(&s, &c), Some(TODAY + Duration::days(7)));
    let again = s.run(NOW).await.unwrap();
    assert_eq!(again.get("looked"), 0);
    s.ports
        .with(|w| assert_eq!((w.proposals.len(), w.mailed.len()), (1, 1)));
}

#[tokio::test]
async fn an_open_proposal_is_mailed_once_and_a_lapsed_one_makes_way() {
    let s = sweep(Fake::default());
    let c = customer(&s.ports, images(12, MB, &[]), ArchivePrefs::default());
    s.run(NOW).await.unwrap();
    // A week on, still open: its notice again (the notifier sends it once).
    let r = s.run(NOW + Duration::days(7)).await.unwrap();
    assert_eq!(r.get("open_already"), 1);
    s.ports
        .with(|w| assert_eq!((w.proposals.len(), w.mailed.len()), (1, 1)));
    // Its last day passed: it lapses, and a new one is made and mailed.
    let expires = s.ports.with(|w| w.proposals.values().next().unwrap().expires_on);
    let mut day = NOW + Duration::days(7);
    while day.date() < expires {
        day += Duration::days(7);
    }
    s.ports
        .with(|w| w.schedules.get_mut(&c).unwrap().on = Some(day.date()));
    let r = s.run(day).await.unwrap();
    assert_eq!((r.get("lapsed"), r.get("proposed")), (1, 1));
    s.ports.with(|w| {
        let open: Vec<_> = w
            .proposals
            .values()
            .filter(|p| p.status == ProposalStatus::Open)
            .collect();
        assert_eq!((open.len(), w.proposals.len(), w.mailed.len()), (1, 2, 2));
    });
}

#[tokio::test]
async fn a_crash_anywhere_then_a_run_again_makes_one_proposal_and_one_email() {
    let mut crash_at = 1;
    loop {
        let s = sweep(Fake::default());
        let c = customer(&s.ports, images(12, MB, &[]), ArchivePrefs::default());
        s.ports.with(|w| w.crash_at_call = Some(crash_at));
        let crashed = s.run(NOW).await.is_err();
        s.ports.with(|w| w.crash_at_call = None);
        s.run(NOW).await.unwrap();
        s.ports.with(|w| {
            assert_eq!(w.proposals.len(), 1, "crash at call {crash_at}");
            assert_eq!(w.mailed.len(), 1, "crash at call {crash_at}");
            assert!(w.schedules[&c].on.unwrap() > TODAY, "crash at call {crash_at}");
        });
        if !crashed {
            break;
        }
        crash_at += 1;
    }
    assert!(crash_at > 8, "only {crash_at} calls");
}

#[tokio::test]
async fn two_runs_at_once_make_one_proposal() {
    let s = sweep(Fake::default());
    customer(&s.ports, images(12, MB, &[]), ArchivePrefs::default());
    let (a, b) = tokio::join!(s.run(NOW), s.run(NOW));
    let proposed = a.unwrap().get("proposed") + b.unwrap().get("proposed");
    assert_eq!(proposed, 1);
    s.ports
        .with(|w| assert_eq!((w.proposals.len(), w.mailed.len()), (1, 1)));
}

#[tokio::test]
async fn only_selected_images_offer_nothing_and_an_empty_library_leaves_the_index() {
    let s = sweep(Fake::default());
    let keeps = customer(
        &s.ports,
        images(11, MB, &(0..11).collect::<Vec<_>>()),
        ArchivePrefs::default(),
    );
    let empty = customer(&s.ports, Vec::new(), ArchivePrefs::default());
    let r = s.run(NOW).await.unwrap();
    assert_eq!(r.get("nothing_to_offer"), 1);
    s.ports.with(|w| assert!(w.proposals.is_empty()));
    assert_eq!(on(&s, &keeps), Some(TODAY + Duration::days(7)));
    assert_eq!(on(&s, &empty), None);
}

#[tokio::test]
async fn the_yearly_date_and_the_oldest_coming_of_age_are_looked_at_on_their_day() {
    let s = sweep(Fake::default());
    let prefs = ArchivePrefs {
        yearly_on: Some(YearlyDate { month: 3, day: 12 }),
        ..ArchivePrefs::default()
    };
    let c = customer(&s.ports, images(2, MB, &[]), prefs);
    s.run(NOW).await.unwrap();
    assert_eq!(on(&s, &c), Some(date!(2027 - 03 - 12)));
    let r = s.run(datetime!(2027-03-12 00:05 UTC)).await.unwrap();
    assert_eq!(r.get("proposed"), 1);
    let p = s.ports.with(|w| w.proposals.values().next().unwrap().clone());
    assert_eq!(p.crossed, vec![Crossing::YearlyDate]);
    // The oldest was stored 2025-01-01: of age (3 years) on 2028-01-01.
    let old = customer(&s.ports, images(2, MB, &[]), ArchivePrefs::default());
    s.ports
        .with(|w| w.schedules.get_mut(&old).unwrap().on = Some(date!(2027 - 12 - 28)));
    s.run(datetime!(2027-12-28 00:05 UTC)).await.unwrap();
    assert_eq!(on(&s, &old), Some(date!(2028 - 01 - 01)));
    s.run(datetime!(2028-01-01 00:05 UTC)).await.unwrap();
    let aged: Vec<_> = s
        .ports
        .with(|w| w.proposals.values().filter(|p| p.owner == old).cloned().collect());
    assert_eq!(aged.len(), 1);
    assert_eq!(aged[0].crossed, vec![Crossing::Age]);
}

#[tokio::test]
async fn an_ordered_proposal_holds_the_customer_past_its_last_day() {
    let s = sweep(Fake::default());
    let c = customer(&s.ports, images(12, MB, &[]), ArchivePrefs::default());
    s.run(NOW).await.unwrap();
    s.ports.with(|w| {
        let p = w.proposals.values_mut().next().unwrap();
        p.status = ProposalStatus::Ordered;
        w.schedules.get_mut(&c).unwrap().on = Some(date!(2027 - 06 - 01));
    });
    let r = s.run(datetime!(2027-06-01 00:05 UTC)).await.unwrap();
    assert_eq!(
        (r.get("ordered"), r.get("lapsed"), r.get("proposed")),
        (1, 0, 0),
        "{r:?}"
    );
    s.ports
        .with(|w| assert_eq!((w.proposals.len(), w.mailed.len()), (1, 1)));
    assert_eq!(on(&s, &c), Some(date!(2027 - 06 - 08)));
}

#[tokio::test]
async fn a_meter_from_before_images_were_counted_still_crosses_on_bytes() {
    let s = sweep(Fake::default());
    let c = customer(&s.ports, images(3, 4 << 30, &[]), ArchivePrefs::default());
    s.ports.with(|w| w.stored.get_mut(&c).unwrap().images = 0);
    let r = s.run(NOW).await.unwrap();
    assert_eq!(r.get("proposed"), 1, "{r:?}");
    let p = s.ports.with(|w| w.proposals.values().next().unwrap().clone());
    assert_eq!(p.crossed, vec![Crossing::StoredBytes]);
}
