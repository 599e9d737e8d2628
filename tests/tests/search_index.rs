//! M14 search index upkeep, against moto: the index follows small and large
//! edits (including an owner-index move cut short by a crash), popular terms
//! are write-sharded, and a page reads a bounded number of index items.
//!
//! These run on the serialised moto ([`TestEnv::serialised`]): here the
//! background classify writes the same image as the api's edits. When a
//! transaction is cancelled, moto's threaded server restores the whole
//! table as it was when that transaction began, undoing writes that landed
//! meanwhile (seen here once: a class change answered 200, then gone).

use aws_sdk_dynamodb::types::AttributeValue as Av;
use integration_tests::{image_id, Caller, TestEnv};
use printvault_adapters::{keys, search::SearchIndex};
use printvault_domain::access::Class;
use printvault_domain::ids::CustomerId;
use printvault_domain::image::{Attributes, Image};
use reqwest::StatusCode;
use serde_json::{json, Value};
use std::collections::BTreeSet;

async fn found(env: &TestEnv, who: impl Caller, query: &str) -> BTreeSet<String> {
    env.search_ids(query, who).await.into_iter().collect()
}

/// Ann's private image with 39 keywords `k0`..`k38`, taken 2021-04-01: with
/// `*` it has the most terms an image may have, so a change that re-keys
/// every item is too big for one transaction.
async fn many_keywords(seed: u64) -> (TestEnv, String, String) {
    let env = TestEnv::serialised().await;
    let ann = env.customer().await;
    let id = env
        .ready_image_with(
            &ann,
            seed,
            json!({"keywords": keywords(), "taken_at": "2021-04-01T10:00:00"}),
            json!({"class": "private"}),
        )
        .await;
    (env, ann, id)
}

fn keywords() -> Vec<String> {
    (0..39).map(|i| format!("k{i}")).collect()
}

async fn edit(env: &TestEnv, ann: &str, id: &str, attributes: Value) {
    let (s, b) = env
        .patch(
            &format!("/v1/images/{id}"),
            ann,
            json!({"attributes": attributes}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{b}");
}

async fn make_viewable(env: &TestEnv, ann: &str, id: &str) {
    let (s, b) = env
        .put(
            &format!("/v1/images/{id}/class"),
            ann,
            json!({"class": "viewable"}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{b}");
}

/// The keywords with `k5` swapped for `z5`.
fn swapped() -> Value {
    let mut k = keywords();
    k[5] = "z5".into();
    json!({"keywords": k})
}

#[tokio::test]
async fn a_small_edit_moves_the_owner_index_with_the_record() {
    let (env, ann, id) = many_keywords(61).await;
    let only = BTreeSet::from([id.clone()]);
    assert_eq!(found(&env, &ann, "q=k5").await, only);
    edit(&env, &ann, &id, swapped()).await;
    assert!(found(&env, &ann, "q=k5").await.is_empty());
    assert_eq!(found(&env, &ann, "q=z5").await, only);
}

#[tokio::test]
async fn making_an_edited_image_public_writes_every_public_item_from_its_current_terms() {
    let (env, ann, id) = many_keywords(62).await;
    edit(&env, &ann, &id, swapped()).await;
    make_viewable(&env, &ann, &id).await;
    assert_eq!(found(&env, None, "q=z5").await, BTreeSet::from([id]));
    assert!(found(&env, None, "q=k5").await.is_empty());
}

#[tokio::test]
async fn a_date_change_too_big_for_one_transaction_still_rekeys_every_item() {
    let (env, ann, id) = many_keywords(64).await;
    make_viewable(&env, &ann, &id).await;
    // A new date re-keys all 40 public and 40 owner items (160 writes): the
    // owner index follows the transaction, and both searches agree.
    edit(&env, &ann, &id, json!({"taken_at": "2019-07-07T07:00:00"})).await;
    for caller in [Some(ann.as_str()), None] {
        assert_eq!(
            found(&env, caller, "q=k38&from=2019-07-01&to=2019-07-31").await,
            BTreeSet::from([id.clone()]),
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

#[tokio::test]
async fn an_owner_index_move_cut_short_is_finished_by_the_next_save() {
    let (env, ann, raw_id) = many_keywords(63).await;
    let owner = env.owner_id(&ann).await;
    let id = image_id(&raw_id);
    let before = env.record(&owner, &id).await.unwrap();
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
    let only = BTreeSet::from([raw_id.clone()]);
    let old = "q=k5&from=2021-04-01&to=2021-04-30";
    let new = "q=k5&from=2019-07-01&to=2019-07-31";
    assert_eq!(found(&env, &ann, old).await, only, "the stale state is real");
    assert!(found(&env, &ann, new).await.is_empty());

    // Repeating the edit finishes the move first.
    edit(&env, &ann, &raw_id, json!({"taken_at": "2019-07-07T07:00:00"})).await;
    assert!(found(&env, &ann, old).await.is_empty());
    assert_eq!(found(&env, &ann, new).await, only);
    let item = env
        .stack
        .clients
        .dynamodb
        .get_item()
        .table_name(&env.stack.resources.names.images_table)
        .key("pk", Av::S(keys::customer_pk(&owner)))
        .key("sk", Av::S(keys::image_sk(&id)))
        .consistent_read(true)
        .send()
        .await
        .unwrap()
        .item
        .unwrap();
    assert!(!item.contains_key("own_index_move"), "the note is cleared");
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

/// A stack with pages of 5 results that read at most 10 index items, and 28
/// indexed images sharing a popular keyword; only the oldest (returned) has
/// a rare camera.
async fn popular() -> (TestEnv, Image) {
    let env = TestEnv::serialised_with(|o| {
        o.settings.search.default_page_size = 5;
        o.settings.search.max_page_size = 5;
        o.settings.search.max_items_per_page = 10;
    })
    .await;
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
    (env, rare)
}

#[tokio::test]
async fn a_popular_term_is_spread_over_the_public_partitions() {
    let (env, _) = popular().await;
    let mut per_shard = Vec::new();
    for pk in env.stack.api_state.stores.search.public_partitions("kw:popular") {
        per_shard.push(env.items_in(&pk).await);
    }
    assert_eq!(per_shard.len(), 4);
    assert_eq!(per_shard.iter().sum::<usize>(), 28);
    // (Shards come from a hash of random IDs: three or more of four are
    // non-empty all but once in ~10^7 runs.)
    assert!(
        per_shard.iter().filter(|&&n| n > 0).count() >= 3,
        "spread over the shards: {per_shard:?}"
    );
}

#[tokio::test]
async fn a_page_reads_a_bounded_number_of_items_and_says_where_to_go_on() {
    let (env, rare) = popular().await;
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
