//! M28 event and anniversary notices, end to end against moto: the
//! anniversary sweep, run for chosen days as its schedule would, emails a
//! notice a week before a birthday, a named date, an event the photos name
//! and "on this day", once per event per year, with thumbnails through a
//! link that works without logging in, names nothing else and expires 14
//! days after the notice; a customer turns them off for one event or for
//! all; 29 February is kept on the 28th; a day missed is caught up;
//! running a day again sends nothing.

mod catch_up;
mod choices;
mod link_expiry;

use integration_tests::{jpeg_taken_at, Customer, TestEnv};
use reqwest::StatusCode;
use serde_json::json;
use sweeps::{Report, Sweep};

async fn sweep(env: &TestEnv, day: &str) -> Report {
    env.stack
        .sweep(Sweep::Anniversary, local_runner::schedule::day_time(day).unwrap())
        .await
        .expect("the sweep runs")
}

/// A ready photo whose EXIF says it was taken on `day` (`YYYY-MM-DD`).
async fn photo_taken(env: &TestEnv, who: &Customer, seed: u64, day: &str) -> String {
    let exif = format!("{} 10:00:00", day.replace('-', ":"));
    env.upload_ready(&who.token, &jpeg_taken_at(seed, &exif), "image/jpeg")
        .await
}

/// The emails `who` got, once there are `n` (the notifier driven meanwhile).
async fn mails(env: &TestEnv, who: &Customer, n: usize) -> Vec<integration_tests::mail::Mail> {
    env.mails_at_least(&who.email, n).await
}

/// The event notices among `who`'s emails (not the verification), once
/// every notice queued so far is handled.
async fn notices(env: &TestEnv, who: &Customer) -> Vec<integration_tests::mail::Mail> {
    env.notices_sent().await;
    let all = env.mails_to(&who.email).await;
    all.into_iter()
        .filter(|m| m.subject.starts_with("Coming up"))
        .collect()
}

/// The thumbnail links in an email's HTML.
fn links(body: &str) -> Vec<String> {
    body.match_indices("src=\"")
        .map(|(at, _)| {
            body[at + 5..]
                .chars()
                .take_while(|c| *c != '"')
                .collect::<String>()
        })
        .filter(|u| u.contains("/v1/notice-links/"))
        .collect()
}

async fn set_birthday(env: &TestEnv, who: &Customer, date: &str) {
    let (s, b) = env
        .patch("/v1/profile", &who.token, json!({"birthday": date}))
        .await;
    assert_eq!(s, StatusCode::OK, "{b}");
}

#[tokio::test]
async fn a_birthday_and_the_days_photos_are_noticed_a_week_ahead_once_with_thumbnails() {
    let env = TestEnv::start().await;
    let ann = env.new_customer().await;
    set_birthday(&env, &ann, "1990-06-20").await;
    let older = photo_taken(&env, &ann, 9101, "2019-06-20").await;
    let sports = photo_taken(&env, &ann, 9102, "2021-06-20").await;
    let (s, b) = env
        .patch(
            &format!("/v1/images/{sports}"),
            &ann.token,
            json!({"attributes": {"event": "Sports Day"}}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{b}");
    let next_day = photo_taken(&env, &ann, 9103, "2022-06-21").await;
    let before = mails(&env, &ann, 1).await.len();

    // Nothing yet eight days ahead.
    assert_eq!(sweep(&env, "2027-06-12").await.get("noticed"), 0);
    // The schedule's own event (the fixture), for 2027-06-13.
    let fixture = include_str!("../../../events/sweeps/anniversary.json");
    let r = env
        .stack
        .sweeps
        .handle(Sweep::Anniversary, serde_json::from_str(fixture).unwrap())
        .await
        .unwrap();
    assert_eq!(r.get("noticed"), 2, "the birthday and the sports day: {r:?}");
    let got = mails(&env, &ann, before + 2).await;
    let birthday = got
        .iter()
        .find(|m| m.subject == "Coming up on 2027-06-20: your birthday")
        .expect("the birthday notice");
    assert!(
        birthday.body.contains("37 years since the first"),
        "{}",
        birthday.body
    );
    assert!(
        birthday.body.contains("2 photos from this day"),
        "{}",
        birthday.body
    );
    let sports_day = got
        .iter()
        .find(|m| m.subject == "Coming up on 2027-06-20: Sports Day")
        .expect("the sports day's notice");
    assert!(
        sports_day.body.contains("&quot;event:sports day&quot;"),
        "how to mute it: {}",
        sports_day.body
    );

    // The thumbnails work without logging in, newest first, through a
    // short-lived redirect, and name nothing but the photo.
    let thumbs = links(&birthday.body);
    assert_eq!(thumbs.len(), 2, "{}", birthday.body);
    let no_redirects = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let r = no_redirects.get(&thumbs[0]).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::FOUND);
    let location = r.headers()["location"].to_str().unwrap().to_owned();
    assert!(location.contains(&sports), "newest first: {location}");
    let bytes = env.http.get(&location).send().await.unwrap();
    assert_eq!(bytes.status(), StatusCode::OK);
    assert_eq!(&bytes.bytes().await.unwrap()[..2], &[0xFF, 0xD8], "a JPEG");
    // Another index, a forged token, and a deleted photo answer 404 alike.
    let token_path = thumbs[0].rsplit_once("/images/").unwrap().0.to_owned();
    for bad in [
        format!("{token_path}/images/7"),
        format!("{token_path}/images/x"),
        thumbs[0].replace("/notice-links/", "/notice-links/A"),
        env.url(&format!("/v1/notice-links/{}/images/0", "A".repeat(43))),
    ] {
        let r = no_redirects.get(&bad).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::NOT_FOUND, "{bad}");
        let body: serde_json::Value = r.json().await.unwrap();
        assert!(
            body["error"]["message"].is_string() || body["message"].is_string(),
            "{body}"
        );
    }
    let (s, _) = env.delete(&format!("/v1/images/{older}"), &ann.token).await;
    assert_eq!(s, StatusCode::NO_CONTENT);
    let r = no_redirects.get(&thumbs[1]).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND, "a deleted photo is not shown");

    // The same day again sends nothing: once per event per year.
    let r = sweep(&env, "2027-06-13").await;
    assert_eq!(r.get("noticed"), 0, "{r:?}");
    assert_eq!(notices(&env, &ann).await.len(), 2);

    // The next day: a photo of 21 June in an earlier year, on its own.
    let r = sweep(&env, "2027-06-14").await;
    assert_eq!(r.get("noticed"), 1, "{r:?}");
    let got = mails(&env, &ann, before + 3).await;
    let on_this_day = got.last().unwrap();
    assert_eq!(
        on_this_day.subject,
        "Coming up on 2027-06-21: this day in earlier years"
    );
    assert_eq!(links(&on_this_day.body).len(), 1);
    let r = no_redirects
        .get(&links(&on_this_day.body)[0])
        .send()
        .await
        .unwrap();
    assert!(r.headers()["location"].to_str().unwrap().contains(&next_day));

    // A year later, the birthday is noticed again.
    let r = sweep(&env, "2028-06-13").await;
    assert_eq!(
        r.get("noticed"),
        2,
        "the birthday and the sports day again: {r:?}"
    );
}
