//! The archive rate (M32) on the serialised moto: an original's bytes move
//! from the online tier of its owner's meter to the archive tier once, in
//! the same transaction as its record's `archived` mark, whatever order
//! the move, its crashes and redeliveries, the owner's deletions (during
//! the move too) and a retried deletion's meter step come in.
//!
//! Invariant, checked after every step (`docs/billing.md`): the meter's
//! `bytes` and `images` are the bytes and count of the owner's metered
//! images not archived; its `archived_bytes` those of the metered archived
//! ones. The time arithmetic (each tier billed for its own seconds, at its
//! own rate) is `printvault_domain::billing`'s property test.

use super::moves::{written_for, Crashing};
use super::*;
use printvault_adapters::billing::Direction;
use printvault_domain::archive::MOVE_LEASE_SECS;
use printvault_domain::ids::{CustomerId, ImageId, OrderId};
use printvault_usecases::archive_moves::move_disc;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use std::sync::atomic::AtomicUsize;

#[derive(Debug, Clone)]
enum Step {
    Move,
    /// A move that crashes before its port call `n`.
    Crash(usize),
    /// The owner deletes the `i`th of their four images.
    Delete(usize),
    /// ... while a move runs.
    DeleteDuringMove(usize),
    /// A deletion that crashed after its meter step, then retried whole.
    MeterOutAgain(usize),
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        3 => Just(Step::Move),
        3 => (1usize..12).prop_map(Step::Crash),
        1 => (0usize..4).prop_map(Step::Delete),
        2 => (0usize..4).prop_map(Step::DeleteDuringMove),
        1 => (0usize..4).prop_map(Step::MeterOutAgain),
    ]
}

struct World {
    env: TestEnv,
    order: OrderId,
    ann: Customer,
    owner: CustomerId,
    images: Vec<ImageId>,
    history: Vec<String>,
}

impl World {
    async fn new() -> Self {
        let env = TestEnv::serialised_with(|o| {
            o.settings.archive.max_images = 3;
            o.run_dispatcher = false;
        })
        .await;
        let (order, ann, ids) = written_for(&env).await;
        let owner = ann.customer_id();
        let images = ids.iter().map(|i| ImageId::parse(i).unwrap()).collect();
        Self {
            env,
            order,
            ann,
            owner,
            images,
            history: Vec::new(),
        }
    }

    fn later(&self) -> time::OffsetDateTime {
        // Each run comes after the last one's lease ran out.
        time::OffsetDateTime::now_utc()
            + time::Duration::seconds((MOVE_LEASE_SECS + 1) * (self.history.len() as i64 + 1))
    }

    /// Deletes the image and purges it from the trash (its bytes leave
    /// the meter at the purge).
    async fn delete(&self, i: usize) -> String {
        let id = &self.images[i % self.images.len()];
        let (s, b) = self.env.delete(&format!("/v1/images/{id}"), &self.ann).await;
        assert!(s.as_u16() < 500, "delete {id}: {s} {b}");
        let (p, b) = self.env.delete(&format!("/v1/trash/{id}"), &self.ann).await;
        assert!(p.as_u16() < 500, "purge {id}: {p} {b}");
        format!("delete {id}: {s}, purge: {p}")
    }

    async fn run(&mut self, step: &Step) {
        let d = &self.env.stack.dispatcher;
        let line = match step {
            Step::Move => format!("move: {:?}", d.move_disc(&self.order, self.later()).await),
            Step::Crash(n) => {
                let crashing = Crashing {
                    inner: d.storage(),
                    crash_at: *n,
                    calls: AtomicUsize::new(0),
                };
                let r = move_disc(
                    &crashing,
                    &self.order,
                    &format!("crash-{}", self.history.len()),
                    self.later(),
                )
                .await;
                format!("move crashing before call {n}: {r:?}")
            }
            Step::Delete(i) => self.delete(*i).await,
            Step::DeleteDuringMove(i) => {
                let (m, del) = tokio::join!(d.move_disc(&self.order, self.later()), self.delete(*i));
                format!("move {m:?} during {del}")
            }
            Step::MeterOutAgain(i) => {
                let id = &self.images[i % self.images.len()];
                let bytes = self
                    .env
                    .stack
                    .api_state
                    .stores
                    .images
                    .record(&self.owner, id)
                    .await
                    .unwrap();
                let bytes = bytes.and_then(|i| i.finalised).map_or(1, |f| f.bytes);
                let r = self
                    .env
                    .stack
                    .api_state
                    .stores
                    .billing
                    .meter_image(
                        &self.owner,
                        id,
                        bytes,
                        self.later().unix_timestamp(),
                        Direction::Out,
                    )
                    .await
                    .map(|(changed, _)| changed);
                format!("meter out {id}: {r:?}, crash, then {}", self.delete(*i).await)
            }
        };
        self.history.push(line);
    }

    /// The meter's levels are the metered images', by tier.
    async fn check(&self) {
        let st = &self.env.stack.api_state.stores;
        let (mut online, mut archived, mut count) = (0u64, 0u64, 0u32);
        for id in &self.images {
            if !self.env.metered(&self.owner, id).await {
                continue;
            }
            let image = st.images.record(&self.owner, id).await.unwrap().unwrap();
            let bytes = image.finalised.map_or(0, |f| f.bytes);
            match image.archive.map(|a| a.state) {
                Some(printvault_domain::archive::ArchiveState::Archived) => archived += bytes,
                _ => {
                    online += bytes;
                    count += 1;
                }
            }
        }
        let m = st.billing.meter(&self.owner).await.unwrap().unwrap().meter;
        assert_eq!(
            (m.bytes, m.archived_bytes, m.images),
            (online, archived, count),
            "meter (online, archived, images) against the records\n{:#?}",
            self.history
        );
    }
}

#[test]
fn an_originals_bytes_move_to_the_archive_rate_once_under_random_interleavings() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let mut runner = TestRunner::new(Config {
        cases: 6,
        max_shrink_iters: 0,
        failure_persistence: None,
        ..Config::default()
    });
    runner
        .run(&proptest::collection::vec(step(), 4..10), |steps| {
            rt.block_on(async {
                let mut world = World::new().await;
                world.check().await;
                for s in &steps {
                    world.run(s).await;
                    world.check().await;
                }
                // Whatever happened, a last redelivery settles the disc.
                world.run(&Step::Move).await;
                world.check().await;
                eprintln!("{}", world.history.join("\n"));
            });
            Ok(())
        })
        .unwrap();
}
