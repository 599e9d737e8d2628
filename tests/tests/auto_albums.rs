//! M12 automatic albums end to end, against moto: classify files each ready
//! image by month, event, named place and the owner's named dates; an edit
//! moves it but keeps the owner's own choices; repeats change nothing; a
//! deleted automatic album stays deleted. Odd events: `classify.rs`.

use classify::Classified;
use integration_tests::{eventually, image_id, jpeg_taken_at, sqs_event, Customer, TestEnv, NO_BODY};
use printvault_domain::image_event::ImageEvent;
use reqwest::StatusCode;
use serde_json::json;

fn names(albums: &[(String, String)]) -> Vec<&str> {
    albums.iter().map(|(n, _)| n.as_str()).collect()
}

fn album_of(albums: &[(String, String)], name: &str) -> Option<String> {
    albums.iter().find(|(n, _)| n == name).map(|(_, id)| id.clone())
}

/// Uploads a photo taken at `taken_at` and waits until it is ready.
async fn photo(env: &TestEnv, who: &Customer, seed: u64, taken_at: &str) -> String {
    env.upload_ready(who, &jpeg_taken_at(seed, taken_at), "image/jpeg")
        .await
}

/// Waits until `who`'s automatic album `name` holds exactly `images` (in any
/// order); returns its ID.
async fn filed(env: &TestEnv, who: &Customer, name: &str, images: &[&String]) -> String {
    let mut want: Vec<String> = images.iter().map(|s| s.to_string()).collect();
    want.sort();
    eventually(30, &format!("{name} holding {want:?}"), || async {
        let Some(album) = album_of(&env.auto_albums(who).await, name) else {
            return false;
        };
        let mut got = env.album_images(who, &album).await;
        got.sort();
        got == want
    })
    .await
    .unwrap();
    album_of(&env.auto_albums(who).await, name).unwrap()
}

async fn edit(env: &TestEnv, who: &Customer, id: &str, body: serde_json::Value) {
    let (s, b) = env.patch(&format!("/v1/images/{id}"), who, body).await;
    assert_eq!(s, StatusCode::OK, "{b}");
}

#[tokio::test]
async fn a_ready_image_is_filed_in_the_album_of_its_month() {
    let env = TestEnv::start().await;
    let ann = env.new_customer().await;
    let first = photo(&env, &ann, 81, "2024:05:03 14:30:00").await;
    filed(&env, &ann, "May 2024", &[&first]).await;
    assert_eq!(names(&env.auto_albums(&ann).await), ["May 2024"]);
}

#[tokio::test]
async fn another_photo_of_the_same_month_joins_the_same_album() {
    let env = TestEnv::start().await;
    let ann = env.new_customer().await;
    let first = photo(&env, &ann, 81, "2024:05:03 14:30:00").await;
    let may = filed(&env, &ann, "May 2024", &[&first]).await;
    let second = photo(&env, &ann, 82, "2024:05:20 09:00:00").await;
    assert_eq!(filed(&env, &ann, "May 2024", &[&first, &second]).await, may);
    assert_eq!(names(&env.auto_albums(&ann).await), ["May 2024"]);
}

#[tokio::test]
async fn an_event_and_a_named_place_get_one_album_each_however_often_the_image_is_announced() {
    let env = TestEnv::start().await;
    let ann = env.new_customer().await;
    let first = photo(&env, &ann, 81, "2024:05:03 14:30:00").await;
    let second = photo(&env, &ann, 82, "2024:05:20 09:00:00").await;
    filed(&env, &ann, "May 2024", &[&first, &second]).await;
    edit(
        &env,
        &ann,
        &first,
        json!({"attributes": {"event": "Kyoto Trip", "place": {"name": "Kyoto"}}}),
    )
    .await;
    // The same image.ready delivered twice in one batch and once more.
    let ready = ImageEvent::ready(&ann.customer_id(), &image_id(&first)).to_body();
    for copies in [2, 1] {
        let batch = sqs_event(&vec![ready.as_str(); copies]);
        let r = env.stack.classifier.handle_batch(batch).await;
        assert!(r.batch_item_failures.is_empty());
    }
    let albums = env.auto_albums(&ann).await;
    assert_eq!(names(&albums), ["Kyoto", "Kyoto Trip", "May 2024"]);
    for (name, id) in &albums {
        let mut images = env.album_images(&ann, id).await;
        images.sort();
        let mut want = if name == "May 2024" {
            vec![first.clone(), second.clone()]
        } else {
            vec![first.clone()]
        };
        want.sort();
        assert_eq!(images, want, "album {name}");
    }
}

