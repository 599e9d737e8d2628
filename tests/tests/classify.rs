//! M12 automatic albums, against moto: upload-finalise announces each ready
//! image on the image-events queue and classify files it by month, event and
//! named place; repeats change nothing, images that are gone or not ready
//! are skipped, and a poison message ends in the image-events DLQ.

use aws_lambda_events::sqs::{SqsEvent, SqsMessage};
use classify::Classified;
use integration_tests::{eventually, testkit, TestEnv};
use local_runner::provision::QueueSettings;
use printvault_adapters::image_events::ImageEvent;
use printvault_adapters::images::Outcome;
use printvault_domain::album::AlbumKind;
use printvault_domain::ids::{CustomerId, ImageId};
use printvault_domain::image::{Attributes, Finalised, Image, ImageStatus};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

fn exif_jpeg(seed: u64, taken_at: &str) -> Vec<u8> {
    testkit::with_exif(
        &testkit::photo_jpeg(640, 480, seed),
        &testkit::TestExif {
            taken_at: Some(taken_at.into()),
            ..Default::default()
        },
    )
}

fn ready_event(owner: &CustomerId, image_id: &str, copies: usize) -> SqsEvent {
    let body = ImageEvent::ready(owner, &ImageId::parse(image_id).unwrap()).to_body();
    let mut e = SqsEvent::default();
    for i in 0..copies {
        let mut m = SqsMessage::default();
        m.message_id = Some(format!("m{i}"));
        m.body = Some(body.clone());
        e.records.push(m);
    }
    e
}

async fn owner_of(env: &TestEnv, token: &str) -> CustomerId {
    let (_, p) = env.call(Method::GET, "/v1/profile", Some(token), None).await;
    CustomerId::parse(p["customer_id"].as_str().unwrap()).unwrap()
}

