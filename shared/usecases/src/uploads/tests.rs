//! `finalise` over in-memory ports: every outcome, and redelivery after a
//! crash before any one of its steps.

use bytes::Bytes;
use printvault_domain::ids::{CustomerId, ImageId};
use printvault_domain::image::{Image, ImageStatus};
use printvault_domain::image_event::ImageEvent;
use printvault_domain::retention::{Schedule, Step};
use printvault_domain::settings::Settings;
use printvault_domain::upload::Outcome;
use printvault_domain::when::Clock;
use time::macros::datetime;
use time::OffsetDateTime;

use super::fakes::{Fake, World};
use super::{finalise, Finalisation, MemoryBudget, Setup};

const NOW: OffsetDateTime = datetime!(2026-12-07 06:00:00 UTC);

pub(super) fn photo(seed: u64) -> Bytes {
    Bytes::from(printvault_imaging::testkit::photo_jpeg(96, 64, seed))
}

/// A pending upload of `bytes` whose object has arrived.
pub(super) fn uploaded(fake: &Fake, owner: &CustomerId, bytes: Bytes) -> Image {
    let image = Image::pending(
        owner.clone(),
        Some("p.jpg".into()),
        "image/jpeg",
        bytes.len() as u64,
        "2026-12-07T05:59:00Z".parse().unwrap(),
    );
    fake.with(|w| {
        w.images.insert(image.id.clone(), image.clone());
        w.objects.insert((image.id.clone(), "incoming"), bytes);
    });
    image
}

pub(super) async fn run(fake: &Fake, image: &Image) -> Result<Finalisation, printvault_domain::Error> {
    let settings = Settings::default();
    let budget = MemoryBudget::new(64 << 20);
    let clock = Clock::stopped_at(NOW);
    let with = Setup {
        settings: &settings,
        clock: &clock,
        budget: &budget,
    };
    finalise(fake, &with, &image.owner, &image.id).await
}

fn objects(w: &World, id: &ImageId) -> Vec<&'static str> {
    w.objects
        .keys()
        .filter(|(i, _)| i == id)
        .map(|(_, k)| *k)
        .collect()
}

/// Everything a ready upload leaves, once.
fn assert_ready_once(fake: &Fake, image: &Image, bytes: usize) {
    fake.with(|w| {
        let record = &w.images[&image.id];
        assert_eq!(record.status, ImageStatus::Ready);
        let f = record.finalised.as_ref().unwrap();
        assert_eq!(
            (f.bytes, f.width, f.height, f.format.as_str()),
            (bytes as u64, 96, 64, "jpeg")
        );
        assert_eq!(f.finalised_at, "2026-12-07T06:00:00Z".parse().unwrap());
        assert_eq!(
            w.metered[&image.id],
            (bytes as u64, NOW.unix_timestamp()),
            "metered from finalisation, once"
        );
        assert_eq!(
            record.retention,
            Some(Schedule::for_new_image(
                NOW.date(),
                &Settings::default().retention
            )),
        );
        assert_eq!(record.retention.as_ref().unwrap().step, Step::Notice);
        assert_eq!(
            w.archive_schedules.get(&image.owner),
            Some(&NOW.date()),
            "the owner is in the archive sweep's schedule (M29)"
        );
        assert_eq!(
            objects(w, &image.id),
            ["original", "preview", "thumb"],
            "incoming/ is gone"
        );
        assert_eq!(
            w.objects[&(image.id.clone(), "original")].len(),
            bytes,
            "the very bytes checked"
        );
        assert_eq!(w.hashes.get(&f.sha256), Some(&image.id));
        assert!(w
            .announced
            .iter()
            .all(|e| *e == ImageEvent::ready(&image.owner, &image.id)));
        assert!(!w.announced.is_empty(), "classify is told");
    });
}

#[tokio::test]
async fn an_image_becomes_ready_metered_scheduled_and_announced() {
    let fake = Fake::default();
    let bytes = photo(1);
    let image = uploaded(&fake, &CustomerId::generate(), bytes.clone());
    let done = run(&fake, &image).await.unwrap();
    assert!(
        matches!(done, Finalisation::Settled(Outcome::Ready { .. })),
        "{done:?}"
    );
    assert_ready_once(&fake, &image, bytes.len());
    fake.with(|w| {
        assert_eq!(w.announced.len(), 1);
        let announce = w.steps.iter().position(|s| *s == "announce").unwrap();
        let dropped = w.steps.iter().position(|s| *s == "drop_incoming").unwrap();
        assert!(
            announce < dropped,
            "announced before incoming/ goes: {:?}",
            w.steps
        );
    });
}

#[tokio::test]
async fn what_is_not_an_image_is_rejected_and_leaves_nothing() {
    for (bytes, declared, code) in [
        (Bytes::from_static(b"%PDF-1.7 not a photo"), None, "not_an_image"),
        (photo(2), Some(10), "size_mismatch"),
    ] {
        let fake = Fake::default();
        let mut image = uploaded(&fake, &CustomerId::generate(), bytes);
        if let Some(d) = declared {
            image.declared_bytes = d;
            fake.with(|w| w.images.insert(image.id.clone(), image.clone()));
        }
        let done = run(&fake, &image).await.unwrap();
        let Finalisation::Settled(Outcome::Rejected(r)) = done else {
            panic!("{done:?}")
        };
        assert_eq!(r.code, code, "{}", r.reason);
        fake.with(|w| {
            assert_eq!(w.images[&image.id].status, ImageStatus::Rejected);
            assert!(objects(w, &image.id).is_empty(), "no object is left");
            assert!(w.metered.is_empty() && w.announced.is_empty() && w.hashes.is_empty());
            assert_eq!(w.images[&image.id].retention, None);
        });
    }
}

