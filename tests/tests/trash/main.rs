//! The trash: a deleted image leaves the gallery, search, albums, grants
//! and links at once, waits `trash.keep_days` (30) restorable and billed,
//! and is purged on the 31st day through the one delete. A restore and a
//! purge that race leave one outcome.

mod crashes;
mod interleavings;

use integration_tests::{image_id, Customer, TestEnv, NO_BODY};
use reqwest::StatusCode;
use serde_json::{json, Value};
use sweeps::Sweep;
use time::Duration;

async fn sweep_trash(env: &TestEnv, days_ahead: i64) -> sweeps::Report {
    let now = env.stack.api_state.now() + Duration::days(days_ahead);
    env.stack
        .sweep(Sweep::Trash, now)
        .await
        .expect("the trash sweep runs")
}

async fn trash(env: &TestEnv, who: &Customer) -> Vec<Value> {
    let (s, page) = env.get("/v1/trash", who).await;
    assert_eq!(s, StatusCode::OK, "{page}");
    page["images"].as_array().expect("images").clone()
}

async fn gallery(env: &TestEnv, who: &Customer) -> Vec<String> {
    let (s, page) = env.get("/v1/images", who).await;
    assert_eq!(s, StatusCode::OK, "{page}");
    integration_tests::page_ids(&page)
}

/// Ann's private photo with attributes, in an album, granted to Bob and
/// shared by a link. Returns the photo, the album and the link's token.
async fn shared_photo(env: &TestEnv, ann: &Customer, bob: &Customer, seed: u64) -> (String, String, String) {
    let photo = env
        .ready_image_with(
            ann,
            seed,
            json!({"keywords": ["Kinkaku-ji"], "event": "Kyoto trip", "taken_at": "2024-05-03T10:00:00"}),
            json!({"class": "private"}),
        )
        .await;
    let (s, album) = env.post("/v1/albums", ann, json!({"name": "Kyoto"})).await;
    assert_eq!(s, StatusCode::CREATED, "{album}");
    let album = album["album_id"].as_str().unwrap().to_owned();
    let (s, b) = env
        .put(&format!("/v1/albums/{album}/images/{photo}"), ann, NO_BODY)
        .await;
    assert!(s.is_success(), "{b}");
    let body = json!({"image_id": photo, "grantee_email": bob.email});
    let (s, g) = env.post("/v1/grants", ann, body).await;
    assert_eq!(s, StatusCode::CREATED, "{g}");
    let (s, link) = env.post("/v1/links", ann, json!({"image_id": photo})).await;
    assert_eq!(s, StatusCode::CREATED, "{link}");
    (photo, album, link["token"].as_str().unwrap().to_owned())
}

