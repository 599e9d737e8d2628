//! M14 search: each caller finds exactly what they may see, class changes
//! apply at once, results come in pages, and bad queries are refused.

use integration_tests::{eventually, testkit, TestEnv};
use printvault_domain::access::Class;
use printvault_domain::ids::{CustomerId, ImageId};
use printvault_domain::image::{Attributes, Image};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use std::collections::BTreeSet;

async fn image(env: &TestEnv, token: &str, seed: u64, attrs: Value, class: Value) -> String {
    let id = env
        .upload(token, &testkit::photo_png(64, 48, seed), "image/png")
        .await;
    assert_eq!(env.settled(token, &id).await["status"], "ready");
    let (s, b) = env
        .call(
            Method::PATCH,
            &format!("/v1/images/{id}"),
            Some(token),
            Some(json!({"attributes": attrs})),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{b}");
    let (s, b) = env
        .call(
            Method::PUT,
            &format!("/v1/images/{id}/class"),
            Some(token),
            Some(class),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{b}");
    id
}

async fn found(env: &TestEnv, token: Option<&str>, query: &str) -> BTreeSet<String> {
    let (s, b) = env
        .call(Method::GET, &format!("/v1/search?{query}"), token, None)
        .await;
    assert_eq!(s, StatusCode::OK, "{b}");
    b["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["image_id"].as_str().unwrap().to_owned())
        .collect()
}

fn set(ids: &[&String]) -> BTreeSet<String> {
    ids.iter().map(|s| s.to_string()).collect()
}

#[tokio::test]
async fn each_caller_finds_exactly_what_they_may_see() {
    let env = TestEnv::start().await;
    let (ann, bob, carol, dave, eve) = (
        env.customer().await,
        env.customer().await,
        env.customer().await,
        env.customer().await,
        env.customer().await,
    );
    let email = |t: &str| {
        let t = t.to_owned();
        let env = &env;
        async move { env.call(Method::GET, "/v1/profile", Some(&t), None).await.1["email"].clone() }
    };
    let fuji = json!({"keywords": ["Mt. Fuji"], "event": "Summer trip", "taken_at": "2024-05-03T10:00:00"});
    let private = json!({"class": "private"});
    let p1 = image(&env, &ann, 1, fuji.clone(), private.clone()).await;
    let v1 = image(&env, &ann, 2, fuji.clone(), json!({"class": "viewable"})).await;
    let r1 = image(
        &env,
        &ann,
        3,
        json!({"keywords": ["mt. fuji"], "taken_at": "2023-01-01T09:00:00"}),
        json!({"class": "printable", "prices": {"L": 150, "2L": 400}}),
    )
    .await;
    let p3 = image(&env, &ann, 4, fuji.clone(), private.clone()).await;
    let e1 = image(
        &env,
        &eve,
        5,
        json!({"keywords": ["mt. fuji"]}),
        json!({"class": "printable", "prices": {"L": 100, "2L": 200}}),
    )
    .await;
    let e2 = image(&env, &eve, 6, json!({"keywords": ["mt. fuji"]}), private.clone()).await;

    // Bob is in Ann's group; Carol holds a grant of an album with p3.
    let (_, g) = env
        .call(
            Method::POST,
            "/v1/groups",
            Some(&ann),
            Some(json!({"name": "Family"})),
        )
        .await;
    let gid = g["group_id"].as_str().unwrap();
    env.call(
        Method::POST,
        &format!("/v1/groups/{gid}/invitations"),
        Some(&ann),
        Some(json!({"email": email(&bob).await})),
    )
    .await;
    assert_eq!(
        env.call(
            Method::POST,
            &format!("/v1/groups/{gid}/accept"),
            Some(&bob),
            None
        )
        .await
        .0,
        StatusCode::OK
    );
    let (_, album) = env
        .call(
            Method::POST,
            "/v1/albums",
            Some(&ann),
            Some(json!({"name": "For Carol"})),
        )
        .await;
    let aid = album["album_id"].as_str().unwrap();
    env.call(
        Method::PUT,
        &format!("/v1/albums/{aid}/images/{p3}"),
        Some(&ann),
        None,
    )
    .await;
    let (s, _) = env
        .call(
            Method::POST,
            "/v1/grants",
            Some(&ann),
            Some(json!({"album_id": aid, "grantee_email": email(&carol).await})),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED);

    // Indexing of new images runs asynchronously (classify); wait for Ann's own view.
    let all_ann = set(&[&p1, &v1, &r1, &p3]);
    let q = "q=Mt.%20Fuji";
    eventually(30, "Ann's images to be searchable", || async {
        found(&env, Some(&ann), q).await.is_superset(&all_ann)
    })
    .await
    .unwrap();

    let public = set(&[&v1, &r1, &e1]);
    assert_eq!(
        found(&env, None, q).await,
        public,
        "anonymous: strangers' viewable and printable only"
    );
    assert_eq!(found(&env, Some(&dave), q).await, public, "a stranger likewise");
    assert_eq!(found(&env, Some(&ann), q).await, set(&[&p1, &v1, &r1, &p3, &e1]));
    assert_eq!(
        found(&env, Some(&bob), q).await,
        set(&[&p1, &v1, &r1, &p3, &e1]),
        "a group member: Ann's as own"
    );
    assert_eq!(
        found(&env, Some(&carol), q).await,
        set(&[&v1, &r1, &p3, &e1]),
        "a grantee: the granted album's image"
    );
    assert_eq!(found(&env, Some(&eve), q).await, set(&[&v1, &r1, &e1, &e2]));

    // What a result says: class, prices for printable, the relation, the mark.
    let (_, b) = env
        .call(Method::GET, &format!("/v1/search?{q}"), None, None)
        .await;
    for r in b["results"].as_array().unwrap() {
        match r["image_id"].as_str().unwrap() {
            id if id == r1 => assert_eq!(r["prices"], json!({"L": 150, "2L": 400})),
            id if id == v1 => assert_eq!(r["preview_marked"], true),
            _ => {}
        }
        assert_eq!(r["relation"], "public");
    }
    let (_, b) = env
        .call(Method::GET, &format!("/v1/search?{q}"), Some(&carol), None)
        .await;
    let p3_result = b["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["image_id"] == p3.as_str())
        .unwrap()
        .clone();
    assert_eq!(p3_result["relation"], "granted");

    // Attribute filters and date ranges.
    assert_eq!(
        found(&env, Some(&ann), "event=summer%20trip").await,
        set(&[&p1, &v1, &p3])
    );
    assert_eq!(
        found(&env, Some(&ann), "q=mt.%20fuji&from=2023-01-01&to=2023-12-31").await,
        set(&[&r1])
    );
    assert_eq!(
        found(&env, None, "from=2024-05-01&to=2024-05-31").await,
        set(&[&v1])
    );

    // A class change applies to every caller at once.
    let (s, _) = env
        .call(
            Method::PUT,
            &format!("/v1/images/{r1}/class"),
            Some(&ann),
            Some(private.clone()),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(found(&env, None, q).await, set(&[&v1, &e1]));
    assert!(
        found(&env, Some(&ann), q).await.contains(&r1),
        "still the owner's"
    );

    // Pages: every result once, newest first.
    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let path = match &cursor {
            Some(c) => format!("/v1/search?{q}&limit=2&cursor={c}"),
            None => format!("/v1/search?{q}&limit=2"),
        };
        let (s, b) = env.call(Method::GET, &path, Some(&ann), None).await;
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

    for bad in [
        "from=yesterday",
        "limit=0",
        "limit=1000",
        "cursor=garbage",
        "from=2024-02-01&to=2024-01-01",
        "colour=red",
    ] {
        let (s, b) = env
            .call(Method::GET, &format!("/v1/search?{bad}"), None, None)
            .await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{bad}: {b}");
    }

    // Deleting an image removes it from every index.
    env.call(Method::DELETE, &format!("/v1/images/{v1}"), Some(&ann), None)
        .await;
    assert!(!found(&env, None, q).await.contains(&v1));
    assert!(!found(&env, Some(&ann), q).await.contains(&v1));
}

#[tokio::test]
async fn the_index_follows_small_and_large_edits() {
    let env = TestEnv::start().await;
    let ann = env.customer().await;
    // 39 keywords: with `*` the image has the most terms an image may have,
    // so a change that re-keys every item is too big for one transaction.
    let keywords: Vec<String> = (0..39).map(|i| format!("k{i}")).collect();
    let id = image(
        &env,
        &ann,
        61,
        json!({"keywords": keywords, "taken_at": "2021-04-01T10:00:00"}),
        json!({"class": "private"}),
    )
    .await;
    let only = set(&[&id]);
    let edit = |attrs: Value| {
        let env = &env;
        let ann = &ann;
        let id = &id;
        async move {
            let (s, b) = env
                .call(
                    Method::PATCH,
                    &format!("/v1/images/{id}"),
                    Some(ann),
                    Some(json!({"attributes": attrs})),
                )
                .await;
            assert_eq!(s, StatusCode::OK, "{b}");
        }
    };
    assert_eq!(found(&env, Some(&ann), "q=k5").await, only);

    // A small edit (one keyword swapped) moves the owner index with the record.
    let mut swapped = keywords.clone();
    swapped[5] = "z5".into();
    edit(json!({"keywords": swapped})).await;
    assert!(found(&env, Some(&ann), "q=k5").await.is_empty());
    assert_eq!(found(&env, Some(&ann), "q=z5").await, only);

    // Public now: every public and owner item is written.
    let (s, b) = env
        .call(
            Method::PUT,
            &format!("/v1/images/{id}/class"),
            Some(&ann),
            Some(json!({"class": "viewable"})),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{b}");
    assert_eq!(found(&env, None, "q=z5").await, only);

    // A new date re-keys all 40 public and 40 owner items (160 writes): the
    // owner index follows the transaction, and both searches agree.
    edit(json!({"taken_at": "2019-07-07T07:00:00"})).await;
    for caller in [Some(ann.as_str()), None] {
        assert_eq!(
            found(&env, caller, "q=k38&from=2019-07-01&to=2019-07-31").await,
            only,
            "{caller:?}"
        );
        assert!(
            found(&env, caller, "q=k38&from=2021-04-01&to=2021-04-30")
                .await
                .is_empty(),
            "{caller:?}"
        );
    }
}

/// A ready, viewable image record of `owner` with `keywords`, taken on `day`.
fn indexed_image(owner: &CustomerId, keywords: &[&str], camera: Option<&str>, day: u32) -> Image {
    integration_tests::ready_image_record(
        owner,
        Class::Viewable,
        Attributes {
            taken_at: Some(format!("2024-01-{day:02}T12:00:00")),
            keywords: keywords.iter().map(|k| k.to_string()).collect(),
            camera: camera.map(str::to_owned),
            ..Default::default()
        },
    )
}

#[tokio::test]
async fn a_page_reads_a_bounded_number_of_items_and_says_where_to_go_on() {
    let env = TestEnv::with(|o| {
        o.settings.search.default_page_size = 5;
        o.settings.search.max_page_size = 5;
        o.settings.search.max_items_per_page = 10;
    })
    .await;
    // 40 images share a popular keyword; only the oldest has a rare camera.
    let owner = CustomerId::generate();
    let mut images: Vec<Image> = (2..=28)
        .map(|day| indexed_image(&owner, &["popular"], None, day))
        .collect();
    let rare = indexed_image(&owner, &["popular"], Some("Rare Cam"), 1);
    images.push(rare.clone());
    env.stack
        .api_state
        .stores
        .search
        .put_public_and_own(&images)
        .await
        .unwrap();

    // A popular term is write-sharded: its items spread over the public
    // partitions instead of piling into one.
    let mut per_shard = Vec::new();
    for pk in env.stack.api_state.stores.search.public_partitions("kw:popular") {
        let out = env
            .stack
            .clients
            .dynamodb
            .query()
            .table_name(&env.stack.resources.names.images_table)
            .key_condition_expression("pk = :pk")
            .expression_attribute_values(":pk", aws_sdk_dynamodb::types::AttributeValue::S(pk))
            .select(aws_sdk_dynamodb::types::Select::Count)
            .send()
            .await
            .unwrap();
        per_shard.push(out.count as usize);
    }
    assert_eq!(per_shard.len(), 4);
    assert_eq!(per_shard.iter().sum::<usize>(), 28);
    // (Shards come from a hash of random IDs: three or more of four are
    // non-empty all but once in ~10^7 runs.)
    assert!(
        per_shard.iter().filter(|&&n| n > 0).count() >= 3,
        "spread over the shards: {per_shard:?}"
    );

    // Each page stops after about 10 index items, found or not, and hands
    // out a cursor; following the cursors finds the rare one.
    let mut cursor: Option<String> = None;
    let mut found = Vec::new();
    let mut pages = 0;
    loop {
        let mut path = "/v1/search?q=popular&camera=rare%20cam".to_string();
        if let Some(c) = &cursor {
            path.push_str(&format!("&cursor={c}"));
        }
        let res = env.http.get(env.url(&path)).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::OK);
        let read: usize = res.headers()["x-search-items-read"]
            .to_str()
            .unwrap()
            .parse()
            .unwrap();
        assert!(read <= 10 + 4 * 3, "page {pages} read {read} items");
        let body: Value = res.json().await.unwrap();
        for r in body["results"].as_array().unwrap() {
            found.push(r["image_id"].as_str().unwrap().to_owned());
        }
        pages += 1;
        assert!(pages < 20, "never finished");
        match body["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_owned()),
            None => break,
        }
    }
    assert_eq!(found, [rare.id.to_string()]);
    assert!(pages >= 3, "the 28 items took {pages} pages");
}

#[tokio::test]
async fn an_owner_index_move_cut_short_is_finished_by_the_next_save() {
    use aws_sdk_dynamodb::types::AttributeValue as Av;
    use printvault_adapters::{keys, search::SearchIndex};

    let env = TestEnv::start().await;
    let ann = env.customer().await;
    let keywords: Vec<String> = (0..39).map(|i| format!("k{i}")).collect();
    let raw_id = image(
        &env,
        &ann,
        63,
        json!({"keywords": keywords, "taken_at": "2021-04-01T10:00:00"}),
        json!({"class": "private"}),
    )
    .await;
    let (_, me) = env.call(Method::GET, "/v1/profile", Some(&ann), None).await;
    let owner = CustomerId::parse(me["customer_id"].as_str().unwrap()).unwrap();
    let id = ImageId::parse(&raw_id).unwrap();
    let api = &env.stack.api_state;
    let before = api.stores.images.get(&owner, &id).await.unwrap().unwrap();
    let from = SearchIndex::own_index_of(&before).unwrap();

    // A new date was saved and the move noted, then the process stopped
    // before the owner index moved (as save_details does it in two steps).
    env.stack
        .clients
        .dynamodb
        .update_item()
        .table_name(&env.stack.resources.names.images_table)
        .key("pk", Av::S(keys::customer_pk(&owner)))
        .key("sk", Av::S(keys::image_sk(&id)))
        .update_expression("SET attributes.taken_at = :t, own_index_move = :mv, #rev = #rev + :one")
        .expression_attribute_names("#rev", "rev")
        .expression_attribute_values(":t", Av::S("2019-07-07T07:00:00".into()))
        .expression_attribute_values(
            ":mv",
            Av::M(
                [
                    ("sort_key".to_string(), Av::S(from.sort_key.clone())),
                    (
                        "terms".to_string(),
                        Av::L(from.terms.iter().map(|t| Av::S(t.clone())).collect()),
                    ),
                ]
                .into(),
            ),
        )
        .expression_attribute_values(":one", Av::N("1".into()))
        .send()
        .await
        .unwrap();
    let only = set(&[&raw_id]);
    let old = "q=k5&from=2021-04-01&to=2021-04-30";
    let new = "q=k5&from=2019-07-01&to=2019-07-31";
    assert_eq!(
        found(&env, Some(&ann), old).await,
        only,
        "the stale state is real"
    );
    assert!(found(&env, Some(&ann), new).await.is_empty());

    // Repeating the edit finishes the move first.
    let (s, b) = env
        .call(
            Method::PATCH,
            &format!("/v1/images/{raw_id}"),
            Some(&ann),
            Some(json!({"attributes": {"taken_at": "2019-07-07T07:00:00"}})),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{b}");
    assert!(found(&env, Some(&ann), old).await.is_empty());
    assert_eq!(found(&env, Some(&ann), new).await, only);
    let after = api.stores.images.get(&owner, &id).await.unwrap().unwrap();
    assert_eq!(after.own_index_move, None);
}

#[tokio::test]
async fn place_person_and_camera_filters_find_exactly_their_images() {
    let env = TestEnv::start().await;
    let ann = env.customer().await;
    let viewable = json!({"class": "viewable"});
    let kyoto = image(
        &env,
        &ann,
        71,
        json!({"place": {"name": "Kyoto"}, "people": ["Ann", "Ken"], "camera": "Canon EOS R6"}),
        viewable.clone(),
    )
    .await;
    let osaka = image(
        &env,
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
