//! M32's move on the serialised moto server (which isolates concurrent
//! requests as DynamoDB does): two `written` reports at once, the move run
//! twice at once, and a move that crashes before each of its steps and is
//! redelivered, each move every original on the disc to Glacier Deep
//! Archive exactly once (moto's count of CopyObject requests) and lose
//! none (every original is still there, and a record says `archived` only
//! of an original in the archive class).

use super::order::proposed;
use super::*;
use integration_tests::orders::address;
use printvault_domain::archive::{ArchiveState, Archived, MOVE_LEASE_SECS};
use printvault_domain::ids::{CustomerId, ImageId, OrderId, ProposalId};
use printvault_domain::image::Image;
use printvault_domain::lab_report::disc::DiscRecord;
use printvault_domain::order::Order;
use printvault_domain::when::Timestamp;
use printvault_usecases::archive_moves::{move_disc, move_disc_while, MovePorts, Original};
use printvault_usecases::orders::dispatch::wiring::DispatchStorage;
use serde_json::Value;
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};

/// print-dispatch's storage, failing at port call `crash_at` (from 1).
pub(super) struct Crashing<'a> {
    pub inner: &'a DispatchStorage,
    pub crash_at: usize,
    pub calls: AtomicUsize,
}

impl Crashing<'_> {
    fn tick(&self) -> Result<(), printvault_domain::Error> {
        if self.calls.fetch_add(1, Ordering::SeqCst) + 1 == self.crash_at {
            return Err(anyhow::anyhow!("crashed before call {}", self.crash_at).into());
        }
        Ok(())
    }
}

type R<T> = Result<T, printvault_domain::Error>;

impl MovePorts for Crashing<'_> {
    async fn order(&self, id: &OrderId) -> R<Option<Order>> {
        self.tick()?;
        self.inner.order(id).await
    }
    async fn disc_record(&self, id: &OrderId) -> R<Option<DiscRecord>> {
        self.tick()?;
        self.inner.disc_record(id).await
    }
    async fn images(&self, ids: &[ImageId]) -> R<Vec<Image>> {
        self.tick()?;
        self.inner.images(ids).await
    }
    async fn claim(&self, image: &Image, claim: &Archived, now: Timestamp) -> R<bool> {
        self.tick()?;
        self.inner.claim(image, claim, now).await
    }
    async fn original(&self, image: &Image) -> R<Original> {
        self.tick()?;
        self.inner.original(image).await
    }
    async fn to_archive(&self, image: &Image) -> R<()> {
        self.tick()?;
        self.inner.to_archive(image).await
    }
    async fn mark_archived(&self, image: &Image, disc: &OrderId, me: &str, at: Timestamp) -> R<bool> {
        self.tick()?;
        self.inner.mark_archived(image, disc, me, at).await
    }
    async fn free_schedule(&self, owner: &CustomerId, proposal: &ProposalId) -> R<()> {
        self.tick()?;
        self.inner.free_schedule(owner, proposal).await
    }
    async fn release(&self, image: &Image, me: &str) -> R<()> {
        self.tick()?;
        self.inner.release(image, me).await
    }
    async fn hand_on(&self, order: &OrderId) -> R<()> {
        self.tick()?;
        self.inner.hand_on(order).await
    }
}

/// A CD of ann's first and third photos, ordered, paid, dispatched and
/// reported written; returns the order, its owner and the images on it.
pub(super) async fn written(env: &TestEnv) -> (OrderId, CustomerId, Vec<ImageId>) {
    let (order, ann, ids) = written_for(env).await;
    let owner = CustomerId::parse(&ann.id).unwrap();
    let on_disc = [&ids[0], &ids[2]].map(|i| ImageId::parse(i).unwrap()).to_vec();
    (order, owner, on_disc)
}