#[tokio::test]
async fn a_deleted_image_leaves_everything_at_once_and_comes_back_as_it_was_without_its_shares() {
    let env = TestEnv::start().await;
    let (ann, bob) = (env.new_customer().await, env.new_customer().await);
    let (photo, album, token) = shared_photo(&env, &ann, &bob, 9101).await;
    let image = format!("/v1/images/{photo}");
    let (_, before) = env.get(&image, &ann).await;
    assert_eq!(env.get_status(&image, &bob).await, StatusCode::OK, "granted");
    assert_eq!(
        env.get_status(&format!("/v1/shared/{token}"), None).await,
        StatusCode::OK
    );
    assert_eq!(
        env.search_ids("q=kinkaku-ji", &ann).await,
        std::slice::from_ref(&photo)
    );

    let (s, b) = env.delete(&image, &ann).await;
    assert_eq!(s, StatusCode::NO_CONTENT, "{b}");
    // Gone at once, for everyone, everywhere.
    assert_eq!(env.get_status(&image, &ann).await, StatusCode::NOT_FOUND);
    assert!(gallery(&env, &ann).await.is_empty());
    assert!(env.search_ids("q=kinkaku-ji", &ann).await.is_empty());
    assert!(env.album_images(&ann, &album).await.is_empty());
    assert_eq!(
        env.get_status(&image, &bob).await,
        StatusCode::NOT_FOUND,
        "the grant"
    );
    assert_eq!(
        env.get_status(&format!("/v1/shared/{token}"), None).await,
        StatusCode::NOT_FOUND,
        "the link"
    );
    // A second delete finds nothing; the trash lists it, by its owner,
    // purged on the 31st day; its objects stay.
    assert_eq!(env.delete(&image, &ann).await.0, StatusCode::NOT_FOUND);
    let listed = trash(&env, &ann).await;
    assert_eq!(listed.len(), 1, "{listed:?}");
    assert_eq!(listed[0]["image_id"], photo.as_str());
    assert_eq!(listed[0]["by"], "owner");
    let purge_on = env.stack.api_state.now().date() + Duration::days(31);
    assert_eq!(
        listed[0]["purge_on"],
        printvault_domain::billing::day_str(purge_on)
    );
    assert!(!env.keys_of(&photo).await.is_empty());
    assert!(trash(&env, &bob).await.is_empty(), "nobody else's trash shows it");
    // Nobody else can restore or purge it: it is not in their trash.
    let restore = format!("/v1/trash/{photo}/restore");
    assert_eq!(env.post(&restore, &bob, NO_BODY).await.0, StatusCode::NOT_FOUND);
    assert_eq!(
        env.delete(&format!("/v1/trash/{photo}"), &bob).await.0,
        StatusCode::NOT_FOUND
    );

    let (s, restored) = env.post(&restore, &ann, NO_BODY).await;
    assert_eq!(s, StatusCode::OK, "{restored}");
    for field in ["attributes", "class", "prices", "selected", "bytes", "sha256"] {
        assert_eq!(restored[field], before[field], "{field}: {restored}");
    }
    let (_, after) = env.get(&image, &ann).await;
    assert_eq!(after["attributes"], before["attributes"]);
    assert_eq!(gallery(&env, &ann).await, std::slice::from_ref(&photo));
    assert_eq!(
        env.search_ids("q=kinkaku-ji", &ann).await,
        std::slice::from_ref(&photo)
    );
    assert_eq!(env.album_images(&ann, &album).await, std::slice::from_ref(&photo));
    // Its grants and links stay revoked.
    assert_eq!(env.get_status(&image, &bob).await, StatusCode::NOT_FOUND);
    assert_eq!(
        env.get_status(&format!("/v1/shared/{token}"), None).await,
        StatusCode::NOT_FOUND
    );
    assert!(trash(&env, &ann).await.is_empty());
    assert_eq!(
        env.post(&restore, &ann, NO_BODY).await.0,
        StatusCode::NOT_FOUND,
        "restored once"
    );
    // The sweep 31 days on finds nothing to purge.
    assert!(sweep_trash(&env, 31).await.counts.is_empty());
    assert_eq!(env.get_status(&image, &ann).await, StatusCode::OK);
}

