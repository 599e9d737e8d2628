//! Turning notices off, 29 February, catching up missed days, and the
//! sweep with only its own permissions.

use super::*;

#[tokio::test]
async fn customers_turn_notices_off_for_one_event_or_for_all() {
    let env = TestEnv::start().await;
    let bob = env.new_customer().await;
    set_birthday(&env, &bob, "1985-03-10").await;
    photo_taken(&env, &bob, 9201, "2020-03-10").await;
    photo_taken(&env, &bob, 9202, "2020-03-11").await;

    let (s, b) = env.get("/v1/profile/anniversary-notices", &bob.token).await;
    assert_eq!(
        (s, b.clone()),
        (StatusCode::OK, json!({"enabled": true, "muted": []}))
    );
    for bad in [
        json!({"muted": ["holidays"]}),
        json!({"muted": ["named:"]}),
        json!({"enabled": "no"}),
        json!({"muted": (0..101).map(|n| format!("event:{n}")).collect::<Vec<_>>()}),
        json!({"surprise": true}),
    ] {
        let (s, b) = env
            .put("/v1/profile/anniversary-notices", &bob.token, bad.clone())
            .await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{bad}: {b}");
    }
    let (s, b) = env
        .put(
            "/v1/profile/anniversary-notices",
            &bob.token,
            json!({"muted": ["Birthday"]}),
        )
        .await;
    assert_eq!(
        (s, b.clone()),
        (StatusCode::OK, json!({"enabled": true, "muted": ["birthday"]}))
    );

    // The birthday is muted; the day's photos still come, on their own.
    let r = sweep(&env, "2027-03-03").await;
    assert_eq!(r.get("noticed"), 1, "{r:?}");
    let got = notices(&env, &bob).await;
    assert_eq!(got.len(), 1);
    assert_eq!(
        got[0].subject,
        "Coming up on 2027-03-10: this day in earlier years"
    );

    // All off: nothing, and the next day's photos are not noticed.
    let (s, _) = env
        .put(
            "/v1/profile/anniversary-notices",
            &bob.token,
            json!({"enabled": false}),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(sweep(&env, "2027-03-04").await.get("noticed"), 0);
    assert_eq!(notices(&env, &bob).await.len(), 1);
    // Without a token, nothing.
    let (s, _) = env.get("/v1/profile/anniversary-notices", None::<&str>).await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn the_29th_of_february_is_kept_on_the_28th_and_missed_days_are_caught_up() {
    let env = TestEnv::start().await;
    let cat = env.new_customer().await;
    set_birthday(&env, &cat, "2000-02-29").await;
    // Moved birthdays leave their old day.
    set_birthday(&env, &cat, "2000-02-28").await;
    set_birthday(&env, &cat, "2000-02-29").await;
    let (s, b) = env
        .patch(
            "/v1/profile",
            &cat.token,
            json!({"named_dates": [{"label": "Moving day", "date": "2019-03-02"}]}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{b}");

    // Only the 29th is marked: the moves left no day behind.
    let index = printvault_adapters::images::ImageStore::new(
        env.stack.clients.dynamodb.clone(),
        &env.stack.resources.names.images_table,
    );
    let feb28 = index
        .anniversaries_on(printvault_domain::anniversary::MonthDay { month: 2, day: 28 })
        .await
        .unwrap();
    assert!(feb28.is_empty(), "{feb28:?}");

    // 2027 has no 29 February: the birthday is noticed for the 28th.
    let r = sweep(&env, "2027-02-21").await;
    assert_eq!(r.get("noticed"), 1, "one birthday, not two: {r:?}");
    let got = notices(&env, &cat).await;
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].subject, "Coming up on 2027-02-28: your birthday");

    // Two days without a run: the third day's run catches them up.
    let r = sweep(&env, "2027-02-24").await;
    assert_eq!(r.get("days"), 3, "{r:?}");
    assert_eq!(r.get("noticed"), 1, "moving day, from the 23rd's run: {r:?}");
    let got = notices(&env, &cat).await;
    assert_eq!(got.len(), 2);
    assert_eq!(got[1].subject, "Coming up on 2027-03-02: Moving day");
    // In a leap year the birthday is the 29th's.
    let r = sweep(&env, "2028-02-21").await;
    assert_eq!(r.get("noticed"), 0, "{r:?}");
    let r = sweep(&env, "2028-02-22").await;
    assert_eq!(r.get("noticed"), 1, "{r:?}");
}

#[tokio::test]
async fn the_anniversary_sweep_notices_with_its_own_permissions() {
    let env = TestEnv::least_privileged(|_| {}).await;
    let ann = env.new_customer().await;
    let today = time::OffsetDateTime::now_utc().date();
    let ahead = today + time::Duration::days(7);
    let taken = |year: i32| {
        format!(
            "{year}:{:02}:{:02} 09:30:00",
            ahead.month() as u8,
            ahead.day().min(28)
        )
    };
    let birthday = format!("1990-{:02}-{:02}", ahead.month() as u8, ahead.day().min(28));
    let (s, b) = env
        .patch("/v1/profile", &ann, json!({"birthday": birthday}))
        .await;
    assert_eq!(s, StatusCode::OK, "{b}");
    let jpeg = jpeg_taken_at(503, &taken(2020));
    let (s, up) = env
        .post(
            "/v1/uploads",
            &ann,
            json!({"file_name": "c.jpg", "content_type": "image/jpeg", "content_length": jpeg.len()}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{up}");
    let id = up["image_id"].as_str().unwrap().to_owned();
    env.put_incoming(&ann.id, &id, jpeg).await;
    assert_eq!(env.settled(&ann, &id).await["status"], "ready");
    // The day whose notices are for the birthday (the 28th at most, so
    // that the date exists in every year).
    let run = time::Date::from_calendar_date(ahead.year(), ahead.month(), ahead.day().min(28)).unwrap()
        - time::Duration::days(7);
    let at = local_runner::schedule::day_time(&printvault_domain::billing::day_str(run)).unwrap();
    let r = env.stack.sweep(sweeps::Sweep::Anniversary, at).await.unwrap();
    assert_eq!(r.get("noticed"), 1, "the birthday, with the photo: {r:?}");
    let mail = env.next_mail(&ann.email, 1).await;
    assert!(mail.subject.contains("your birthday"), "{}", mail.subject);
    let outside = env.calls_outside_statements().await;
    assert!(
        outside.is_empty(),
        "calls outside the template's statements: {outside:?}"
    );
}
