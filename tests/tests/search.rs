//! M14 search, against moto: each caller finds exactly what they may see,
//! results say what they are, filters narrow them, class changes and
//! deletions apply at once, results come in pages, and bad queries are
//! refused. How the index follows edits is in `search_index.rs`.

use integration_tests::{eventually, Caller, Customer, TestEnv, NO_BODY};
use reqwest::StatusCode;
use serde_json::json;
use std::collections::BTreeSet;

async fn found(env: &TestEnv, who: impl Caller, query: &str) -> BTreeSet<String> {
    env.search_ids(query, who).await.into_iter().collect()
}

fn set(ids: &[&String]) -> BTreeSet<String> {
    ids.iter().map(|s| s.to_string()).collect()
}

const Q: &str = "q=Mt.%20Fuji";

/// Ann's images of Mt. Fuji: p1 and p3 private, v1 viewable, r1 printable
/// (taken in 2023); Eve's e1 printable, e2 private. Bob is in Ann's group;
/// Carol holds a grant of an album with p3; Dave is a stranger.
struct World {
    env: TestEnv,
    ann: Customer,
    bob: Customer,
    carol: Customer,
    dave: Customer,
    eve: Customer,
    p1: String,
    v1: String,
    r1: String,
    p3: String,
    e1: String,
    e2: String,
}

async fn world() -> World {
    let env = TestEnv::start().await;
    let mut people = Vec::new();
    for _ in 0..5 {
        people.push(env.new_customer().await);
    }
    let [ann, bob, carol, dave, eve] = <[Customer; 5]>::try_from(people).unwrap();
    let fuji = json!({"keywords": ["Mt. Fuji"], "event": "Summer trip", "taken_at": "2024-05-03T10:00:00"});
    let private = json!({"class": "private"});
    let p1 = env.ready_image_with(&ann, 1, fuji.clone(), private.clone()).await;
    let v1 = env
        .ready_image_with(&ann, 2, fuji.clone(), json!({"class": "viewable"}))
        .await;
    let r1 = env
        .ready_image_with(
            &ann,
            3,
            json!({"keywords": ["mt. fuji"], "taken_at": "2023-01-01T09:00:00"}),
            json!({"class": "printable", "prices": {"L": 150, "2L": 400}}),
        )
        .await;
    let p3 = env.ready_image_with(&ann, 4, fuji.clone(), private.clone()).await;
    let e1 = env
        .ready_image_with(
            &eve,
            5,
            json!({"keywords": ["mt. fuji"]}),
            json!({"class": "printable", "prices": {"L": 100, "2L": 200}}),
        )
        .await;
    let e2 = env
        .ready_image_with(&eve, 6, json!({"keywords": ["mt. fuji"]}), private)
        .await;

    let (_, g) = env.post("/v1/groups", &ann, json!({"name": "Family"})).await;
    let gid = g["group_id"].as_str().unwrap();
    env.post(
        &format!("/v1/groups/{gid}/invitations"),
        &ann,
        json!({"email": bob.email}),
    )
    .await;
    let (s, _) = env.post(&format!("/v1/groups/{gid}/accept"), &bob, NO_BODY).await;
    assert_eq!(s, StatusCode::OK);
    let (_, album) = env.post("/v1/albums", &ann, json!({"name": "For Carol"})).await;
    let aid = album["album_id"].as_str().unwrap();
    env.put(&format!("/v1/albums/{aid}/images/{p3}"), &ann, NO_BODY)
        .await;
    let grant = json!({"album_id": aid, "grantee_email": carol.email});
    let (s, _) = env.post("/v1/grants", &ann, grant).await;
    assert_eq!(s, StatusCode::CREATED);

    // Indexing of new images runs asynchronously (classify); wait for Ann's own view.
    let all_ann = set(&[&p1, &v1, &r1, &p3]);
    eventually(30, "Ann's images to be searchable", || async {
        found(&env, &ann, Q).await.is_superset(&all_ann)
    })
    .await
    .unwrap();
    World {
        env,
        ann,
        bob,
        carol,
        dave,
        eve,
        p1,
        v1,
        r1,
        p3,
        e1,
        e2,
    }
}

#[tokio::test]
async fn each_caller_finds_exactly_what_they_may_see() {
    let w = world().await;
    let public = set(&[&w.v1, &w.r1, &w.e1]);
    assert_eq!(
        found(&w.env, None, Q).await,
        public,
        "anonymous: strangers' viewable and printable only"
    );
    assert_eq!(found(&w.env, &w.dave, Q).await, public, "a stranger likewise");
    let ann_sees = set(&[&w.p1, &w.v1, &w.r1, &w.p3, &w.e1]);
    assert_eq!(found(&w.env, &w.ann, Q).await, ann_sees);
    assert_eq!(
        found(&w.env, &w.bob, Q).await,
        ann_sees,
        "a group member: Ann's as own"
    );
    assert_eq!(
        found(&w.env, &w.carol, Q).await,
        set(&[&w.v1, &w.r1, &w.p3, &w.e1]),
        "a grantee: the granted album's image"
    );
    assert_eq!(found(&w.env, &w.eve, Q).await, set(&[&w.v1, &w.r1, &w.e1, &w.e2]));
}