#[tokio::test]
async fn the_trash_is_purged_on_the_31st_day_or_at_once_when_asked() {
    let env = TestEnv::start().await;
    let ann = env.new_customer().await;
    let mut photos = Vec::new();
    for seed in 9201..9205 {
        let p = env
            .ready_image_with(
                &ann,
                seed,
                json!({"keywords": ["tram"]}),
                json!({"class": "printable", "prices": {"L": 150, "2L": 400}}),
            )
            .await;
        assert_eq!(
            env.delete(&format!("/v1/images/{p}"), &ann).await.0,
            StatusCode::NO_CONTENT
        );
        photos.push(p);
    }
    assert_eq!(trash(&env, &ann).await.len(), 4);
    // One purged now, by its owner.
    let (s, b) = env.delete(&format!("/v1/trash/{}", photos[0]), &ann).await;
    assert_eq!(s, StatusCode::NO_CONTENT, "{b}");
    assert!(env.keys_of(&photos[0]).await.is_empty());
    assert!(env
        .record(&ann.customer_id(), &image_id(&photos[0]))
        .await
        .is_none());
    let restore = |p: &str| format!("/v1/trash/{p}/restore");
    assert_eq!(
        env.post(&restore(&photos[0]), &ann, NO_BODY).await.0,
        StatusCode::NOT_FOUND
    );
    // One restored; the other two wait.
    assert_eq!(
        env.post(&restore(&photos[1]), &ann, NO_BODY).await.0,
        StatusCode::OK
    );
    assert!(sweep_trash(&env, 30).await.counts.is_empty(), "30 days kept");
    let r = sweep_trash(&env, 31).await;
    assert_eq!(r.get("purged"), 2, "{r:?}");
    for p in &photos[2..] {
        assert!(env.keys_of(p).await.is_empty(), "{p}");
        assert!(env.record(&ann.customer_id(), &image_id(p)).await.is_none());
    }
    assert!(sweep_trash(&env, 31).await.counts.is_empty(), "replay-safe");
    assert!(trash(&env, &ann).await.is_empty());
    assert_eq!(gallery(&env, &ann).await, [photos[1].clone()]);

    // Emptying the trash purges everything in it.
    assert_eq!(
        env.delete(&format!("/v1/images/{}", photos[1]), &ann).await.0,
        StatusCode::NO_CONTENT
    );
    let (s, done) = env.delete("/v1/trash", &ann).await;
    assert_eq!(s, StatusCode::OK, "{done}");
    assert_eq!(done, json!({"purged": 1, "more": false}));
    assert!(env.keys_of(&photos[1]).await.is_empty());
    assert!(trash(&env, &ann).await.is_empty());
}

/// A restore and a purge of one image at once: one of them wins, whole.
#[tokio::test]
async fn a_restore_that_races_the_purge_leaves_one_outcome() {
    let env = TestEnv::serialised().await;
    let ann = env.new_customer().await;
    for seed in 9301..9305 {
        let photo = env.ready_image(&ann, seed).await;
        let image = format!("/v1/images/{photo}");
        assert_eq!(env.delete(&image, &ann).await.0, StatusCode::NO_CONTENT);
        let restore = format!("/v1/trash/{photo}/restore");
        let purge = format!("/v1/trash/{photo}");
        let ((r, rb), (p, pb)) = tokio::join!(env.post(&restore, &ann, NO_BODY), env.delete(&purge, &ann));
        let record = env.record(&ann.customer_id(), &image_id(&photo)).await;
        let keys = env.keys_of(&photo).await;
        match (r, p) {
            (StatusCode::OK, StatusCode::NOT_FOUND) => {
                let record = record.expect("restored");
                assert!(record.trashed.is_none() && !record.deleting, "{record:?}");
                assert!(!keys.is_empty());
                assert_eq!(env.get_status(&image, &ann).await, StatusCode::OK);
            }
            (StatusCode::NOT_FOUND, StatusCode::NO_CONTENT) => {
                assert!(record.is_none(), "{record:?}");
                assert!(keys.is_empty(), "{keys:?}");
                assert_eq!(env.get_status(&image, &ann).await, StatusCode::NOT_FOUND);
            }
            other => panic!("one outcome, not {other:?}: {rb} {pb}"),
        }
        assert!(trash(&env, &ann).await.is_empty());
    }
}

/// The fixture's own event, as the schedule sends it (2027-06-15): what
/// was trashed today (up to 2027-05-14) is due, and purged once.
#[tokio::test]
async fn the_fixture_event_purges_what_expired_before_its_day() {
    let env = TestEnv::start().await;
    let ann = env.new_customer().await;
    let photo = env.ready_image(&ann, 9401).await;
    assert_eq!(
        env.delete(&format!("/v1/images/{photo}"), &ann).await.0,
        StatusCode::NO_CONTENT
    );
    let run = || async {
        let event = include_str!("../../../events/sweeps/trash.json");
        env.stack
            .sweeps
            .handle(Sweep::Trash, serde_json::from_str(event).unwrap())
            .await
            .expect("the sweep runs")
    };
    let r = run().await;
    assert_eq!(
        (r.sweep.as_str(), r.day.as_str(), r.get("purged")),
        ("trash", "2027-06-15", 1),
        "{r:?}"
    );
    assert!(env.keys_of(&photo).await.is_empty());
    assert!(run().await.counts.is_empty());
}
