//! M29 archive thresholds and proposals, against moto: the archive sweep,
//! run as its schedule would, holds each customer whose look is due (the
//! `due` index, never a Scan) to their thresholds; a crossed one makes one
//! proposal of the oldest images that fit each disc, selected images left
//! out, emailed once through the notifier. A day run again, and two runs
//! at once, make nothing twice; a customer's new thresholds bring their
//! look forward; the sweep, and print-dispatch sending the disc ordered
//! from it, work with only their own permissions. The
//! proposal's routes and ordering a disc of it (M30) are in `order.rs`.

mod billing;
mod disc;
mod moves;
mod order;
mod permissions;
mod printlab;
mod restore;

use integration_tests::{jpeg_taken_at, Customer, TestEnv};
use printvault_domain::archive::{Disc, ProposalStatus};
use printvault_domain::ids::CustomerId;
use reqwest::StatusCode;
use serde_json::json;
use sweeps::{Report, Sweep};
use time::macros::date;
use time::Date;

/// Small thresholds: three images cross.
async fn env() -> TestEnv {
    TestEnv::with(|o| o.settings.archive.max_images = 3).await
}

async fn sweep(env: &TestEnv, day: Date) -> Report {
    env.stack
        .sweep(Sweep::Archive, local_runner::schedule::sweep_time(day))
        .await
        .expect("the sweep runs")
}

/// The fixture's own event, as the schedule sends it (2027-03-10).
async fn fixture(env: &TestEnv) -> Report {
    let event = include_str!("../../../events/sweeps/archive.json");
    env.stack
        .sweeps
        .handle(Sweep::Archive, serde_json::from_str(event).unwrap())
        .await
        .expect("the sweep runs")
}

async fn photos(env: &TestEnv, who: &Customer, n: u64) -> Vec<String> {
    let mut out = Vec::new();
    for seed in 0..n {
        let jpeg = jpeg_taken_at(7100 + seed, "2020:05:01 10:00:00");
        out.push(env.upload_ready(&who.token, &jpeg, "image/jpeg").await);
    }
    out
}

