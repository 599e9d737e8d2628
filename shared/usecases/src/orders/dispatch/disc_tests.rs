//! An archive disc's dispatch over in-memory ports: one disc job, with
//! what is still there, whatever is redelivered and wherever it crashes.

use printvault_domain::archive::Disc;
use printvault_domain::dispatch::disc::JobKind;
use printvault_domain::ids::{ImageId, ProposalId};
use printvault_domain::order::{ArchiveTerms, Order, OrderStatus};

use super::fakes::Fake;
use super::tests::{image, paid_order, NOW, TTL};
use super::{dispatch, Outcome};

/// A paid DVD order of `n` of the buyer's images, named `IMG_000k.JPG`.
fn archive_order(fake: &Fake, n: usize) -> (Order, Vec<ImageId>) {
    let order = paid_order(fake);
    let buyer = order.buyer.customer().unwrap().clone();
    let images: Vec<_> = (0..n)
        .map(|k| {
            let mut i = image(&buyer);
            i.file_name = Some(format!("IMG_{k:04}.JPG"));
            i
        })
        .collect();
    let ids: Vec<ImageId> = images.iter().map(|i| i.id.clone()).collect();
    fake.with(|w| {
        w.images.extend(images.into_iter().map(|i| (i.id.clone(), i)));
        let o = w.orders.get_mut(&order.order_id).unwrap();
        o.lines.clear();
        o.archive = Some(ArchiveTerms {
            proposal_id: ProposalId::generate(),
            disc: Disc::Dvd,
            images: ids.clone(),
            bytes: n as u64,
            sectors: 4096,
        });
    });
    let order = fake.with(|w| w.orders[&order.order_id].clone());
    (order, ids)
}

#[tokio::test]
async fn a_paid_disc_becomes_one_disc_job_listing_its_files_oldest_first() {
    let fake = Fake::default();
    let (order, ids) = archive_order(&fake, 3);
    let out = dispatch(&fake, &order.order_id, TTL, NOW).await.unwrap();
    assert_eq!(out, Outcome::Dispatched(1));
    fake.with(|w| {
        assert_eq!(w.orders[&order.order_id].status, OrderStatus::Dispatched);
        assert!(w.delivered.is_empty(), "no print jobs");
        let [job] = &w.discs[..] else {
            panic!("{:?}", w.discs)
        };
        assert_eq!(job.kind, JobKind::Disc);
        assert_eq!(job.job_id, format!("{}:disc", order.order_id));
        assert_eq!(job.sku, "disc-dvd");
        assert_eq!((job.disc.files, job.disc.bytes), (3, 3));
        assert_eq!(job.disc.capacity_bytes, 2_295_104 * 2048);
        let m = &w.manifests[&job.manifest.url];
        let listed: Vec<_> = m.files.iter().map(|f| f.image_id.clone()).collect();
        assert_eq!(listed, ids);
        assert_eq!(m.files[0].path, "photos/2026-12/IMG_0000.jpg");
        assert_eq!(m.disc_id, order.order_id.to_string());
        assert_eq!(
            w.matter[&order.order_id],
            ["IMG_0000.jpg", "IMG_0001.jpg", "IMG_0002.jpg"],
            "the sheet lists the names on the disc"
        );
    });
    // Delivered again: the order is dispatched, nothing is sent.
    let again = dispatch(&fake, &order.order_id, TTL, NOW).await.unwrap();
    assert_eq!(again, Outcome::Skipped(OrderStatus::Dispatched));
    fake.with(|w| assert_eq!(w.discs.len(), 1));
}

#[tokio::test]
async fn what_is_gone_is_left_off_and_a_disc_left_empty_is_cancelled_and_refunded() {
    let fake = Fake::default();
    let (order, ids) = archive_order(&fake, 4);
    fake.with(|w| {
        w.images.get_mut(&ids[0]).unwrap().deleting = true;
        w.no_bytes.insert(ids[1].clone());
        w.images.remove(&ids[2]);
    });
    assert_eq!(
        dispatch(&fake, &order.order_id, TTL, NOW).await.unwrap(),
        Outcome::Dispatched(1)
    );
    fake.with(|w| {
        let m = &w.manifests[&w.discs[0].manifest.url];
        assert_eq!(m.files.len(), 1);
        assert_eq!(m.files[0].image_id, ids[3]);
        assert_eq!(w.matter[&order.order_id].len(), 1);
    });

    let fake = Fake::default();
    let (order, ids) = archive_order(&fake, 2);
    fake.with(|w| {
        for id in &ids {
            w.no_bytes.insert(id.clone());
        }
    });
    assert_eq!(
        dispatch(&fake, &order.order_id, TTL, NOW).await.unwrap(),
        Outcome::Cancelled
    );
    fake.with(|w| {
        let o = &w.orders[&order.order_id];
        assert_eq!(o.status, OrderStatus::Cancelled);
        assert_eq!(o.refund_due, o.received, "everything back");
        assert!(w.discs.is_empty() && w.matter.is_empty());
        assert!(w
            .mailed
            .contains_key(&format!("order-cancelled:{}", order.order_id)));
    });
}

#[tokio::test]
async fn a_crash_before_any_call_then_a_redelivery_sends_the_disc_once() {
    let clean = Fake::default();
    let (order, _) = archive_order(&clean, 3);
    dispatch(&clean, &order.order_id, TTL, NOW).await.unwrap();
    let calls = clean.with(|w| w.calls);
    assert!(calls >= 7, "{calls}");
    for n in 1..=calls {
        let fake = Fake::default();
        let (order, ids) = archive_order(&fake, 3);
        fake.with(|w| w.crash_at_call = Some(n));
        assert!(
            dispatch(&fake, &order.order_id, TTL, NOW).await.is_err(),
            "call {n}"
        );
        let out = dispatch(&fake, &order.order_id, TTL, NOW).await.unwrap();
        assert_eq!(out, Outcome::Dispatched(1), "after a crash at call {n}");
        fake.with(|w| {
            assert_eq!(w.orders[&order.order_id].status, OrderStatus::Dispatched);
            assert_eq!(w.discs.len(), 1, "one disc job after a crash at call {n}");
            let m = &w.manifests[&w.discs[0].manifest.url];
            assert_eq!(m.files.len(), ids.len());
        });
    }
}
