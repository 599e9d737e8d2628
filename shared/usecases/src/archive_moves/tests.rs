//! `move_disc` over in-memory ports: every original of a written disc
//! moves once, whatever crashes, whoever else moves it at the same time,
//! and nothing else moves.

use printvault_domain::archive::{ArchiveState, Disc, MOVE_LEASE_SECS};
use printvault_domain::ids::{ImageId, ProposalId};
use printvault_domain::image::ImageStatus;
use printvault_domain::lab_report::disc::{DiscRecord, DiscStage};
use printvault_domain::order::ArchiveTerms;
use printvault_domain::when::Timestamp;
use time::OffsetDateTime;

use super::fakes::Fake;
use super::{move_disc, move_disc_while, Moved};
use crate::orders::dispatch::tests::{image, paid_order, NOW};

/// A written DVD of `n` of the buyer's images, with their originals
/// online and the schedule holding its proposal.
fn written_disc(fake: &Fake, n: usize) -> (printvault_domain::ids::OrderId, Vec<ImageId>) {
    let dispatch = crate::orders::dispatch::fakes::Fake::default();
    let order = paid_order(&dispatch);
    let buyer = order.buyer.customer().unwrap().clone();
    let images: Vec<_> = (0..n).map(|_| image(&buyer)).collect();
    let ids: Vec<ImageId> = images.iter().map(|i| i.id.clone()).collect();
    let proposal = ProposalId::generate();
    let mut order = order;
    order.lines.clear();
    order.archive = Some(ArchiveTerms {
        proposal_id: proposal.clone(),
        disc: Disc::Dvd,
        images: ids.clone(),
        bytes: n as u64,
        sectors: 4096,
    });
    fake.with(|w| {
        for i in images {
            w.originals.insert(i.id.clone(), (false, 0));
            w.images.insert(i.id.clone(), i);
        }
        w.discs.insert(
            order.order_id.clone(),
            DiscRecord {
                stage: DiscStage::Written,
                image_sha256: Some("0".repeat(64)),
                at: Timestamp::at(NOW),
            },
        );
        w.schedule_open.insert(buyer, proposal);
        w.orders.insert(order.order_id.clone(), order.clone());
    });
    (order.order_id, ids)
}

fn later(secs: i64) -> OffsetDateTime {
    NOW + time::Duration::seconds(secs)
}

/// After any step: no original was copied twice, none is lost, and an
/// image marked archived has its original in the archive class.
fn check(fake: &Fake) {
    fake.with(|w| {
        for (id, i) in &w.images {
            let (class, copies) = w.originals.get(id).copied().unwrap_or((false, 0));
            assert!(copies <= 1, "{id} copied {copies} times");
            if i.archive
                .as_ref()
                .is_some_and(|a| a.state == ArchiveState::Archived)
            {
                assert!(class, "{id} is marked archived with its original online");
            }
        }
    });
}

/// How many images are archived, and every original's copies.
fn archived(fake: &Fake) -> (usize, Vec<u32>) {
    fake.with(|w| {
        (
            w.images
                .values()
                .filter(|i| {
                    i.archive
                        .as_ref()
                        .is_some_and(|a| a.state == ArchiveState::Archived)
                })
                .count(),
            w.originals.values().map(|o| o.1).collect(),
        )
    })
}

#[tokio::test]
async fn a_written_disc_moves_each_original_once_and_what_is_gone_stays_as_it_is() {
    let fake = Fake::default();
    let (disc, ids) = written_disc(&fake, 5);
    fake.with(|w| {
        w.images.get_mut(&ids[0]).unwrap().deleting = true;
        w.images.remove(&ids[1]);
        w.originals.remove(&ids[2]);
    });
    let out = move_disc(&fake, &disc, "a", NOW).await.unwrap();
    assert_eq!(
        out,
        Moved {
            moved: 2,
            already: 0,
            passed: 3,
            left: 0
        }
    );
    check(&fake);
    fake.with(|w| {
        assert!(
            w.schedule_open.is_empty(),
            "the schedule is free for a new proposal"
        );
        assert!(w.images[&ids[0]].archive.is_none(), "being deleted: not moved");
        let a = w.images[&ids[3]].archive.clone().unwrap();
        assert_eq!(
            (a.state, &a.disc_id, a.mover),
            (ArchiveState::Archived, &disc, None)
        );
    });
    // Queued again by a second `written`: nothing moves twice.
    let again = move_disc(&fake, &disc, "b", later(1)).await.unwrap();
    assert_eq!((again.moved, again.already), (0, 2));
    check(&fake);
}

