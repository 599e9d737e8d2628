//! The races run truly in parallel: all requests are sent at once through
//! the api, on a multi-threaded runtime, against the serialised moto. Each
//! change is answered 200 (it landed), 409 (other requests kept changing the
//! image; nothing of it landed) or, once a delete has begun, 404.

use crate::{hits, ready_image};
use futures::future::join_all;
use integration_tests::{eventually, Caller, Customer, TestEnv, NO_BODY};
use printvault_domain::ids::ImageId;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

/// One request of a race, named for what it changes.
struct Change {
    what: &'static str,
    method: Method,
    path: String,
    body: Value,
}

fn patch(id: &ImageId, what: &'static str, body: Value) -> Change {
    Change {
        what,
        method: Method::PATCH,
        path: format!("/v1/images/{id}"),
        body,
    }
}

fn class(id: &ImageId, what: &'static str, body: Value) -> Change {
    Change {
        what,
        method: Method::PUT,
        path: format!("/v1/images/{id}/class"),
        body,
    }
}

/// Sends every change at once; returns the statuses in the same order.
async fn race(env: &TestEnv, who: &str, changes: &[Change]) -> Vec<StatusCode> {
    let sent = changes.iter().map(|c| {
        let body = (!c.body.is_null()).then(|| c.body.clone());
        env.call(c.method.clone(), &c.path, Some(who), body)
    });
    join_all(sent).await.into_iter().map(|(s, _)| s).collect()
}

/// Waits until the owner's search shows the new image, so classify's first
/// indexing is not part of the race.
async fn indexed(env: &TestEnv, ann: &str, id: &ImageId) {
    eventually(30, "the image in its owner's search", || async {
        hits(env, ann, "").await.contains(&id.to_string())
    })
    .await
    .unwrap();
}

/// The owner's view of the image.
async fn image(env: &TestEnv, ann: &str, id: &ImageId) -> Value {
    let (s, b) = env.get(&format!("/v1/images/{id}"), ann).await;
    assert_eq!(s, StatusCode::OK, "{b}");
    b
}

/// Whether `who`'s search for `query` finds the image.
async fn finds(env: &TestEnv, who: impl Caller, query: &str, id: &ImageId) -> bool {
    hits(env, who, query).await.contains(&id.to_string())
}

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

/// Every item in the stack's tables that mentions `text`.
async fn items_mentioning(env: &TestEnv, text: &str) -> Vec<String> {
    let names = &env.stack.resources.names;
    let mut found = Vec::new();
    for table in [
        &names.images_table,
        &names.sharing_table,
        &names.accounts_table,
        &names.blocklist_table,
    ] {
        let mut start = None;
        loop {
            let out = env
                .stack
                .clients
                .dynamodb
                .scan()
                .table_name(table)
                .set_exclusive_start_key(start)
                .send()
                .await
                .unwrap();
            for item in out.items() {
                let dump = format!("{item:?}");
                if dump.contains(text) {
                    found.push(format!("{table}: {dump}"));
                }
            }
            start = out.last_evaluated_key;
            if start.is_none() {
                break;
            }
        }
    }
    found
}

/// Ann's viewable image with a keyword and an event, in her album "Port",
/// granted to Bob. Returns the image and the album.
async fn shared_image(env: &TestEnv, ann: &str, bob: &Customer, seed: u64) -> (ImageId, String) {
    let (_, id) = ready_image(env, ann, seed).await;
    let path = format!("/v1/images/{id}");
    let attributes = json!({"attributes": {"keywords": ["harbour"], "event": "Regatta"}});
    assert_eq!(env.patch(&path, ann, attributes).await.0, StatusCode::OK);
    let viewable = json!({"class": "viewable"});
    assert_eq!(
        env.put(&format!("{path}/class"), ann, viewable).await.0,
        StatusCode::OK
    );
    let (_, album) = env.post("/v1/albums", ann, json!({"name": "Port"})).await;
    let aid = album["album_id"].as_str().unwrap().to_owned();
    let (s, _) = env
        .put(&format!("/v1/albums/{aid}/images/{id}"), ann, NO_BODY)
        .await;
    assert_eq!(s, StatusCode::NO_CONTENT);
    let grant = json!({"image_id": id.to_string(), "grantee_email": bob.email});
    assert_eq!(env.post("/v1/grants", ann, grant).await.0, StatusCode::CREATED);
    indexed(env, ann, &id).await;
    (id, aid)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_delete_racing_edits_leaves_nothing_behind() {
    let env = TestEnv::serialised().await;
    let ann = env.customer().await;
    let bob = env.new_customer().await;
    for round in 0..2 {
        let (id, aid) = shared_image(&env, &ann, &bob, 431 + round).await;
        let changes = vec![
            Change {
                what: "delete",
                method: Method::DELETE,
                path: format!("/v1/images/{id}"),
                body: NO_BODY,
            },
            patch(
                &id,
                "keywords",
                json!({"attributes": {"keywords": ["harbour", "lighthouse"]}}),
            ),
            patch(&id, "event", json!({"attributes": {"event": "Boat Show"}})),
            patch(&id, "place", json!({"attributes": {"place": {"name": "Kobe"}}})),
            patch(&id, "selected", json!({"selected": true})),
            class(
                &id,
                "printable",
                json!({"class": "printable", "prices": {"L": 100, "2L": 300}}),
            ),
            class(&id, "private", json!({"class": "private"})),
        ];
        let statuses = race(&env, &ann, &changes).await;
        assert_eq!(statuses[0], StatusCode::NO_CONTENT, "round {round}: {statuses:?}");
        for (c, s) in changes.iter().zip(&statuses).skip(1) {
            assert!(
                matches!(*s, StatusCode::OK | StatusCode::NOT_FOUND | StatusCode::CONFLICT),
                "round {round}: {}: {s}",
                c.what
            );
        }
        // Let classify finish what the edits that landed asked of it.
        let events = env.stack.resources.image_events_queue_url.clone();
        eventually(30, "the image-events queue to drain", || async {
            env.queue_depth(&events).await.unwrap() == 0
        })
        .await
        .unwrap();

        let ctx = format!("round {round}");
        let owner = env.owner_id(&ann).await;
        assert!(env.record(&owner, &id).await.is_none(), "{ctx}");
        let path = format!("/v1/images/{id}");
        assert_eq!(env.get_status(&path, &ann).await, StatusCode::NOT_FOUND, "{ctx}");
        assert!(env.keys_of(id.as_str()).await.is_empty(), "{ctx}");
        for query in [
            "q=harbour",
            "q=lighthouse",
            "event=regatta",
            "event=boat%20show",
            "place=kobe",
            "",
        ] {
            assert!(!finds(&env, &ann, query, &id).await, "{ctx}: owner {query}");
            assert!(!finds(&env, None, query, &id).await, "{ctx}: public {query}");
        }
        let in_album = env.album_images(&ann, &aid).await;
        assert!(!in_album.contains(&id.to_string()), "{ctx}: {in_album:?}");
        for (name, album) in env.auto_albums(&ann).await {
            let images = env.album_images(&ann, &album).await;
            assert!(!images.contains(&id.to_string()), "{ctx}: {name}: {images:?}");
        }
        let (_, received) = env.get("/v1/grants/received", &bob).await;
        assert_eq!(received["grants"], json!([]), "{ctx}");
        let left = items_mentioning(&env, id.as_str()).await;
        assert!(left.is_empty(), "{ctx}: {left:#?}");
    }
}
