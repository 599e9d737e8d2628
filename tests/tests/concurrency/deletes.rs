//! A delete racing edits of the same image, truly in parallel: the delete
//! is answered 204, each edit 200 (it landed before the delete marked the
//! image), 404 (after) or 409, and afterwards nothing of the image is left.

use crate::{class, finds, indexed, patch, race, ready_image, Change};
use integration_tests::{eventually, Customer, TestEnv, NO_BODY};
use printvault_domain::ids::ImageId;
use reqwest::{Method, StatusCode};
use serde_json::json;

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

        // In the trash: gone from everything at once, whatever landed.
        let ctx = format!("round {round}");
        let owner = env.owner_id(&ann).await;
        let path = format!("/v1/images/{id}");
        assert_eq!(env.get_status(&path, &ann).await, StatusCode::NOT_FOUND, "{ctx}");
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
        // Purged: nothing of it is left anywhere.
        let (s, b) = env.delete(&format!("/v1/trash/{id}"), &ann).await;
        assert_eq!(s, StatusCode::NO_CONTENT, "{ctx}: {b}");
        assert!(env.record(&owner, &id).await.is_none(), "{ctx}");
        assert!(env.keys_of(id.as_str()).await.is_empty(), "{ctx}");
        let left = items_mentioning(&env, id.as_str()).await;
        assert!(left.is_empty(), "{ctx}: {left:#?}");
    }
}
