//! Issue 19: `GET /v1/catalogue`, open to anyone. It shows the sizes,
//! media, fees, points and owners' price bounds of the settings, and every
//! output location of every registered lab, kept by lab registration in
//! the same transaction as the lab (no Scan, no key material).

use integration_tests::{TestEnv, OPERATOR_KEY};
use printvault_domain::account::SessionToken;
use printvault_domain::money::Yen;
use printvault_domain::settings::PriceBounds;
use reqwest::StatusCode;
use serde_json::{json, Value};

/// The catalogue as an anonymous caller reads it; checks its status and
/// that it may be cached.
async fn catalogue(env: &TestEnv) -> Value {
    let res = env.http.get(env.url("/v1/catalogue")).send().await.unwrap();
    let status = res.status();
    let cache = res.headers().get("cache-control").cloned();
    let body: Value = res.json().await.expect("a JSON body");
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(cache.unwrap(), "public, max-age=60");
    body
}

/// `(location, lab_name)` of each location the catalogue lists, in its order.
fn locations(c: &Value) -> Vec<(String, String)> {
    c["locations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            let fields: Vec<&String> = l.as_object().unwrap().keys().collect();
            assert_eq!(fields, ["lab_name", "location"], "{l}");
            (
                l["location"].as_str().unwrap().to_owned(),
                l["lab_name"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

fn pairs(expected: &[(&str, &str)]) -> Vec<(String, String)> {
    expected
        .iter()
        .map(|(l, n)| ((*l).to_owned(), (*n).to_owned()))
        .collect()
}

/// `PUT /v1/operator/labs/{id}` with `name` and `locations`.
async fn put_lab(env: &TestEnv, id: &str, name: &str, locations: &[String]) -> (StatusCode, Value) {
    let res = env
        .http
        .put(env.url(&format!("/v1/operator/labs/{id}")))
        .header("x-operator-key", OPERATOR_KEY)
        .json(&json!({"name": name, "locations": locations}))
        .send()
        .await
        .unwrap();
    let status = res.status();
    (status, res.json().await.expect("a JSON body"))
}

fn strings(xs: &[&str]) -> Vec<String> {
    xs.iter().map(|x| (*x).to_owned()).collect()
}

#[tokio::test]
async fn without_a_token_it_shows_the_default_terms_and_no_locations() {
    let env = TestEnv::start().await;
    let c = catalogue(&env).await;
    let bounds = json!({"min": 10, "max": 100000});
    assert_eq!(
        c["sizes"],
        json!([
            {"size": "L", "width_mm": 89, "height_mm": 127, "fee": 20, "points": 2, "owner_price": bounds},
            {"size": "2L", "width_mm": 127, "height_mm": 178, "fee": 50, "points": 5, "owner_price": bounds},
        ])
    );
    assert_eq!(c["market"], json!({"points_percent": 5}));
    assert_eq!(
        c["media"],
        json!([
            {"medium": "photo_paper", "fee": 0, "points": 0},
            {"medium": "cd", "fee": 300, "points": 3},
            {"medium": "dvd", "fee": 500, "points": 5},
            {"medium": "bd", "fee": 1200, "points": 12},
        ])
    );
    assert_eq!(c["locations"], json!([]), "no lab is registered yet");
    // A customer is answered the same.
    let ann = env.new_customer().await;
    assert_eq!(env.get("/v1/catalogue", &ann).await, (StatusCode::OK, c));
}

#[tokio::test]
async fn changed_settings_show_up() {
    let env = TestEnv::with(|o| {
        let p = &mut o.settings.pricing;
        p.prints.l.fee = Yen(35);
        p.prints.two_l.points = 9;
        p.prints.stranger_points_percent = 12;
        p.image_price = PriceBounds {
            min: Yen(50),
            max: Yen(5000),
        };
        p.media.dvd.fee = Yen(800);
    })
    .await;
    let c = catalogue(&env).await;
    assert_eq!(
        (&c["sizes"][0]["size"], &c["sizes"][0]["fee"]),
        (&json!("L"), &json!(35))
    );
    assert_eq!(
        (&c["sizes"][1]["size"], &c["sizes"][1]["points"]),
        (&json!("2L"), &json!(9))
    );
    for s in 0..2 {
        assert_eq!(c["sizes"][s]["owner_price"], json!({"min": 50, "max": 5000}));
    }
    assert_eq!(c["market"]["points_percent"], 12);
    assert_eq!(c["media"][2], json!({"medium": "dvd", "fee": 800, "points": 5}));
}

#[tokio::test]
async fn every_labs_locations_show_without_key_material_and_dropped_ones_go() {
    let env = TestEnv::start().await;
    let shibuya_key = env.lab("shibuya-lab", &["tokyo-shibuya", "delivery-kanto"]).await;
    let osaka_key = env.lab("osaka-lab", &["osaka-umeda"]).await;
    let c = catalogue(&env).await;
    assert_eq!(
        locations(&c),
        pairs(&[
            ("delivery-kanto", "Lab shibuya-lab"),
            ("osaka-umeda", "Lab osaka-lab"),
            ("tokyo-shibuya", "Lab shibuya-lab"),
        ])
    );
    let text = c.to_string();
    for key in [&shibuya_key, &osaka_key] {
        let digest = SessionToken::from_presented(key).unwrap().digest();
        assert!(!text.contains(key.as_str()) && !text.contains(&digest), "{text}");
    }
    for word in ["key", "digest", "queue", "sqs"] {
        assert!(!text.contains(word), "{word}: {text}");
    }

    // Re-registered with fewer locations and a new name: the dropped one
    // goes, and another lab may take it.
    let (s, b) = put_lab(
        &env,
        "shibuya-lab",
        "Shibuya Photo Lab",
        &strings(&["tokyo-shibuya"]),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{b}");
    assert_eq!(
        locations(&catalogue(&env).await),
        pairs(&[
            ("osaka-umeda", "Lab osaka-lab"),
            ("tokyo-shibuya", "Shibuya Photo Lab"),
        ])
    );
    let (s, b) = put_lab(&env, "kanto-lab", "Kanto Delivery", &strings(&["delivery-kanto"])).await;
    assert_eq!(s, StatusCode::CREATED, "{b}");
    // The same registration again changes nothing.
    let (s, b) = put_lab(&env, "kanto-lab", "Kanto Delivery", &strings(&["delivery-kanto"])).await;
    assert_eq!(s, StatusCode::OK, "{b}");
    let three = pairs(&[
        ("delivery-kanto", "Kanto Delivery"),
        ("osaka-umeda", "Lab osaka-lab"),
        ("tokyo-shibuya", "Shibuya Photo Lab"),
    ]);
    assert_eq!(locations(&catalogue(&env).await), three);

    // A registration refused (a location another lab holds) changes nothing.
    let (s, b) = put_lab(
        &env,
        "osaka-lab",
        "Osaka",
        &strings(&["osaka-umeda", "tokyo-shibuya"]),
    )
    .await;
    assert_eq!(s, StatusCode::CONFLICT, "{b}");
    assert_eq!(locations(&catalogue(&env).await), three);
}

/// A change of all of a lab's 50 locations for 50 others would be more
/// than one DynamoDB transaction holds: it is a 400 saying what to do, not
/// a 500, and changes nothing; done in two steps it goes through.
#[tokio::test]
async fn a_change_too_large_for_one_registration_is_refused_clearly() {
    let env = TestEnv::start().await;
    let (old, new): (Vec<String>, Vec<String>) = (
        (0..50).map(|i| format!("old-{i:02}")).collect(),
        (0..50).map(|i| format!("new-{i:02}")).collect(),
    );
    let (s, b) = put_lab(&env, "big-lab", "Big Lab", &old).await;
    assert_eq!(s, StatusCode::CREATED, "{b}");
    let (s, b) = put_lab(&env, "big-lab", "Big Lab", &new).await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{b}");
    assert!(
        b["error"]["message"].as_str().unwrap().contains("drops 50"),
        "{b}"
    );
    let shown = |c: &Value| -> Vec<String> { locations(c).into_iter().map(|(l, _)| l).collect() };
    assert_eq!(shown(&catalogue(&env).await), old);

    let (s, b) = put_lab(&env, "big-lab", "Big Lab", &old[..1]).await;
    assert_eq!(s, StatusCode::OK, "{b}");
    let (s, b) = put_lab(&env, "big-lab", "Big Lab", &new).await;
    assert_eq!(s, StatusCode::OK, "{b}");
    assert_eq!(shown(&catalogue(&env).await), new);
}
