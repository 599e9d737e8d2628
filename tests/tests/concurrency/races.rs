//! Edits raced against each other, truly in parallel: all requests are sent
//! at once through the api, on a multi-threaded runtime, against the
//! serialised moto. Each change is answered 200 (it landed) or 409 (other
//! requests kept changing the image; nothing of it landed).

use crate::{class, finds, image, indexed, patch, race, ready_image};
use integration_tests::TestEnv;
use printvault_domain::ids::ImageId;
use reqwest::StatusCode;
use serde_json::{json, Value};

/// The attributes the first race sets, each with its value and a search
/// that finds the image by it.
fn fields() -> Vec<(&'static str, Value, &'static str)> {
    vec![
        ("keywords", json!(["harbour", "boat"]), "q=harbour"),
        ("event", json!("Regatta"), "event=regatta"),
        ("people", json!(["Ken"]), "person=ken"),
        ("place", json!({"name": "Kobe"}), "place=kobe"),
        ("camera", json!("Race Cam"), "camera=race%20cam"),
        (
            "taken_at",
            json!("2020-02-02T10:00:00"),
            "from=2020-02-01&to=2020-02-29",
        ),
    ]
}

/// Whether the image's `field` holds `value` (a place by its name).
fn holds(image: &Value, field: &str, value: &Value) -> bool {
    let now = &image["attributes"][field];
    match field {
        "place" => now["name"] == value["name"],
        _ => now == value,
    }
}

/// Checks each field of the first race against the record and both searches:
/// returns the names of the changes that have landed.
async fn landed_and_agreeing(env: &TestEnv, ann: &str, id: &ImageId) -> Vec<&'static str> {
    let now = image(env, ann, id).await;
    let public = now["class"] == "viewable";
    let mut landed = Vec::new();
    if public {
        landed.push("class");
    }
    if now["selected"] == true {
        landed.push("selected");
    }
    for (what, value, query) in fields() {
        let set = holds(&now, what, &value);
        if set {
            landed.push(what);
        }
        assert_eq!(finds(env, ann, query, id).await, set, "owner: {what}: {now}");
        assert_eq!(
            finds(env, None, query, id).await,
            set && public,
            "public: {what}: {now}"
        );
    }
    landed
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn parallel_edits_of_different_fields_each_land_whole_or_not_at_all_and_search_agrees() {
    let env = TestEnv::serialised().await;
    let ann = env.customer().await;
    let (_, id) = ready_image(&env, &ann, 411).await;
    indexed(&env, &ann, &id).await;

    let mut changes = vec![
        class(&id, "class", json!({"class": "viewable"})),
        patch(&id, "selected", json!({"selected": true})),
    ];
    for (what, value, _) in fields() {
        changes.push(patch(&id, what, json!({"attributes": {what: value}})));
    }
    let statuses = race(&env, &ann, &changes).await;
    for (c, s) in changes.iter().zip(&statuses) {
        assert!(
            matches!(*s, StatusCode::OK | StatusCode::CONFLICT),
            "{}: {s}",
            c.what
        );
    }
    assert!(statuses.contains(&StatusCode::OK), "{statuses:?}");

    // Every change answered 200 is in the record and in search; every one
    // answered 409 left nothing.
    let landed = landed_and_agreeing(&env, &ann, &id).await;
    for (c, s) in changes.iter().zip(&statuses) {
        assert_eq!(
            landed.contains(&c.what),
            *s == StatusCode::OK,
            "{} answered {s}; landed: {landed:?}",
            c.what
        );
    }

    // A client repeats what was refused, as the 409 asks; then all is there.
    for (c, s) in changes.iter().zip(&statuses) {
        if *s == StatusCode::CONFLICT {
            let (s, b) = env
                .call(c.method.clone(), &c.path, Some(&ann), Some(c.body.clone()))
                .await;
            assert_eq!(s, StatusCode::OK, "{}: {b}", c.what);
        }
    }
    let mut landed = landed_and_agreeing(&env, &ann, &id).await;
    landed.sort();
    let mut all: Vec<&str> = changes.iter().map(|c| c.what).collect();
    all.sort();
    assert_eq!(landed, all);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn parallel_class_changes_and_keyword_edits_leave_search_agreeing_with_the_record() {
    let env = TestEnv::serialised().await;
    let ann = env.customer().await;
    let (_, id) = ready_image(&env, &ann, 421).await;
    let (s, _) = env
        .patch(
            &format!("/v1/images/{id}"),
            &ann,
            json!({"attributes": {"keywords": ["start"]}}),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    indexed(&env, &ann, &id).await;
    let printable = json!({"class": "printable", "prices": {"L": 100, "2L": 300}});
    let keyword_lists = [
        json!(["alpha"]),
        json!(["beta", "gamma"]),
        json!(["delta"]),
        json!(["alpha", "epsilon"]),
    ];
    let every_keyword = ["start", "alpha", "beta", "gamma", "delta", "epsilon"];

    for round in 0..3 {
        let before = image(&env, &ann, &id).await;
        let last = ["viewable", "private", "viewable"][round];
        let mut changes = vec![
            class(&id, "class", json!({"class": "viewable"})),
            class(&id, "class", json!({"class": "private"})),
            class(&id, "class", printable.clone()),
            class(&id, "class", json!({ "class": last })),
        ];
        for k in &keyword_lists {
            changes.push(patch(&id, "keywords", json!({"attributes": {"keywords": k}})));
        }
        let statuses = race(&env, &ann, &changes).await;
        assert!(
            statuses
                .iter()
                .all(|s| matches!(*s, StatusCode::OK | StatusCode::CONFLICT)),
            "round {round}: {statuses:?}"
        );
        assert!(statuses.contains(&StatusCode::OK), "round {round}: {statuses:?}");

        // What is left was set by a change answered 200, or is what was there.
        let now = image(&env, &ann, &id).await;
        let landed = |what: &str, value: &Value, of: fn(&Value) -> Value| {
            changes
                .iter()
                .zip(&statuses)
                .any(|(c, s)| *s == StatusCode::OK && c.what == what && of(&c.body) == *value)
        };
        let kw = |v: &Value| v["attributes"]["keywords"].clone();
        let cl = |v: &Value| v["class"].clone();
        let any_ok = |what: &str| {
            changes
                .iter()
                .zip(&statuses)
                .any(|(c, s)| *s == StatusCode::OK && c.what == what)
        };
        let keywords = now["attributes"]["keywords"].clone();
        if any_ok("keywords") {
            assert!(landed("keywords", &keywords, kw), "round {round}: {now}");
        } else {
            assert_eq!(keywords, before["attributes"]["keywords"], "round {round}");
        }
        if any_ok("class") {
            assert!(landed("class", &now["class"], cl), "round {round}: {now}");
        } else {
            assert_eq!(now["class"], before["class"], "round {round}");
        }

        // Both searches agree with the record, term by term.
        let public = now["class"] != "private";
        for k in every_keyword {
            let has = keywords.as_array().unwrap().iter().any(|x| x == k);
            let q = format!("q={k}");
            assert_eq!(
                finds(&env, &ann, &q, &id).await,
                has,
                "round {round}: owner {k}: {now}"
            );
            assert_eq!(
                finds(&env, None, &q, &id).await,
                has && public,
                "round {round}: public {k}: {now}"
            );
        }
    }
}