/// Four photos of `who`'s, the second selected (kept online, M9).
async fn four_photos_the_second_selected(env: &TestEnv, who: &Customer) -> Vec<String> {
    let ids = photos(env, who, 4).await;
    let (s, b) = env
        .patch(
            &format!("/v1/images/{}", ids[1]),
            &who.token,
            json!({"selected": true}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{b}");
    ids
}

fn id(who: &Customer) -> CustomerId {
    CustomerId::parse(&who.id).unwrap()
}

async fn due(env: &TestEnv, who: &Customer) -> Option<Date> {
    let s = env
        .stack
        .api_state
        .stores
        .archive
        .schedule(&id(who))
        .await
        .unwrap();
    s.and_then(|s| s.due())
}

/// The archive emails `who` got, every notice queued so far handled.
async fn proposals_mailed(env: &TestEnv, who: &Customer) -> Vec<integration_tests::mail::Mail> {
    env.notices_sent().await;
    env.mails_to(&who.email)
        .await
        .into_iter()
        .filter(|m| m.subject.starts_with("Archive your oldest photos"))
        .collect()
}

#[tokio::test]
async fn a_crossed_threshold_makes_one_proposal_mailed_once_and_a_day_again_nothing() {
    let env = env().await;
    let ann = env.new_customer().await;
    let ids = four_photos_the_second_selected(&env, &ann).await;
    // The meter counts the images; the first upload put ann in the schedule.
    let meter = env
        .stack
        .api_state
        .stores
        .billing
        .meter(&id(&ann))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(meter.meter.images, 4);
    assert!(due(&env, &ann).await.is_some());

    let r = fixture(&env).await;
    assert_eq!((r.get("looked"), r.get("proposed")), (1, 1), "{r:?}");
    let mails = proposals_mailed(&env, &ann).await;
    assert_eq!(mails.len(), 1);
    assert!(
        mails[0].body.contains("- CD (700 MB): 3 photos"),
        "{}",
        mails[0].body
    );
    assert!(
        mails[0].body.contains("the number of photos you store"),
        "{}",
        mails[0].body
    );
    let schedule = env
        .stack
        .api_state
        .stores
        .archive
        .schedule(&id(&ann))
        .await
        .unwrap()
        .unwrap();
    let p = env
        .stack
        .api_state
        .stores
        .archive
        .proposal(&id(&ann), schedule.open.as_ref().expect("an open proposal"))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(p.status, ProposalStatus::Open);
    let offered: Vec<String> = p.fill_of(Disc::Cd).iter().map(|o| o.image.to_string()).collect();
    assert_eq!(
        offered,
        [ids[0].clone(), ids[2].clone(), ids[3].clone()],
        "oldest first, the selected one kept"
    );
    assert!(mails[0].body.contains(p.proposal_id.as_str()));
    assert_eq!(due(&env, &ann).await, Some(date!(2027 - 03 - 17)));

    shows_the_proposal(&env, &ann, &p.proposal_id.to_string(), &offered).await;

    // The same day again: nobody is due, nothing is made or mailed.
    let again = fixture(&env).await;
    assert_eq!(again.get("looked"), 0, "{again:?}");
    assert_eq!(proposals_mailed(&env, &ann).await.len(), 1);
    // A week on, still open: looked at, nothing new, mailed once still.
    let week = sweep(&env, date!(2027 - 03 - 17)).await;
    assert_eq!((week.get("looked"), week.get("open_already")), (1, 1), "{week:?}");
    assert_eq!(proposals_mailed(&env, &ann).await.len(), 1);
}

/// `GET /v1/archive/proposals` and `/{id}`: the owner's alone, in pages.
async fn shows_the_proposal(env: &TestEnv, ann: &Customer, pid: &str, offered: &[String]) {
    let (s, list) = env.get("/v1/archive/proposals", &ann.token).await;
    assert_eq!(s, StatusCode::OK, "{list}");
    assert_eq!(list["proposals"].as_array().unwrap().len(), 1, "{list}");
    let item = &list["proposals"][0];
    assert_eq!(
        (&item["proposal_id"], &item["status"]),
        (&json!(pid), &json!("open")),
        "{item}"
    );
    assert_eq!(item["crossed"], json!(["images"]));
    assert_eq!(item["discs"][0]["disc"], "cd");
    assert_eq!(item["discs"][0]["images"], 3);
    assert_eq!(item["discs"][0]["capacity_sectors"], 360_000);
    assert!(
        item.get("images").is_none(),
        "a listing leaves the images out: {item}"
    );

    let path = format!("/v1/archive/proposals/{pid}");
    let (s, first) = env.get(&format!("{path}?limit=2"), &ann.token).await;
    assert_eq!(s, StatusCode::OK, "{first}");
    assert_eq!(first["proposal_id"], pid);
    let images = first["images"].as_array().unwrap();
    assert_eq!(images.len(), 2, "{first}");
    assert_eq!(images[0]["image_id"], offered[0].as_str());
    assert_eq!(images[0]["discs"], json!(["cd", "dvd", "bd"]));
    assert!(images[0]["bytes"].as_u64().unwrap() > 0);
    let thumb = env
        .http
        .get(images[0]["thumbnail_url"].as_str().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(thumb.status(), StatusCode::OK, "the thumbnail can be fetched");
    let cursor = first["next_cursor"].as_str().expect("a second page");
    let (s, second) = env
        .get(&format!("{path}?limit=2&cursor={cursor}"), &ann.token)
        .await;
    assert_eq!(s, StatusCode::OK, "{second}");
    let rest: Vec<&str> = second["images"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["image_id"].as_str().unwrap())
        .collect();
    assert_eq!(rest, [offered[2].as_str()]);
    assert!(second["next_cursor"].is_null());

    // Nobody else sees it, a malformed ID names nothing, and a malformed
    // cursor is refused, saying so.
    let stranger = env.new_customer().await;
    let (s, b) = env.get(&path, &stranger.token).await;
    assert_eq!(s, StatusCode::NOT_FOUND, "{b}");
    let (s, b) = env.get("/v1/archive/proposals", &stranger.token).await;
    assert_eq!((s, &b["proposals"]), (StatusCode::OK, &json!([])), "{b}");
    let (s, b) = env.get("/v1/archive/proposals/arp_nope", &ann.token).await;
    assert_eq!(s, StatusCode::NOT_FOUND, "{b}");
    let (s, b) = env.get(&format!("{path}?cursor=bm90LWFuLWlk"), &ann.token).await;
    assert_eq!(
        (s, &b["error"]["code"]),
        (StatusCode::BAD_REQUEST, &json!("invalid_request")),
        "{b}"
    );
    let (s, _) = env.get(&path, None::<&str>).await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn new_thresholds_bring_the_look_forward_and_two_runs_at_once_propose_once() {
    let env = env().await;
    let bob = env.new_customer().await;
    photos(&env, &bob, 2).await;
    let r = sweep(&env, date!(2027 - 03 - 10)).await;
    assert_eq!((r.get("looked"), r.get("proposed")), (1, 0), "{r:?}");
    assert_eq!(due(&env, &bob).await, Some(date!(2027 - 03 - 17)));
    let (s, b) = env
        .put(
            "/v1/profile/archive-thresholds",
            &bob.token,
            json!({"max_images": 2}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{b}");
    let today = time::OffsetDateTime::now_utc().date();
    assert_eq!(due(&env, &bob).await, Some(today));
    let at = local_runner::schedule::sweep_time(today);
    let (a, b) = tokio::join!(
        env.stack.sweeps.run(Sweep::Archive, at),
        env.stack.sweeps.run(Sweep::Archive, at)
    );
    let (a, b) = (a.unwrap(), b.unwrap());
    assert_eq!(a.get("proposed") + b.get("proposed"), 1, "{a:?} {b:?}");
    assert_eq!(proposals_mailed(&env, &bob).await.len(), 1);
}
