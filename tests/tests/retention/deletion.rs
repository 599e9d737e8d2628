//! M26: the storage-period notice, deletion after a delivered warning,
//! and what keeps an image.

use super::*;
use printvault_domain::billing::Month;

/// Runs the trash sweep for `day` (`YYYY-MM-DD`), as its schedule would.
async fn sweep_trash(env: &TestEnv, day: &str) -> sweeps::Report {
    env.stack
        .sweep(Sweep::Trash, local_runner::schedule::day_time(day).unwrap())
        .await
        .expect("the trash sweep runs")
}

/// Runs the billing sweep for `day` (`YYYY-MM-DD`), as its schedule would.
async fn sweep_billing(env: &TestEnv, day: &str) -> sweeps::Report {
    env.stack
        .sweep(Sweep::Billing, local_runner::schedule::day_time(day).unwrap())
        .await
        .expect("the billing sweep runs")
}

/// The image IDs of the caller's gallery (`GET /v1/images`).
async fn gallery(env: &TestEnv, who: &Customer) -> Vec<String> {
    let (s, page) = env.get("/v1/images", who).await;
    assert_eq!(s, StatusCode::OK, "{page}");
    integration_tests::page_ids(&page)
}

/// Every invoice of the caller's (`GET /v1/invoices`, all pages).
async fn invoices(env: &TestEnv, who: &Customer) -> Vec<serde_json::Value> {
    let mut out = Vec::new();
    let mut path = "/v1/invoices".to_owned();
    loop {
        let (s, page) = env.get(&path, who).await;
        assert_eq!(s, StatusCode::OK, "{page}");
        out.extend(page["invoices"].as_array().expect("invoices").iter().cloned());
        match page["next_cursor"].as_str() {
            Some(c) => path = format!("/v1/invoices?cursor={c}"),
            None => return out,
        }
    }
}

/// The status with which each of `urls` (an `/urls` answer's `thumbnail`,
/// `preview` and `original`) answers a plain GET, as a browser fetches it.
async fn fetched(env: &TestEnv, urls: &serde_json::Value) -> Vec<(&'static str, StatusCode)> {
    let mut out = Vec::new();
    for which in ["thumbnail", "preview", "original"] {
        let url = urls[which]
            .as_str()
            .unwrap_or_else(|| panic!("no {which}: {urls}"));
        out.push((which, env.http.get(url).send().await.unwrap().status()));
    }
    out
}

