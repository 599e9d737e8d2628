//! M12 automatic albums, against moto: upload-finalise announces each ready
//! image on the image-events queue and classify files it by month, event and
//! named place; repeats change nothing, images that are gone or not ready
//! are skipped, and a poison message ends in the image-events DLQ.

use aws_lambda_events::sqs::{SqsEvent, SqsMessage};
use integration_tests::{eventually, testkit, TestEnv};
use local_runner::provision::QueueSettings;
use printvault_adapters::image_events::ImageReady;
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
    let body = ImageReady {
        owner: owner.clone(),
        image_id: ImageId::parse(image_id).unwrap(),
    }
    .to_body();
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
    let (images, albums) = (&env.stack.api_state.images, &env.stack.api_state.albums);

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

    let want = ImageReady {
        owner,
        image_id: ImageId::parse(&good).unwrap(),
    }
    .to_body();
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