#[tokio::test]
async fn automatic_albums_are_per_customer() {
    let env = TestEnv::start().await;
    let (ann, bob) = (env.new_customer().await, env.new_customer().await);
    let hers = photo(&env, &ann, 81, "2024:05:03 14:30:00").await;
    let may = filed(&env, &ann, "May 2024", &[&hers]).await;
    // Bob's photo of May 2024 gets his own album.
    let his = photo(&env, &bob, 81, "2024:05:03 14:30:00").await;
    assert_ne!(filed(&env, &bob, "May 2024", &[&his]).await, may);
    assert_eq!(env.auto_albums(&bob).await.len(), 1);
    assert_eq!(env.auto_albums(&ann).await.len(), 1);
    assert_eq!(env.album_images(&ann, &may).await, [hers]);
}

#[tokio::test]
async fn customer_information_names_albums_too() {
    let env = TestEnv::start().await;
    let carol = env.new_customer().await;
    let profile = json!({"birthday": "1990-05-03",
        "named_dates": [{"label": "Wedding anniversary", "date": "2015-08-10"}]});
    let (s, _) = env.patch("/v1/profile", &carol, profile).await;
    assert_eq!(s, StatusCode::OK);
    let birthday = env
        .upload(&carol, &jpeg_taken_at(301, "2024:05:03 09:00:00"), "image/jpeg")
        .await;
    let wedding = env
        .upload(&carol, &jpeg_taken_at(302, "2023:08:10 19:30:00"), "image/jpeg")
        .await;
    filed(&env, &carol, "Birthday", &[&birthday]).await;
    filed(&env, &carol, "Wedding anniversary", &[&wedding]).await;
}

/// Ann's photo of May 2024 (`moved`) and one of August 2023 (`other`), both
/// filed; Ann has also put `moved` in "August 2023" herself.
struct Moving {
    env: TestEnv,
    ann: Customer,
    moved: String,
    other: String,
    may: String,
    august: String,
}

async fn moving() -> Moving {
    let env = TestEnv::start().await;
    let ann = env.new_customer().await;
    let moved = photo(&env, &ann, 91, "2024:05:03 14:30:00").await;
    let other = photo(&env, &ann, 92, "2023:08:10 10:00:00").await;
    let may = filed(&env, &ann, "May 2024", &[&moved]).await;
    let august = filed(&env, &ann, "August 2023", &[&other]).await;
    let (s, b) = env
        .put(&format!("/v1/albums/{august}/images/{moved}"), &ann, NO_BODY)
        .await;
    assert_eq!(s, StatusCode::NO_CONTENT, "{b}");
    Moving {
        env,
        ann,
        moved,
        other,
        may,
        august,
    }
}

impl Moving {
    /// Ann corrects the date taken and names the event; the api announces
    /// the edit and classify files the image again. Waits until the image is
    /// in "December 2022" and "Christmas" and out of "May 2024"; returns the
    /// first two.
    async fn to_christmas(&self) -> (String, String) {
        let body = json!({"attributes": {"taken_at": "2022-12-25T10:00:00", "event": "Christmas"}});
        edit(&self.env, &self.ann, &self.moved, body).await;
        let december = filed(&self.env, &self.ann, "December 2022", &[&self.moved]).await;
        let christmas = filed(&self.env, &self.ann, "Christmas", &[&self.moved]).await;
        filed(&self.env, &self.ann, "May 2024", &[]).await;
        (december, christmas)
    }
}

#[tokio::test]
async fn an_attribute_edit_moves_the_image_between_automatic_albums() {
    let m = moving().await;
    let (december, christmas) = m.to_christmas().await;
    assert!(m.env.album_images(&m.ann, &m.may).await.is_empty());
    assert_eq!(
        m.env.album_images(&m.ann, &december).await,
        std::slice::from_ref(&m.moved)
    );
    assert_eq!(
        m.env.album_images(&m.ann, &christmas).await,
        std::slice::from_ref(&m.moved)
    );
}