#[tokio::test]
async fn an_image_nobody_acts_on_is_noticed_at_90_days_trashed_30_days_after_the_delivered_notice_and_purged_31_days_later(
) {
    let env = TestEnv::start().await;
    let ann = env.new_customer().await;
    let photo = env.ready_image(&ann, 4101).await;
    // What Ann sees of it: its size, and when it became ready (its bytes
    // count on her storage from then, M23).
    let (s, image) = env.get(&format!("/v1/images/{photo}"), &ann).await;
    assert_eq!(s, StatusCode::OK, "{image}");
    let bytes = u128::from(image["bytes"].as_u64().expect("a ready image's bytes"));
    let ready_at = printvault_domain::when::parse_rfc3339(image["finalised_at"].as_str().unwrap())
        .expect("finalised_at");
    let u = ready_at.date();
    assert!(sweep(&env, &day(u, 89)).await.counts.is_empty());

    let r = sweep(&env, &day(u, 90)).await;
    assert_eq!(r.get("warned"), 1, "{r:?}");
    // The warning: this photo, why, the day it goes, and how to keep it.
    let mail = env.next_mail(&ann.email, 1).await;
    assert_eq!(
        mail.subject,
        format!("1 of your printvault photos will be deleted from {}", day(u, 120)),
        "{mail:?}"
    );
    assert!(
        mail.body.contains(&format!(
            "({photo}): stored 90 days without being selected or given attributes; deleted on {}",
            day(u, 120)
        )) && mail.body.contains("select it")
            && mail.body.contains(
                "first goes to your trash (GET /v1/trash), where you can still restore it for 30 days"
            ),
        "{}",
        mail.body
    );
    // The same day again sends nothing.
    assert!(sweep(&env, &day(u, 90)).await.counts.is_empty());
    env.notices_sent().await;
    assert_eq!(
        env.mails_to(&ann.email).await.len(),
        2,
        "her verification code and one warning"
    );
    warning_becomes(&env, &ann, &photo, Delivery::Delivered).await;

    assert!(sweep(&env, &day(u, 119)).await.counts.is_empty());
    // The day before, everything is there: the image, in her gallery, its
    // URLs fetching its files.
    assert_eq!(status_of(&env, &ann, &photo).await, StatusCode::OK);
    assert_eq!(gallery(&env, &ann).await, std::slice::from_ref(&photo));
    let (s, urls) = env.get(&format!("/v1/images/{photo}/urls"), &ann).await;
    assert_eq!(s, StatusCode::OK, "{urls}");
    assert_eq!(
        fetched(&env, &urls).await,
        [
            ("thumbnail", StatusCode::OK),
            ("preview", StatusCode::OK),
            ("original", StatusCode::OK)
        ]
    );

    let r = sweep(&env, &day(u, 120)).await;
    assert_eq!(r.get("deleted"), 1, "{r:?}");
    // Gone for Ann at once: the image answers 404, and so does its URLs'
    // route; her gallery is empty. It waits in her trash, restorable,
    // until the trash sweep purges it on the 31st day.
    assert_eq!(status_of(&env, &ann, &photo).await, StatusCode::NOT_FOUND);
    assert_eq!(
        env.get_status(&format!("/v1/images/{photo}/urls"), &ann).await,
        StatusCode::NOT_FOUND
    );
    assert!(gallery(&env, &ann).await.is_empty());
    let (s, trash) = env.get("/v1/trash", &ann).await;
    assert_eq!(s, StatusCode::OK, "{trash}");
    assert_eq!(trash["images"][0]["image_id"], photo.as_str(), "{trash}");
    assert_eq!(trash["images"][0]["by"], "retention", "{trash}");
    assert_eq!(trash["images"][0]["purge_on"], day(u, 151), "{trash}");
    assert!(
        !env.keys_of(&photo).await.is_empty(),
        "its objects stay while it is in the trash"
    );
    assert!(sweep(&env, &day(u, 120)).await.counts.is_empty());
    assert!(sweep_trash(&env, &day(u, 150)).await.counts.is_empty());
    assert_eq!(sweep_trash(&env, &day(u, 151)).await.get("purged"), 1);
    // Purged: the URLs she was given before answer 404 (their files went),
    // and every object of its went too, those no URL shows included.
    assert_eq!(
        fetched(&env, &urls).await,
        [
            ("thumbnail", StatusCode::NOT_FOUND),
            ("preview", StatusCode::NOT_FOUND),
            ("original", StatusCode::NOT_FOUND)
        ]
    );
    assert!(env.keys_of(&photo).await.is_empty(), "its objects went too");
    let (_, trash) = env.get("/v1/trash", &ann).await;
    assert_eq!(trash["images"], serde_json::json!([]), "{trash}");
    // The warning was the only notice: the deletion sends no email of its
    // own (docs/retention.md), and no second warning came.
    env.notices_sent().await;
    let mails = env.mails_to(&ann.email).await;
    assert_eq!(
        mails.len(),
        2,
        "{:?}",
        mails.iter().map(|m| &m.subject).collect::<Vec<_>>()
    );
    // Its audit entry (what went, why, after which warning) is for
    // operators, shown by neither the api nor an email: race.rs's
    // `a_sweeps_deletion_leaves_one_audit_entry_of_its_cause_and_warning`
    // reads it from the table.

    // Its bytes counted in the trash and stopped at the purge, as her
    // invoices show: the billing sweep on the 1st of the next month closes
    // the month of the purge. They bill exactly its bytes × the seconds
    // from its upload to the purge (the trash sweep's time), up to the
    // purge and not a second more.
    let deleted_at = local_runner::schedule::day_time(&day(u, 151))
        .unwrap()
        .unix_timestamp();
    let (first, last) = (Month::of(ready_at.unix_timestamp()), Month::of(deleted_at));
    sweep_billing(&env, &day_str(last.next().first_day())).await;
    let billed = invoices(&env, &ann).await;
    let mut months: Vec<&str> = billed.iter().map(|i| i["month"].as_str().unwrap()).collect();
    months.sort_unstable();
    let mut expected = Vec::new();
    let mut m = first;
    while m <= last {
        expected.push(m.to_string());
        m = m.next();
    }
    assert_eq!(months, expected, "one invoice a month it was stored: {billed:?}");
    let seconds =
        |i: &serde_json::Value| -> u128 { i["charge"]["byte_seconds"].as_str().unwrap().parse().unwrap() };
    let of_month = |m: Month| {
        billed
            .iter()
            .find(|i| i["month"] == m.to_string())
            .map(seconds)
            .unwrap()
    };
    assert_eq!(
        of_month(last),
        bytes * (deleted_at - last.start()) as u128,
        "the month of the deletion, up to it: {billed:?}"
    );
    assert_eq!(
        billed.iter().map(seconds).sum::<u128>(),
        bytes * (deleted_at - ready_at.unix_timestamp()) as u128,
        "from its upload to its deletion: {billed:?}"
    );
    // The month after bills nothing: no invoice for it.
    sweep_billing(&env, &day_str(last.next().next().first_day())).await;
    assert_eq!(
        invoices(&env, &ann).await.len(),
        expected.len(),
        "nothing stored after the deletion"
    );
}