#[tokio::test]
async fn a_result_says_its_class_prices_relation_and_mark() {
    let w = world().await;
    let (_, b) = w.env.get(&format!("/v1/search?{Q}"), None).await;
    for r in b["results"].as_array().unwrap() {
        match r["image_id"].as_str().unwrap() {
            id if id == w.r1 => assert_eq!(r["prices"], json!({"L": 150, "2L": 400})),
            id if id == w.v1 => assert_eq!(r["preview_marked"], true),
            _ => {}
        }
        assert_eq!(r["relation"], "public");
    }
    let (_, b) = w.env.get(&format!("/v1/search?{Q}"), &w.carol).await;
    let p3 = b["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["image_id"] == w.p3.as_str())
        .unwrap()
        .clone();
    assert_eq!(p3["relation"], "granted");
}

#[tokio::test]
async fn attribute_filters_and_date_ranges_narrow_the_results() {
    let w = world().await;
    let ann = &w.ann;
    assert_eq!(
        found(&w.env, ann, "event=summer%20trip").await,
        set(&[&w.p1, &w.v1, &w.p3])
    );
    assert_eq!(
        found(&w.env, ann, "q=mt.%20fuji&from=2023-01-01&to=2023-12-31").await,
        set(&[&w.r1])
    );
    assert_eq!(
        found(&w.env, None, "from=2024-05-01&to=2024-05-31").await,
        set(&[&w.v1])
    );
}

#[tokio::test]
async fn a_class_change_applies_to_every_caller_at_once() {
    let w = world().await;
    let (s, _) = w
        .env
        .put(
            &format!("/v1/images/{}/class", w.r1),
            &w.ann,
            json!({"class": "private"}),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(found(&w.env, None, Q).await, set(&[&w.v1, &w.e1]));
    assert!(
        found(&w.env, &w.ann, Q).await.contains(&w.r1),
        "still the owner's"
    );
}

#[tokio::test]
async fn results_come_in_pages_with_every_result_once() {
    let w = world().await;
    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let path = match &cursor {
            Some(c) => format!("/v1/search?{Q}&limit=2&cursor={c}"),
            None => format!("/v1/search?{Q}&limit=2"),
        };
        let (s, b) = w.env.get(&path, &w.ann).await;
        assert_eq!(s, StatusCode::OK, "{b}");
        seen.extend(
            b["results"]
                .as_array()
                .unwrap()
                .iter()
                .map(|r| r["image_id"].as_str().unwrap().to_owned()),
        );
        match b["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_owned()),
            None => break,
        }
    }
    assert_eq!(seen.len(), 5, "{seen:?}");
    assert_eq!(seen.iter().collect::<BTreeSet<_>>().len(), 5, "no repeats");
}

#[tokio::test]
async fn a_bad_query_is_refused() {
    let env = TestEnv::start().await;
    for bad in [
        "from=yesterday",
        "limit=0",
        "limit=1000",
        "cursor=garbage",
        "from=2024-02-01&to=2024-01-01",
        "colour=red",
    ] {
        let (s, b) = env.get(&format!("/v1/search?{bad}"), None).await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{bad}: {b}");
    }
}

#[tokio::test]
async fn deleting_an_image_removes_it_from_every_index() {
    let w = world().await;
    let (s, _) = w.env.delete(&format!("/v1/images/{}", w.v1), &w.ann).await;
    assert_eq!(s, StatusCode::NO_CONTENT);
    assert!(!found(&w.env, None, Q).await.contains(&w.v1));
    assert!(!found(&w.env, &w.ann, Q).await.contains(&w.v1));
}

#[tokio::test]
async fn place_person_and_camera_filters_find_exactly_their_images() {
    let env = TestEnv::start().await;
    let ann = env.customer().await;
    let viewable = json!({"class": "viewable"});
    let kyoto = env
        .ready_image_with(
            &ann,
            71,
            json!({"place": {"name": "Kyoto"}, "people": ["Ann", "Ken"], "camera": "Canon EOS R6"}),
            viewable.clone(),
        )
        .await;
    let osaka = env
        .ready_image_with(
            &ann,
            72,
            json!({"place": {"name": "Osaka"}, "people": ["Ken"]}),
            viewable,
        )
        .await;
    let none = BTreeSet::new();
    for caller in [None, Some(ann.as_str())] {
        assert_eq!(found(&env, caller, "place=kyoto").await, set(&[&kyoto]));
        assert_eq!(found(&env, caller, "place=Osaka").await, set(&[&osaka]));
        assert_eq!(found(&env, caller, "person=ken").await, set(&[&kyoto, &osaka]));
        assert_eq!(found(&env, caller, "person=ann").await, set(&[&kyoto]));
        assert_eq!(
            found(&env, caller, "camera=canon%20eos%20r6").await,
            set(&[&kyoto])
        );
        assert_eq!(
            found(&env, caller, "person=ken&place=osaka").await,
            set(&[&osaka])
        );
        assert_eq!(found(&env, caller, "place=nara").await, none);
    }
}