/// As [`written`]; returns the order, ann, and her four photos.
pub(super) async fn written_for(env: &TestEnv) -> (OrderId, Customer, Vec<String>) {
    let key = env.lab("movelab", &["move-store"]).await;
    let (ann, ids, pid) = proposed(env).await;
    let (s, q) = env
        .post(
            &format!("/v1/archive/proposals/{pid}/quote"),
            &ann.token,
            json!({"disc": "cd", "location": "move-store", "without": [ids[3]]}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{q}");
    let placed = env
        .order(
            &ann.token,
            Some("mv"),
            &json!({"quote_id": q["quote_id"], "address": address()}),
        )
        .await;
    let order = placed.body["order_id"].as_str().unwrap().to_owned();
    let (s, b) = env.pay_as(&order, 300, "wh-mv", "pay-mv").await;
    assert_eq!(s, 200, "{b}");
    let order = OrderId::parse(&order).unwrap();
    let now = time::OffsetDateTime::now_utc();
    // Dispatched here; where the stack's own dispatcher runs too, the two
    // may race, and the loser's redelivery finds it dispatched.
    let mut tries = 0;
    while let Err(e) = env.stack.dispatcher.dispatch(&order, now).await {
        tries += 1;
        assert!(tries < 10, "{e:#}");
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    // Two `written` reports at once: both answer the disc written.
    let sha = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
    let report = || async {
        env.http
            .post(env.url(&format!("/v1/lab/orders/{order}/disc/reports")))
            .header("x-lab-key", &key)
            .json(&json!({"stage": "written", "image_sha256": sha}))
            .send()
            .await
            .unwrap()
            .status()
    };
    let (a, b) = tokio::join!(report(), report());
    assert_eq!((a, b), (StatusCode::OK, StatusCode::OK));
    (order, ann, ids)
}

/// Each image's record state and its original's class.
async fn states(
    env: &TestEnv,
    owner: &CustomerId,
    ids: &[ImageId],
) -> BTreeMap<ImageId, (Option<ArchiveState>, Option<String>)> {
    let st = &env.stack.api_state.stores;
    let mut out = BTreeMap::new();
    for id in ids {
        let record = st.images.get(owner, id).await.unwrap().unwrap();
        let key = printvault_adapters::keys::original_key(owner, id);
        let class = st.objects.storage_class(&key).await.unwrap();
        out.insert(id.clone(), (record.archive.map(|a| a.state), class));
    }
    out
}

/// Never lost, and `archived` only in the archive class.
fn check(states: &BTreeMap<ImageId, (Option<ArchiveState>, Option<String>)>) {
    for (id, (state, class)) in states {
        assert!(class.is_some(), "{id}'s original is lost");
        if *state == Some(ArchiveState::Archived) {
            assert_eq!(class.as_deref(), Some("DEEP_ARCHIVE"), "{id}");
        }
    }
}

/// CopyObject requests to this stack's bucket since the last call (other
/// tests share the server).
async fn copies(env: &TestEnv) -> u64 {
    let c: BTreeMap<String, u64> = env.moto_counter("calls", true).await;
    let key = format!("s3:COPY {}", env.stack.resources.names.photos_bucket);
    c.get(&key).copied().unwrap_or(0)
}

#[tokio::test]
async fn reports_and_moves_at_once_and_a_crash_before_any_step_move_each_original_once() {
    let env = TestEnv::serialised_with(|o| {
        o.settings.archive.max_images = 3;
        o.run_dispatcher = false;
    })
    .await;
    let (order, owner, on_disc) = written(&env).await;
    let d = &env.stack.dispatcher;
    let now = time::OffsetDateTime::now_utc();
    // Kept to put back online between the crash runs below.
    let st = &env.stack.api_state.stores;
    let mut kept = Vec::new();
    for id in &on_disc {
        let record = st.images.get(&owner, id).await.unwrap().unwrap();
        kept.push((record, env.original_bytes(&owner, id).await));
    }
    copies(&env).await;
    // The two reports queued the move twice; two movers at once.
    let (a, b) = tokio::join!(d.move_disc(&order, now), d.move_disc(&order, now));
    check(&states(&env, &owner, &on_disc).await);
    if a.is_err() || b.is_err() {
        // One found an image the other held: its redelivery finishes.
        d.move_disc(&order, now + time::Duration::seconds(MOVE_LEASE_SECS + 1))
            .await
            .unwrap();
    }
    let after = states(&env, &owner, &on_disc).await;
    check(&after);
    assert!(
        after
            .values()
            .all(|s| *s == (Some(ArchiveState::Archived), Some("DEEP_ARCHIVE".into()))),
        "{after:?}"
    );
    assert_eq!(copies(&env).await, 2, "one CopyObject per original");
    // Redelivered once more: nothing is copied.
    let again = d.move_disc(&order, now).await.unwrap();
    assert_eq!((again.moved, again.already), (0, 2));
    assert_eq!(copies(&env).await, 0);

    // A crash before each step of a move, then its redelivery: each time
    // the originals are put back online and the records cleared first.
    let clean_calls = 3 + 4 * on_disc.len() + 1;
    for n in 1..=clean_calls {
        for (record, b) in &kept {
            env.reset_to_online(record, b).await;
        }
        copies(&env).await;
        let crashing = Crashing {
            inner: d.storage(),
            crash_at: n,
            calls: AtomicUsize::new(0),
        };
        assert!(
            move_disc(&crashing, &order, "crashes", now).await.is_err(),
            "call {n}"
        );
        check(&states(&env, &owner, &on_disc).await);
        let later = now + time::Duration::seconds(MOVE_LEASE_SECS + 1);
        move_disc(d.storage(), &order, "redelivered", later)
            .await
            .unwrap();
        let after = states(&env, &owner, &on_disc).await;
        check(&after);
        assert!(
            after
                .values()
                .all(|s| *s == (Some(ArchiveState::Archived), Some("DEEP_ARCHIVE".into()))),
            "after a crash before call {n}: {after:?}"
        );
        assert_eq!(copies(&env).await, 2, "after a crash before call {n}");
    }
}

#[tokio::test]
async fn a_move_short_of_time_hands_the_rest_on_through_the_dispatch_queue() {
    let env = TestEnv::serialised_with(|o| {
        o.settings.archive.max_images = 3;
        o.run_dispatcher = false;
    })
    .await;
    let (order, owner, on_disc) = written(&env).await;
    let queue = env.stack.resources.dispatch_queue_url.clone();
    env.drain(&queue).await; // the two reports' own `disc.written`
    let d = &env.stack.dispatcher;
    let now = time::OffsetDateTime::now_utc();
    // Time for one image: it moves, and the rest is queued again.
    let starts = AtomicUsize::new(0);
    let short = move_disc_while(d.storage(), &order, "short", now, || {
        starts.fetch_add(1, Ordering::SeqCst) < 1
    })
    .await
    .unwrap();
    assert_eq!((short.moved, short.left), (1, 1));
    let queued = env.drain(&queue).await;
    assert_eq!(queued.len(), 1, "{queued:?}");
    let message: Value = serde_json::from_str(&queued[0]).unwrap();
    assert_eq!(
        (&message["kind"], &message["order_id"]),
        (&json!("disc.written"), &json!(order))
    );
    // That message's run carries on at once, where the first stopped.
    let rest = d.move_disc(&order, now).await.unwrap();
    assert_eq!((rest.already, rest.moved, rest.left), (1, 1, 0));
    let after = states(&env, &owner, &on_disc).await;
    check(&after);
    assert!(
        after.values().all(|s| s.0 == Some(ArchiveState::Archived)),
        "{after:?}"
    );
}
