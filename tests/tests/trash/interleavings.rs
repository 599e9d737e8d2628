//! The trash under random interleavings, on the serialised moto: deletes,
//! restores, purges, a restore racing a purge, emptying, a trashing cut
//! short after its mark, and the trash sweep (on the day; and 31 days on
//! at the end, as time only moves forward).
//!
//! Invariants, checked after every step:
//! - the storage meter's bytes and images are those of the records marked
//!   metered, trash included (billed until purged, M23);
//! - an image's objects exist exactly while its record does (a purge takes
//!   both; the trash keeps both);
//! - the gallery shows exactly the records neither trashed nor being
//!   deleted; the trash lists only trashed records, and every tidied one;
//! - search finds every image not trashed, and a trashed one only while a
//!   crash left it untidy (the trash sweep tidies it).

use super::*;
use printvault_domain::ids::{CustomerId, ImageId};
use printvault_domain::trash::{Trashed, TrashedBy};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use std::collections::BTreeSet;

#[derive(Debug, Clone)]
enum Step {
    Delete(usize),
    Restore(usize),
    Purge(usize),
    RestoreRacingPurge(usize),
    Empty,
    /// A trashing cut short after its mark (before the tidy).
    MarkOnly(usize),
    /// The trash sweep, this many days on.
    Sweep(i64),
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        5 => (0usize..3).prop_map(Step::Delete),
        3 => (0usize..3).prop_map(Step::Restore),
        1 => (0usize..3).prop_map(Step::Purge),
        2 => (0usize..3).prop_map(Step::RestoreRacingPurge),
        1 => Just(Step::Empty),
        2 => (0usize..3).prop_map(Step::MarkOnly),
        2 => Just(Step::Sweep(0)),
    ]
}

struct World {
    env: TestEnv,
    ann: Customer,
    owner: CustomerId,
    images: Vec<ImageId>,
    history: Vec<String>,
}

impl World {
    async fn new() -> Self {
        let env = TestEnv::serialised().await;
        let ann = env.new_customer().await;
        let owner = ann.customer_id();
        let mut images = Vec::new();
        for seed in 9601..9604 {
            let id = env
                .ready_image_with(
                    &ann,
                    seed,
                    json!({"keywords": ["interleaved"]}),
                    json!({"class": "private"}),
                )
                .await;
            images.push(image_id(&id));
        }
        Self {
            env,
            ann,
            owner,
            images,
            history: Vec::new(),
        }
    }

    async fn run(&mut self, s: &Step) {
        let env = &self.env;
        let path = |i: &usize| self.images[*i].to_string();
        let line = match s {
            Step::Delete(i) => format!(
                "delete {i}: {}",
                env.delete(&format!("/v1/images/{}", path(i)), &self.ann).await.0
            ),
            Step::Restore(i) => {
                let r = env
                    .post(&format!("/v1/trash/{}/restore", path(i)), &self.ann, NO_BODY)
                    .await;
                format!("restore {i}: {}", r.0)
            }
            Step::Purge(i) => format!(
                "purge {i}: {}",
                env.delete(&format!("/v1/trash/{}", path(i)), &self.ann).await.0
            ),
            Step::RestoreRacingPurge(i) => {
                let restore = format!("/v1/trash/{}/restore", path(i));
                let purge = format!("/v1/trash/{}", path(i));
                let (r, p) = tokio::join!(
                    env.post(&restore, &self.ann, NO_BODY),
                    env.delete(&purge, &self.ann)
                );
                assert!(
                    !(r.0 == StatusCode::OK && p.0 == StatusCode::NO_CONTENT),
                    "both won: {:#?}",
                    self.history
                );
                format!("restore {i} racing purge: {} {}", r.0, p.0)
            }
            Step::Empty => format!("empty: {}", env.delete("/v1/trash", &self.ann).await.1),
            Step::MarkOnly(i) => {
                let t = Trashed::new(env.stack.api_state.now(), 30, TrashedBy::Owner, Vec::new());
                let marked = env
                    .stack
                    .api_state
                    .stores
                    .images
                    .trash_now(&self.owner, &self.images[*i], &t)
                    .await
                    .unwrap();
                format!("mark {i} and crash: {}", marked.is_some())
            }
            Step::Sweep(days) => format!("sweep +{days}: {:?}", sweep_trash(env, *days).await.counts),
        };
        self.history.push(line);
    }