#[tokio::test]
async fn a_run_out_of_time_hands_the_rest_on_and_the_next_carries_on() {
    let fake = Fake::default();
    let (disc, _) = written_disc(&fake, 5);
    // Time for two images a run.
    let runs = |budget: usize| {
        let starts = std::sync::atomic::AtomicUsize::new(0);
        move || starts.fetch_add(1, std::sync::atomic::Ordering::SeqCst) < budget
    };
    let first = move_disc_while(&fake, &disc, "a", NOW, runs(2)).await.unwrap();
    assert_eq!((first.moved, first.left), (2, 3));
    check(&fake);
    fake.with(|w| {
        assert_eq!(w.handed_on, vec![disc.clone()], "the rest queued again");
        assert_eq!(w.schedule_open.len(), 1, "the schedule waits for the whole disc");
    });
    // The next runs start where it stopped (what it moved is done), at once.
    let second = move_disc_while(&fake, &disc, "b", later(1), runs(4))
        .await
        .unwrap();
    assert_eq!((second.already, second.moved, second.left), (2, 2, 1));
    let third = move_disc_while(&fake, &disc, "c", later(2), runs(5))
        .await
        .unwrap();
    assert_eq!((third.already, third.moved, third.left), (4, 1, 0));
    check(&fake);
    assert_eq!(archived(&fake), (5, vec![1; 5]));
    fake.with(|w| {
        assert_eq!(w.handed_on.len(), 2);
        assert!(w.schedule_open.is_empty());
    });
}

#[tokio::test]
async fn a_disc_that_is_not_written_moves_nothing() {
    let fake = Fake::default();
    let (disc, _) = written_disc(&fake, 2);
    fake.with(|w| w.discs.get_mut(&disc).unwrap().stage = DiscStage::Accepted);
    assert_eq!(move_disc(&fake, &disc, "a", NOW).await.unwrap(), Moved::default());
    assert_eq!(archived(&fake), (0, vec![0, 0]));
    fake.with(|w| assert_eq!(w.schedule_open.len(), 1));
}

#[tokio::test]
async fn a_crash_before_any_call_then_a_redelivery_moves_each_original_once() {
    let clean = Fake::default();
    let (disc, _) = written_disc(&clean, 3);
    move_disc(&clean, &disc, "clean", NOW).await.unwrap();
    let calls = clean.with(|w| w.calls);
    assert!(calls >= 12, "{calls}");
    for n in 1..=calls {
        let fake = Fake::default();
        let (disc, _) = written_disc(&fake, 3);
        fake.with(|w| w.crash_at_call = Some(n));
        assert!(move_disc(&fake, &disc, "a", NOW).await.is_err(), "call {n}");
        check(&fake);
        // Redelivered after the visibility timeout: the dead mover's claims
        // are stale by then.
        let out = move_disc(&fake, &disc, "b", later(MOVE_LEASE_SECS + 120))
            .await
            .unwrap();
        assert_eq!(out.moved + out.already, 3, "after a crash at call {n}: {out:?}");
        check(&fake);
        assert_eq!(archived(&fake), (3, vec![1, 1, 1]), "after a crash at call {n}");
        fake.with(|w| assert!(w.schedule_open.is_empty()));
    }
}

#[tokio::test]
async fn a_second_mover_at_the_same_time_leaves_a_held_image_to_its_holder() {
    // Mover a dies after claiming the first image (before copying it);
    // mover b, at once, moves the rest and fails, to come back; once a's
    // claim is stale, b's redelivery finishes. Every step keeps the
    // invariants; each original is copied once.
    let clean = Fake::default();
    let (disc, _) = written_disc(&clean, 3);
    move_disc(&clean, &disc, "clean", NOW).await.unwrap();
    let calls = clean.with(|w| w.calls);
    for n in 1..=calls {
        let fake = Fake::default();
        let (disc, ids) = written_disc(&fake, 3);
        fake.with(|w| w.crash_at_call = Some(n));
        let _ = move_disc(&fake, &disc, "a", NOW).await;
        check(&fake);
        let held_by_a = fake.with(|w| {
            w.images
                .values()
                .filter(|i| {
                    i.archive
                        .as_ref()
                        .is_some_and(|a| a.state == ArchiveState::Moving)
                })
                .count()
        });
        let b = move_disc(&fake, &disc, "b", later(5)).await;
        check(&fake);
        assert_eq!(b.is_err(), held_by_a > 0, "crash at {n}: {b:?}");
        let done = move_disc(&fake, &disc, "c", later(MOVE_LEASE_SECS + 5))
            .await
            .unwrap();
        check(&fake);
        assert_eq!(done.moved + done.already, 3, "crash at {n}");
        assert_eq!(archived(&fake), (3, vec![1, 1, 1]), "crash at {n}");
        fake.with(|w| assert!(ids.iter().all(|i| w.images[i].status == ImageStatus::Ready)));
    }
}

#[test]
fn the_lease_outlasts_a_move_and_ends_before_the_message_comes_back() {
    let visibility = i64::from(printvault_adapters::names::DISPATCH_VISIBILITY_TIMEOUT_SECS);
    assert!(MOVE_LEASE_SECS < visibility, "{MOVE_LEASE_SECS} < {visibility}");
}