#[tokio::test]
async fn an_attribute_edit_keeps_the_owners_own_choice_of_album() {
    let m = moving().await;
    let (december, christmas) = m.to_christmas().await;
    // Still in "August 2023" by hand.
    let mut in_august = m.env.album_images(&m.ann, &m.august).await;
    in_august.sort();
    let mut want = vec![m.moved.clone(), m.other.clone()];
    want.sort();
    assert_eq!(in_august, want);
    // The image record lists exactly its albums (what album grants check).
    let record = m
        .env
        .record(&m.ann.customer_id(), &image_id(&m.moved))
        .await
        .unwrap();
    let mut held: Vec<String> = record.albums.iter().map(ToString::to_string).collect();
    held.sort();
    let mut want = vec![m.august.clone(), december, christmas];
    want.sort();
    assert_eq!(held, want);
}

#[tokio::test]
async fn the_same_attributes_changed_event_again_changes_nothing() {
    let m = moving().await;
    m.to_christmas().await;
    let event = ImageEvent::attributes_changed(&m.ann.customer_id(), &image_id(&m.moved));
    for _ in 0..2 {
        assert_eq!(
            m.env.stack.classifier.classify(&event).await.unwrap(),
            Classified::Filed {
                albums: 2,
                added: 0,
                removed: 0
            }
        );
    }
}

#[tokio::test]
async fn a_bulk_edit_of_the_event_moves_the_image_too() {
    let m = moving().await;
    let (_, christmas) = m.to_christmas().await;
    let (s, b) = m
        .env
        .post(
            "/v1/images/attributes",
            &m.ann,
            json!({"image_ids": [m.moved], "attributes": {"event": "New Year"}}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{b}");
    assert_eq!(b["results"][0]["status"], "updated", "{b}");
    filed(&m.env, &m.ann, "New Year", &[&m.moved]).await;
    filed(&m.env, &m.ann, "Christmas", &[]).await;
    assert_eq!(
        album_of(&m.env.auto_albums(&m.ann).await, "Christmas"),
        Some(christmas),
        "an emptied album stays until its owner deletes it"
    );
}

/// Ann's photo of May 2024, filed, and its album deleted by her.
async fn may_deleted() -> (TestEnv, Customer, String) {
    let env = TestEnv::start().await;
    let ann = env.new_customer().await;
    let id = photo(&env, &ann, 95, "2024:05:03 14:30:00").await;
    let may = filed(&env, &ann, "May 2024", &[&id]).await;
    let (s, b) = env.delete(&format!("/v1/albums/{may}"), &ann).await;
    assert_eq!(s, StatusCode::NO_CONTENT, "{b}");
    (env, ann, id)
}

#[tokio::test]
async fn a_deleted_automatic_album_is_not_brought_back_by_a_repeated_event_or_a_new_photo() {
    let (env, ann, id) = may_deleted().await;
    let unfiled = Classified::Filed {
        albums: 1,
        added: 0,
        removed: 0,
    };
    let owner = ann.customer_id();
    let again = ImageEvent::ready(&owner, &image_id(&id));
    assert_eq!(env.stack.classifier.classify(&again).await.unwrap(), unfiled);
    let second = photo(&env, &ann, 96, "2024:05:20 09:00:00").await;
    let ready = ImageEvent::ready(&owner, &image_id(&second));
    assert_eq!(env.stack.classifier.classify(&ready).await.unwrap(), unfiled);
    assert!(env.auto_albums(&ann).await.is_empty());
    let (s, image) = env.get(&format!("/v1/images/{id}"), &ann).await;
    assert_eq!(s, StatusCode::OK, "the image itself stays: {image}");
}

#[tokio::test]
async fn other_keys_still_make_albums_after_one_was_deleted() {
    let (env, ann, _) = may_deleted().await;
    let second = photo(&env, &ann, 96, "2024:05:20 09:00:00").await;
    edit(&env, &ann, &second, json!({"attributes": {"event": "Picnic"}})).await;
    filed(&env, &ann, "Picnic", &[&second]).await;
    assert_eq!(names(&env.auto_albums(&ann).await), ["Picnic"]);
}