    async fn check(&self) {
        let env = &self.env;
        let st = &env.stack.api_state.stores;
        let ctx = || format!("{:#?}", self.history);
        let (mut bytes, mut count) = (0u64, 0u32);
        let (mut shown, mut listable, mut tidied, mut searchable, mut untidy) = (
            BTreeSet::new(),
            BTreeSet::new(),
            BTreeSet::new(),
            BTreeSet::new(),
            BTreeSet::new(),
        );
        for id in &self.images {
            let record = st.images.record(&self.owner, id).await.unwrap();
            let has_objects = !env.keys_of(id.as_str()).await.is_empty();
            assert_eq!(
                record.is_some(),
                has_objects,
                "{id}: record and objects\n{}",
                ctx()
            );
            let Some(r) = record else { continue };
            if let Some(f) = &r.finalised {
                if env.metered(&self.owner, id).await {
                    bytes += f.bytes;
                    count += 1;
                }
            }
            let key = id.to_string();
            match &r.trashed {
                None if !r.deleting => {
                    shown.insert(key.clone());
                    searchable.insert(key);
                }
                Some(t) if !r.deleting => {
                    listable.insert(key.clone());
                    if t.tidy {
                        tidied.insert(key);
                    } else {
                        untidy.insert(key);
                    }
                }
                _ => {}
            }
        }
        let m = st.billing.meter(&self.owner).await.unwrap().unwrap().meter;
        assert_eq!(
            (m.bytes, m.images),
            (bytes, count),
            "meter against the records\n{}",
            ctx()
        );
        let gallery: BTreeSet<String> = gallery(env, &self.ann).await.into_iter().collect();
        assert_eq!(gallery, shown, "the gallery\n{}", ctx());
        let listed: BTreeSet<String> = trash(env, &self.ann)
            .await
            .iter()
            .map(|i| i["image_id"].as_str().unwrap().to_owned())
            .collect();
        assert!(
            listed.is_subset(&listable),
            "the trash lists only trashed images\n{}",
            ctx()
        );
        assert!(tidied.is_subset(&listed), "and every tidied one\n{}", ctx());
        let found: BTreeSet<String> = env
            .search_ids("q=interleaved", &self.ann)
            .await
            .into_iter()
            .collect();
        assert!(
            searchable.is_subset(&found),
            "search finds every image not trashed\n{}",
            ctx()
        );
        let extra: BTreeSet<&String> = found.difference(&searchable).collect();
        assert!(
            extra.iter().all(|i| untidy.contains(*i)),
            "a trashed image in search only while untidy: {extra:?}\n{}",
            ctx()
        );
    }
}

#[test]
fn the_trash_keeps_its_invariants_under_random_interleavings() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let mut runner = TestRunner::new(Config {
        cases: 12,
        max_shrink_iters: 0,
        failure_persistence: None,
        ..Config::default()
    });
    runner
        .run(&proptest::collection::vec(step(), 6..14), |steps| {
            rt.block_on(async {
                let mut world = World::new().await;
                world.check().await;
                for s in &steps {
                    world.run(s).await;
                    world.check().await;
                }
                // Whatever happened, the sweep on the 31st day leaves no
                // trash, untidy or not.
                world.run(&Step::Sweep(31)).await;
                world.check().await;
                assert!(
                    trash(&world.env, &world.ann).await.is_empty(),
                    "{:#?}",
                    world.history
                );
                eprintln!("{}", world.history.join("\n"));
            });
            Ok(())
        })
        .unwrap();
}
