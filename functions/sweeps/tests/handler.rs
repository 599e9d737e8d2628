//! Handler tests fed with the `events/sweeps` fixtures. An event without a
//! readable `time` fails with a message that says so (EventBridge retries
//! it, then parks it in the sweeps' DLQ), and never falls back to the
//! clock. `anniversary.json` is run against moto in
//! `tests/tests/anniversaries/main.rs`, `archive.json` in
//! `tests/tests/archive_sweep/main.rs`, and `trash.json` in
//! `tests/tests/trash/main.rs`.

use printvault_adapters::testing::{names, offline_clients, offline_queue, NOWHERE};
use sweeps::{Config, Sweep, Sweeps};

async fn sweeps() -> Sweeps {
    Sweeps::new(
        &offline_clients().await,
        Config::for_names(
            &names(),
            &Default::default(),
            offline_queue("queue"),
            NOWHERE.into(),
        ),
    )
}

fn event(json: &str) -> serde_json::Value {
    serde_json::from_str(json).expect("fixture is JSON")
}

#[tokio::test]
async fn an_event_without_a_time_is_refused_with_the_reason() {
    for (fixture, says) in [
        (
            include_str!("../../../events/sweeps/no-time.json"),
            "missing field `time`",
        ),
        (
            include_str!("../../../events/sweeps/bad-time.json"),
            "not an RFC 3339 time",
        ),
    ] {
        for sweep in Sweep::ALL {
            let e = sweeps().await.handle(sweep, event(fixture)).await.unwrap_err();
            assert!(e.to_string().contains(says), "{sweep:?}: {e}");
        }
    }
}

#[tokio::test]
async fn a_scheduled_event_that_cannot_reach_storage_fails_for_a_retry() {
    for (sweep, fixture) in [
        (
            Sweep::Billing,
            include_str!("../../../events/sweeps/scheduled.json"),
        ),
        (
            Sweep::Retention,
            include_str!("../../../events/sweeps/scheduled.json"),
        ),
        (
            Sweep::Anniversary,
            include_str!("../../../events/sweeps/anniversary.json"),
        ),
        (
            Sweep::Archive,
            include_str!("../../../events/sweeps/archive.json"),
        ),
        (Sweep::Trash, include_str!("../../../events/sweeps/trash.json")),
    ] {
        let e = sweeps().await.handle(sweep, event(fixture)).await.unwrap_err();
        assert!(
            matches!(e, printvault_domain::Error::Unexpected(_)),
            "{sweep:?}: {e:?}"
        );
    }
}

#[test]
fn sweeps_are_named() {
    for s in Sweep::ALL {
        assert_eq!(Sweep::parse(s.name()), Some(s));
    }
    assert_eq!(Sweep::parse("laundry"), None);
}

/// The moto runs of `anniversary.json`, `archive.json` and `trash.json` are where this
/// file's doc says, and each runs its fixture.
#[test]
fn the_fixtures_moto_runs_are_where_the_doc_says() {
    let doc: Vec<&str> = include_str!("handler.rs")
        .lines()
        .take_while(|l| l.starts_with("//!"))
        .flat_map(|l| l.split('`'))
        .collect();
    let named: Vec<&str> = doc
        .iter()
        .copied()
        .filter(|w| w.starts_with("tests/tests/"))
        .collect();
    assert_eq!(named.len(), 3, "{named:?}");
    for (fixture, test) in ["anniversary.json", "archive.json", "trash.json"]
        .into_iter()
        .zip(named)
    {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../..")
            .join(test);
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{test}: {e}"));
        assert!(text.contains(&format!("events/sweeps/{fixture}")), "{test}");
    }
}