/// The caller's automatic albums as `(name, album_id)`, sorted by name.
async fn auto_albums(env: &TestEnv, token: &str) -> Vec<(String, String)> {
    let (s, list) = env.call(Method::GET, "/v1/albums", Some(token), None).await;
    assert_eq!(s, StatusCode::OK, "{list}");
    let mut out: Vec<(String, String)> = list["albums"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["kind"] == "auto")
        .map(|a| {
            (
                a["name"].as_str().unwrap().to_owned(),
                a["album_id"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    out.sort();
    out
}

/// The image IDs in an album, in its order.
async fn album_images(env: &TestEnv, token: &str, album_id: &str) -> Vec<String> {
    let (s, page) = env
        .call(Method::GET, &format!("/v1/albums/{album_id}"), Some(token), None)
        .await;
    assert_eq!(s, StatusCode::OK, "{page}");
    page["images"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["image_id"].as_str().unwrap().to_owned())
        .collect()
}

fn names(albums: &[(String, String)]) -> Vec<&str> {
    albums.iter().map(|(n, _)| n.as_str()).collect()
}

#[tokio::test]
async fn ready_images_are_filed_by_month_event_and_place_once() {
    let env = TestEnv::start().await;
    let ann = env.customer().await;
    let owner = owner_of(&env, &ann).await;
    let first = env
        .upload(&ann, &exif_jpeg(81, "2024:05:03 14:30:00"), "image/jpeg")
        .await;
    assert_eq!(env.settled(&ann, &first).await["status"], "ready");

    // The background classify files it into "May 2024".
    eventually(30, "an automatic May 2024 album", || async {
        auto_albums(&env, &ann).await.len() == 1
    })
    .await
    .unwrap();
    let albums = auto_albums(&env, &ann).await;
    assert_eq!(names(&albums), ["May 2024"]);
    let may = albums[0].1.clone();
    eventually(30, "the image in May 2024", || async {
        album_images(&env, &ann, &may).await == [first.clone()]
    })
    .await
    .unwrap();

    // Another photo of the same month joins the same album.
    let second = env
        .upload(&ann, &exif_jpeg(82, "2024:05:20 09:00:00"), "image/jpeg")
        .await;
    assert_eq!(env.settled(&ann, &second).await["status"], "ready");
    eventually(30, "both images in May 2024", || async {
        album_images(&env, &ann, &may).await.len() == 2
    })
    .await
    .unwrap();
    assert_eq!(names(&auto_albums(&env, &ann).await), ["May 2024"]);

    // An event and a named place, then the same image.ready delivered twice
    // in one batch and once more: one album per key, one membership each.
    let (s, b) = env
        .call(
            Method::PATCH,
            &format!("/v1/images/{first}"),
            Some(&ann),
            Some(json!({"attributes": {"event": "Kyoto Trip", "place": {"name": "Kyoto"}}})),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{b}");
    for copies in [2, 1] {
        let r = env
            .stack
            .classifier
            .handle_batch(ready_event(&owner, &first, copies))
            .await;
        assert!(r.batch_item_failures.is_empty());
    }
    let albums = auto_albums(&env, &ann).await;
    assert_eq!(names(&albums), ["Kyoto", "Kyoto Trip", "May 2024"]);
    for (name, id) in &albums {
        let mut images = album_images(&env, &ann, id).await;
        images.sort();
        let mut want = if name == "May 2024" {
            vec![first.clone(), second.clone()]
        } else {
            vec![first.clone()]
        };
        want.sort();
        assert_eq!(images, want, "album {name}");
    }

    // Albums are per customer: Bob's photo of May 2024 gets his own album.
    let bob = env.customer().await;
    let his = env
        .upload(&bob, &exif_jpeg(81, "2024:05:03 14:30:00"), "image/jpeg")
        .await;
    assert_eq!(env.settled(&bob, &his).await["status"], "ready");
    eventually(30, "Bob's own May 2024 album", || async {
        auto_albums(&env, &bob).await.len() == 1
    })
    .await
    .unwrap();
    let bobs = auto_albums(&env, &bob).await;
    assert_ne!(bobs[0].1, may);
    assert_eq!(album_images(&env, &bob, &bobs[0].1).await, [his]);
    assert_eq!(auto_albums(&env, &ann).await.len(), 3);
}

#[tokio::test]
async fn images_that_are_gone_or_not_ready_are_skipped_without_retry() {
    let env = TestEnv::with(|o| o.run_pollers = false).await;
    let ann = env.customer().await;
    let owner = owner_of(&env, &ann).await;
    // Never finalised (no poller): still pending.
    let pending = env
        .upload(&ann, &exif_jpeg(83, "2024:05:03 14:30:00"), "image/jpeg")
        .await;
    let gone = ImageId::generate().to_string();
    for id in [&pending, &gone] {
        let r = env
            .stack
            .classifier
            .handle_batch(ready_event(&owner, id, 1))
            .await;
        assert!(r.batch_item_failures.is_empty(), "{id}");
    }
    assert!(auto_albums(&env, &ann).await.is_empty());
}

#[tokio::test]
async fn a_poison_message_ends_in_the_image_events_dlq_and_the_rest_is_filed() {
    let env = TestEnv::with(|o| {
        o.run_pollers = false;
        o.image_events_queue = QueueSettings {
            visibility_timeout_secs: 1,
            max_receive_count: 3,
        };
    })
    .await;
    let ann = env.customer().await;
    let id = env
        .upload(&ann, &exif_jpeg(84, "2023:12:24 20:00:00"), "image/jpeg")
        .await;
    // Play upload-finalise until the image is ready; it announces the image.
    let mut polls = 0;
    loop {
        let (_, image) = env
            .call(Method::GET, &format!("/v1/images/{id}"), Some(&ann), None)
            .await;
        if image["status"] != "pending" {
            assert_eq!(image["status"], "ready", "{image}");
            break;
        }
        env.stack.finalise_once(1).await.unwrap();
        polls += 1;
        assert!(polls < 30, "never finalised");
    }
    let queue = env.stack.resources.image_events_queue_url.clone();
    let poison = "{\"kind\": \"image.ready\", \"owner\": 42}";
    env.stack
        .clients
        .sqs
        .send_message()
        .queue_url(&queue)
        .message_body(poison)
        .send()
        .await
        .unwrap();

    // Play classify's event source mapping until the queue is empty. The
    // queue's visibility timeout is 1 s and maxReceiveCount 3 here.
    let mut polls = 0;
    while env.queue_depth(&queue).await.unwrap() > 0 {
        env.stack.classify_once(2).await.unwrap();
        polls += 1;
        assert!(polls < 30, "image-events queue never drained");
    }
    let parked = env.drain(&env.stack.resources.image_events_dlq_url).await;
    assert_eq!(parked, [poison], "only the poison is parked");
    let albums = auto_albums(&env, &ann).await;
    assert_eq!(names(&albums), ["December 2023"]);
    assert_eq!(album_images(&env, &ann, &albums[0].1).await, [id]);
}

const FIXTURE_CUSTOMER: &str = "cus_01JD0000000000000000000000";
const FIXTURE_IMAGE: &str = "img_01JD0000000000000000000001";

fn fixture() -> SqsEvent {
    serde_json::from_str(include_str!("../../events/classify/image-ready.json")).unwrap()
}

#[tokio::test]
async fn the_image_ready_fixture_files_the_fixture_image_when_it_is_ready() {
    let env = TestEnv::with(|o| o.run_pollers = false).await;
    let owner = CustomerId::parse(FIXTURE_CUSTOMER).unwrap();
    let id = ImageId::parse(FIXTURE_IMAGE).unwrap();
    let (images, albums) = (
        &env.stack.api_state.stores.images,
        &env.stack.api_state.stores.albums,
    );

    // Not there yet, then pending: skipped, not failed.
    for step in ["gone", "pending"] {
        if step == "pending" {
            images
                .put_pending(&Image {
                    id: id.clone(),
                    owner: owner.clone(),
                    status: ImageStatus::Pending,
                    file_name: None,
                    declared_type: "image/jpeg".into(),
                    declared_bytes: 1000,
                    created_at: "2026-11-21T10:00:00Z".into(),
                    rejection: None,
                    duplicate_of: None,
                    finalised: None,
                    attributes: Default::default(),
                    selected: false,
                    class: Default::default(),
                    prices: None,
                    albums: Vec::new(),
                    rev: 0,
                    deleting: false,
                    own_index_move: None,
                })
                .await
                .unwrap();
        }
        let r = env.stack.classifier.handle_batch(fixture()).await;
        assert!(r.batch_item_failures.is_empty(), "{step}");
        assert!(albums.list(&owner).await.unwrap().is_empty(), "{step}");
    }

    let settled = images
        .settle(
            &owner,
            &id,
            &Outcome::Ready {
                finalised: Finalised {
                    format: "jpeg".into(),
                    bytes: 1000,
                    width: 640,
                    height: 480,
                    sha256: "00".repeat(32),
                    phash: "0000000000000000".into(),
                    finalised_at: "2026-11-21T10:00:01Z".into(),
                },
                attributes: Attributes {
                    taken_at: Some("2024-05-03T14:30:00".into()),
                    event: Some("Kyoto Trip".into()),
                    ..Default::default()
                },
            },
        )
        .await
        .unwrap();
    assert!(settled);
    for _ in 0..2 {
        let r = env.stack.classifier.handle_batch(fixture()).await;
        assert!(r.batch_item_failures.is_empty());
    }
    let mut filed: Vec<(String, Value)> = Vec::new();
    for a in albums.list(&owner).await.unwrap() {
        assert_eq!(a.kind, AlbumKind::Auto);
        let page = albums.images(&a.album_id, 10, None).await.unwrap();
        filed.push((
            a.auto_key.clone().unwrap(),
            json!(page.items.iter().map(ToString::to_string).collect::<Vec<_>>()),
        ));
    }
    filed.sort_by(|a, b| a.0.cmp(&b.0));
    assert_eq!(
        filed,
        [
            ("event:kyoto trip".to_string(), json!([FIXTURE_IMAGE])),
            ("month:2024-05".to_string(), json!([FIXTURE_IMAGE])),
        ]
    );

    // The owner drops the event and moves the date; the attributes-changed
    // fixture (what the api then sends) files the image again, twice over.
    let before = images.get(&owner, &id).await.unwrap().unwrap();
    let mut after = before.clone();
    after.attributes.event = None;
    after.attributes.taken_at = Some("2024-06-01T08:00:00".into());
    images
        .save_details(&before, &after, &env.stack.api_state.stores.search)
        .await
        .unwrap();
    let changed: SqsEvent =
        serde_json::from_str(include_str!("../../events/classify/attributes-changed.json")).unwrap();
    for _ in 0..2 {
        let r = env.stack.classifier.handle_batch(changed.clone()).await;
        assert!(r.batch_item_failures.is_empty());
    }
    let mut filed: Vec<(String, usize)> = Vec::new();
    for a in albums.list(&owner).await.unwrap() {
        let page = albums.images(&a.album_id, 10, None).await.unwrap();
        filed.push((a.auto_key.clone().unwrap(), page.items.len()));
    }
    filed.sort();
    assert_eq!(
        filed,
        [
            ("event:kyoto trip".to_string(), 0),
            ("month:2024-05".to_string(), 0),
            ("month:2024-06".to_string(), 1),
        ],
        "out of the albums it left, into the new month; empty albums stay until their owner deletes them"
    );
}

/// Takes the S3 event bodies waiting in the uploads queue (skipping S3's test event).
async fn upload_events(env: &TestEnv, n: usize) -> Vec<String> {
    let mut bodies = Vec::new();
    for _ in 0..20 {
        let got = env.drain(&env.stack.resources.uploads_queue_url).await;
        bodies.extend(got.into_iter().filter(|b| !b.contains("s3:TestEvent")));
        if bodies.len() >= n {
            break;
        }
    }
    assert_eq!(bodies.len(), n, "{bodies:?}");
    bodies
}

fn sqs_event(bodies: &[&str]) -> SqsEvent {
    let mut e = SqsEvent::default();
    for (i, b) in bodies.iter().enumerate() {
        let mut m = SqsMessage::default();
        m.message_id = Some(format!("m{i}"));
        m.body = Some((*b).to_owned());
        e.records.push(m);
    }
    e
}

#[tokio::test]
async fn only_ready_uploads_are_announced_and_a_redelivery_announces_again() {
    let env = TestEnv::with(|o| o.run_pollers = false).await;
    let ann = env.customer().await;
    let owner = owner_of(&env, &ann).await;
    let events = env.stack.resources.image_events_queue_url.clone();
    let good = env
        .upload(&ann, &exif_jpeg(85, "2024:05:03 14:30:00"), "image/jpeg")
        .await;
    let bad = env.upload(&ann, &testkit::not_an_image(), "image/jpeg").await;
    let bodies = upload_events(&env, 2).await;
    let bodies: Vec<&str> = bodies.iter().map(String::as_str).collect();
    let r = env.stack.finaliser.handle_batch(sqs_event(&bodies)).await;
    assert!(r.batch_item_failures.is_empty());
    assert_eq!(env.settled(&ann, &good).await["status"], "ready");
    assert_eq!(env.settled(&ann, &bad).await["status"], "rejected");

    let want = ImageEvent::ready(&owner, &ImageId::parse(&good).unwrap()).to_body();
    assert_eq!(
        env.drain(&events).await,
        std::slice::from_ref(&want),
        "one image.ready, for the ready upload only"
    );

    // As if the first delivery crashed between settling and announcing: the
    // announcement is lost, and the S3 event comes again.
    let r = env.stack.finaliser.handle_batch(sqs_event(&bodies)).await;
    assert!(r.batch_item_failures.is_empty());
    assert_eq!(env.drain(&events).await, [want]);
    assert_eq!(env.keys_of(&good).await.len(), 3, "no incoming left");
}

#[tokio::test]
async fn customer_information_names_albums_too() {
    let env = TestEnv::start().await;
    let token = env.customer().await;
    let profile = serde_json::json!({"birthday": "1990-05-03",
        "named_dates": [{"label": "Wedding anniversary", "date": "2015-08-10"}]});
    assert_eq!(
        env.call(Method::PATCH, "/v1/profile", Some(&token), Some(profile))
            .await
            .0,
        StatusCode::OK
    );
    let birthday = env
        .upload(&token, &exif_jpeg(301, "2024:05:03 09:00:00"), "image/jpeg")
        .await;
    let wedding = env
        .upload(&token, &exif_jpeg(302, "2023:08:10 19:30:00"), "image/jpeg")
        .await;
    integration_tests::eventually(30, "the date albums", || async {
        let n = auto_albums(&env, &token).await;
        let names = names(&n);
        names.contains(&"Birthday") && names.contains(&"Wedding anniversary")
    })
    .await
    .unwrap();
    let albums = auto_albums(&env, &token).await;
    let id_of = |name: &str| albums.iter().find(|(n, _)| n == name).unwrap().1.clone();
    assert_eq!(
        album_images(&env, &token, &id_of("Birthday")).await,
        vec![birthday]
    );
    assert_eq!(
        album_images(&env, &token, &id_of("Wedding anniversary")).await,
        vec![wedding]
    );
}

#[tokio::test]
async fn an_attribute_edit_moves_the_image_between_automatic_albums_but_keeps_the_owners_choices() {
    let env = TestEnv::start().await;
    let ann = env.customer().await;
    let owner = owner_of(&env, &ann).await;
    let moved = env
        .upload(&ann, &exif_jpeg(91, "2024:05:03 14:30:00"), "image/jpeg")
        .await;
    let other = env
        .upload(&ann, &exif_jpeg(92, "2023:08:10 10:00:00"), "image/jpeg")
        .await;
    for id in [&moved, &other] {
        assert_eq!(env.settled(&ann, id).await["status"], "ready");
    }
    let album_of = |albums: &[(String, String)], name: &str| {
        albums.iter().find(|(n, _)| n == name).map(|(_, id)| id.clone())
    };
    eventually(30, "May 2024 and August 2023, one image each", || async {
        let albums = auto_albums(&env, &ann).await;
        let (Some(may), Some(august)) = (album_of(&albums, "May 2024"), album_of(&albums, "August 2023"))
        else {
            return false;
        };
        album_images(&env, &ann, &may).await == [moved.clone()]
            && album_images(&env, &ann, &august).await == [other.clone()]
    })
    .await
    .unwrap();
    let albums = auto_albums(&env, &ann).await;
    let (may, august) = (
        album_of(&albums, "May 2024").unwrap(),
        album_of(&albums, "August 2023").unwrap(),
    );
    // Ann also puts the May photo in "August 2023" herself.
    let (s, b) = env
        .call(
            Method::PUT,
            &format!("/v1/albums/{august}/images/{moved}"),
            Some(&ann),
            None,
        )
        .await;
    assert_eq!(s, StatusCode::NO_CONTENT, "{b}");

    // She corrects the date taken and names the event: the api announces the
    // edit and classify files the image again.
    let (s, b) = env
        .call(
            Method::PATCH,
            &format!("/v1/images/{moved}"),
            Some(&ann),
            Some(json!({"attributes": {"taken_at": "2022-12-25T10:00:00", "event": "Christmas"}})),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{b}");
    eventually(
        30,
        "the image in December 2022 and Christmas, out of May 2024",
        || async {
            let albums = auto_albums(&env, &ann).await;
            let (Some(december), Some(christmas)) =
                (album_of(&albums, "December 2022"), album_of(&albums, "Christmas"))
            else {
                return false;
            };
            album_images(&env, &ann, &december).await == [moved.clone()]
                && album_images(&env, &ann, &christmas).await == [moved.clone()]
                && album_images(&env, &ann, &may).await.is_empty()
        },
    )
    .await
    .unwrap();
    // Her own choice stays: the image is still in "August 2023" by hand.
    let mut in_august = album_images(&env, &ann, &august).await;
    in_august.sort();
    let mut want = vec![moved.clone(), other.clone()];
    want.sort();
    assert_eq!(in_august, want);
    // The image record lists exactly its albums (what album grants check).
    let record = env
        .stack
        .api_state
        .stores
        .images
        .get(&owner, &ImageId::parse(&moved).unwrap())
        .await
        .unwrap()
        .unwrap();
    let mut held: Vec<String> = record.albums.iter().map(ToString::to_string).collect();
    held.sort();
    let albums = auto_albums(&env, &ann).await;
    let mut want = vec![
        august.clone(),
        album_of(&albums, "December 2022").unwrap(),
        album_of(&albums, "Christmas").unwrap(),
    ];
    want.sort();
    assert_eq!(held, want);

    // The same event again, twice, changes nothing.
    let event = ImageEvent::attributes_changed(&owner, &ImageId::parse(&moved).unwrap());
    for _ in 0..2 {
        let filed = env.stack.classifier.classify(&event).await.unwrap();
        assert_eq!(
            filed,
            Classified::Filed {
                albums: 2,
                added: 0,
                removed: 0
            }
        );
    }

    // A bulk edit of the event moves it too.
    let (s, b) = env
        .call(
            Method::POST,
            "/v1/images/attributes",
            Some(&ann),
            Some(json!({"image_ids": [moved], "attributes": {"event": "New Year"}})),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{b}");
    assert_eq!(b["results"][0]["status"], "updated", "{b}");
    eventually(30, "the image out of Christmas and in New Year", || async {
        let albums = auto_albums(&env, &ann).await;
        let (Some(christmas), Some(new_year)) =
            (album_of(&albums, "Christmas"), album_of(&albums, "New Year"))
        else {
            return false;
        };
        album_images(&env, &ann, &christmas).await.is_empty()
            && album_images(&env, &ann, &new_year).await == [moved.clone()]
    })
    .await
    .unwrap();
}

#[tokio::test]
async fn a_deleted_automatic_album_stays_deleted() {
    let env = TestEnv::start().await;
    let ann = env.customer().await;
    let owner = owner_of(&env, &ann).await;
    let id = env
        .upload(&ann, &exif_jpeg(95, "2024:05:03 14:30:00"), "image/jpeg")
        .await;
    assert_eq!(env.settled(&ann, &id).await["status"], "ready");
    eventually(30, "the May 2024 album", || async {
        auto_albums(&env, &ann).await.len() == 1
    })
    .await
    .unwrap();
    let may = auto_albums(&env, &ann).await[0].1.clone();
    eventually(30, "the image in May 2024", || async {
        album_images(&env, &ann, &may).await == [id.clone()]
    })
    .await
    .unwrap();
    let (s, b) = env
        .call(Method::DELETE, &format!("/v1/albums/{may}"), Some(&ann), None)
        .await;
    assert_eq!(s, StatusCode::NO_CONTENT, "{b}");

    // The image.ready comes again, and another photo of May 2024 arrives:
    // neither brings the album back.
    let ready = ImageEvent::ready(&owner, &ImageId::parse(&id).unwrap());
    assert_eq!(
        env.stack.classifier.classify(&ready).await.unwrap(),
        Classified::Filed {
            albums: 1,
            added: 0,
            removed: 0
        }
    );
    let second = env
        .upload(&ann, &exif_jpeg(96, "2024:05:20 09:00:00"), "image/jpeg")
        .await;
    assert_eq!(env.settled(&ann, &second).await["status"], "ready");
    let filed = ImageEvent::ready(&owner, &ImageId::parse(&second).unwrap());
    assert_eq!(
        env.stack.classifier.classify(&filed).await.unwrap(),
        Classified::Filed {
            albums: 1,
            added: 0,
            removed: 0
        }
    );
    assert!(auto_albums(&env, &ann).await.is_empty());
    let (s, image) = env
        .call(Method::GET, &format!("/v1/images/{id}"), Some(&ann), None)
        .await;
    assert_eq!(s, StatusCode::OK, "the image itself stays: {image}");

    // Other keys still make albums.
    let (s, b) = env
        .call(
            Method::PATCH,
            &format!("/v1/images/{second}"),
            Some(&ann),
            Some(json!({"attributes": {"event": "Picnic"}})),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{b}");
    eventually(30, "the Picnic album", || async {
        names(&auto_albums(&env, &ann).await) == ["Picnic"]
    })
    .await
    .unwrap();
}