#[tokio::test]
async fn an_upload_whose_object_never_came_is_rejected_as_missing() {
    let fake = Fake::default();
    let image = uploaded(&fake, &CustomerId::generate(), photo(3));
    fake.with(|w| w.objects.clear());
    let Finalisation::Settled(Outcome::Rejected(r)) = run(&fake, &image).await.unwrap() else {
        panic!()
    };
    assert_eq!(r.code, "missing");
}

#[tokio::test]
async fn the_same_bytes_twice_are_a_duplicate_of_the_first() {
    let fake = Fake::default();
    let owner = CustomerId::generate();
    let first = uploaded(&fake, &owner, photo(4));
    run(&fake, &first).await.unwrap();
    let second = uploaded(&fake, &owner, photo(4));
    let done = run(&fake, &second).await.unwrap();
    assert_eq!(done, Finalisation::Settled(Outcome::Duplicate(first.id.clone())));
    fake.with(|w| {
        assert_eq!(w.images[&second.id].duplicate_of.as_ref(), Some(&first.id));
        assert!(objects(w, &second.id).is_empty());
        assert!(!w.metered.contains_key(&second.id), "a duplicate is not billed");
        assert_eq!(w.announced.len(), 1, "only the first is announced");
    });
}

#[tokio::test]
async fn a_blocklisted_image_is_rejected_with_the_screening_sentence() {
    let fake = Fake::default();
    let bytes = photo(5);
    let sha = hex::encode(<sha2::Sha256 as sha2::Digest>::digest(&bytes));
    fake.with(|w| w.blocked.insert(sha));
    let image = uploaded(&fake, &CustomerId::generate(), bytes);
    let Finalisation::Settled(Outcome::Rejected(r)) = run(&fake, &image).await.unwrap() else {
        panic!()
    };
    assert_eq!(r.code, "blocklisted");
    assert!(r.reason.contains("screening blocklist"), "{}", r.reason);
    fake.with(|w| {
        assert!(objects(w, &image.id).is_empty() && w.hashes.is_empty() && w.metered.is_empty());
    });
}

#[tokio::test]
async fn a_redelivered_upload_announces_again_and_changes_nothing_else() {
    let fake = Fake::default();
    let bytes = photo(6);
    let image = uploaded(&fake, &CustomerId::generate(), bytes.clone());
    run(&fake, &image).await.unwrap();
    let before = fake.with(|w| (w.images[&image.id].clone(), w.metered.clone()));
    let again = run(&fake, &image).await.unwrap();
    assert_eq!(again, Finalisation::AlreadyFinal(ImageStatus::Ready));
    assert_ready_once(&fake, &image, bytes.len());
    fake.with(|w| {
        assert_eq!((w.images[&image.id].clone(), w.metered.clone()), before);
        assert_eq!(
            w.announced.len(),
            2,
            "announced again: classify makes it harmless"
        );
    });
}

#[tokio::test]
async fn a_crash_before_any_step_is_finished_by_the_redelivery() {
    let steps = {
        let fake = Fake::default();
        let image = uploaded(&fake, &CustomerId::generate(), photo(7));
        run(&fake, &image).await.unwrap();
        fake.with(|w| w.steps.clone())
    };
    let mut crashed = 0;
    for (n, step) in steps.iter().enumerate() {
        let fake = Fake::default();
        let bytes = photo(7);
        let image = uploaded(&fake, &CustomerId::generate(), bytes.clone());
        // Crash at the n-th step of the clean run (a step may recur: fail
        // the first time it is reached after the steps before it).
        fake.with(|w| w.crash_at = Some(step));
        run(&fake, &image).await.expect_err("it crashed");
        crashed += 1;
        run(&fake, &image)
            .await
            .unwrap_or_else(|e| panic!("redelivery after a crash before {step} ({n}): {e}"));
        assert_ready_once(&fake, &image, bytes.len());
    }
    assert_eq!(crashed, steps.len(), "every step was crashed at: {steps:?}");
}

#[tokio::test]
async fn an_upload_deleted_before_it_was_finalised_leaves_nothing() {
    let fake = Fake::default();
    let image = uploaded(&fake, &CustomerId::generate(), photo(8));
    fake.with(|w| w.images.get_mut(&image.id).unwrap().deleting = true);
    assert_eq!(run(&fake, &image).await.unwrap(), Finalisation::Orphan);
    fake.with(|w| {
        assert!(objects(w, &image.id).is_empty() && w.metered.is_empty() && w.announced.is_empty())
    });
}

#[tokio::test]
async fn an_upload_deleted_as_it_settles_leaves_nothing_and_frees_its_bytes() {
    let fake = Fake::default();
    let image = uploaded(&fake, &CustomerId::generate(), photo(9));
    fake.with(|w| w.delete_at_settle = true);
    assert_eq!(run(&fake, &image).await.unwrap(), Finalisation::Orphan);
    fake.with(|w| {
        assert!(
            objects(w, &image.id).is_empty(),
            "the renditions written are removed"
        );
        assert!(w.hashes.is_empty(), "its content hash is free again");
        assert!(w.metered.is_empty() && w.announced.is_empty());
    });
}
