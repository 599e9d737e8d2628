//! What must hold after the year.

use super::*;
use aws_sdk_dynamodb::types::AttributeValue;
use printvault_domain::billing::Month;
use reqwest::StatusCode;

pub async fn all(year: &Year) {
    let mut year_images = year.images.clone();
    deletions_were_warned(year, &mut year_images).await;
    kept_what_must_be_kept(year, &year_images).await;
    no_email_twice(year).await;
    events_noticed_once_a_year(year).await;
    invoices_sum_the_byte_seconds(year, &year_images).await;
    year.env.audit_ledger().await;
    every_day_again_changes_nothing(year).await;
}

fn s(v: &str) -> AttributeValue {
    AttributeValue::S(v.to_owned())
}

/// No image was deleted without a warning that was delivered at least 14
/// days before; each deletion went to the trash, and its purge's time (the
/// trash sweep's, 31 days on) is noted for the billing check.
async fn deletions_were_warned(year: &Year, images: &mut BTreeMap<String, Stored>) {
    let db = &year.env.stack.clients.dynamodb;
    let names = &year.env.stack.resources.names;
    let mut deleted = 0;
    for who in [&year.ann, &year.bob, &year.cat, &year.dan] {
        let audit = db
            .query()
            .table_name(&names.images_table)
            .key_condition_expression("pk = :pk AND begins_with(sk, :a)")
            .expression_attribute_values(":pk", s(&format!("CUST#{}", who.id)))
            .expression_attribute_values(":a", s("AUDIT#"))
            .send()
            .await
            .unwrap()
            .items
            .unwrap_or_default();
        for entry in audit {
            let at = when::parse_rfc3339(entry["at"].as_s().unwrap())
                .unwrap()
                .unix_timestamp();
            let notice = entry["warning"].as_s().unwrap();
            let claim = db
                .get_item()
                .table_name(&names.accounts_table)
                .key("pk", s(&format!("NOTICE#{notice}")))
                .key("sk", s("NOTICE"))
                .send()
                .await
                .unwrap()
                .item
                .expect("the warning was sent");
            assert_eq!(claim["state"].as_s().unwrap(), "delivered", "{entry:?}");
            let sent: i64 = claim["at"].as_n().unwrap().parse().unwrap();
            assert!(at - sent >= 14 * 86_400, "warned {sent}, deleted {at}: {entry:?}");
            let id = entry["image_id"].as_s().unwrap();
            assert_eq!(entry["action"].as_s().unwrap(), "trashed", "{entry:?}");
            let purged = at + 31 * 86_400;
            images.get_mut(id.as_str()).expect("a followed image").until = Some(purged);
            deleted += 1;
        }
    }
    // Ann's unselected two and Bob's two, noticed and deleted (M26).
    assert_eq!(deleted, 4, "{images:?}");
}

/// The selected, the printed and the undeliverable stay.
async fn kept_what_must_be_kept(year: &Year, images: &BTreeMap<String, Stored>) {
    for (who, why) in [
        (&year.ann, "selected"),
        (&year.cat, "printed in its window"),
        (&year.dan, "its warnings bounced"),
    ] {
        let left: Vec<_> = images
            .iter()
            .filter(|(_, s)| s.owner == who.id && s.until.is_none())
            .collect();
        assert_eq!(left.len(), 1, "{why}: {images:?}");
        let (id, _) = left[0];
        let who = year.login(who).await;
        let status = year.env.get_status(&format!("/v1/images/{id}"), &who).await;
        // Dan never paid: he is locked out (402), and nothing of his is deleted.
        assert!(
            [StatusCode::OK, StatusCode::PAYMENT_REQUIRED].contains(&status),
            "{why}: {status}"
        );
        assert!(
            year.env
                .record(&who.customer_id(), &integration_tests::image_id(id))
                .await
                .is_some(),
            "{why}"
        );
    }
}

/// Every email went out once: as many mails as notice claims that SES took.
async fn no_email_twice(year: &Year) {
    let db = &year.env.stack.clients.dynamodb;
    let mut claims = 0;
    let mut start = None;
    loop {
        // A Scan, in a test only: notice claims are one partition each.
        let page = db
            .scan()
            .table_name(&year.env.stack.resources.names.accounts_table)
            .filter_expression("begins_with(pk, :n) AND #s <> :sending")
            .expression_attribute_names("#s", "state")
            .expression_attribute_values(":n", s("NOTICE#"))
            .expression_attribute_values(":sending", s("sending"))
            .set_exclusive_start_key(start)
            .send()
            .await
            .unwrap();
        claims += page.items.unwrap_or_default().len();
        start = page.last_evaluated_key;
        if start.is_none() {
            break;
        }
    }
    let mut mails = 0;
    for who in [&year.ann, &year.bob, &year.cat, &year.dan] {
        mails += year.env.mails_to(&who.email).await.len();
    }
    assert_eq!(mails, claims, "one mail per notice ID");
    assert!(mails > 20, "a year of mail: {mails}");
}

/// Each of Ann's events was noticed once for each year whose date came
/// within reach (a week ahead of a day that went by), and nothing else.
async fn events_noticed_once_a_year(year: &Year) {
    let mut expected = std::collections::BTreeSet::new();
    for d in 0..=DAYS {
        let target = year.day(d) + Duration::days(7);
        for (key, first) in ANN_EVENTS {
            if year.date_in(first, target.year()) == target {
                expected.insert(printvault_domain::anniversary::notice_id(
                    &year.ann.id,
                    target,
                    key,
                ));
            }
        }
    }
    assert!(
        expected.len() >= 4,
        "the birthday twice, the others once: {expected:?}"
    );
    let db = &year.env.stack.clients.dynamodb;
    let mut claimed = std::collections::BTreeSet::new();
    let mut start = None;
    loop {
        // A Scan, in a test only.
        let page = db
            .scan()
            .table_name(&year.env.stack.resources.names.accounts_table)
            .filter_expression("begins_with(pk, :n)")
            .expression_attribute_values(":n", s("NOTICE#anniv:"))
            .set_exclusive_start_key(start)
            .send()
            .await
            .unwrap();
        for item in page.items.unwrap_or_default() {
            let pk = item["pk"].as_s().unwrap();
            claimed.insert(pk.trim_start_matches("NOTICE#").to_owned());
        }
        start = page.last_evaluated_key;
        if start.is_none() {
            break;
        }
    }
    assert_eq!(claimed, expected);
    let coming: Vec<_> = year
        .env
        .mails_to(&year.ann.email)
        .await
        .into_iter()
        .filter(|m| m.subject.starts_with("Coming up"))
        .collect();
    assert_eq!(coming.len(), expected.len(), "{coming:?}");
}

/// Each invoice charges exactly the byte-seconds its customer stored in its
/// month, and every month that stored anything has one.
async fn invoices_sum_the_byte_seconds(year: &Year, images: &BTreeMap<String, Stored>) {
    let last = Month::of_date(year.day(DAYS));
    for who in [&year.ann, &year.bob, &year.cat, &year.dan] {
        let token = year.login(who).await;
        let (s, list) = year.env.get("/v1/invoices?limit=100", &token).await;
        assert_eq!(s, StatusCode::OK, "{list}");
        let invoiced: BTreeMap<String, String> = list["invoices"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| {
                (
                    i["month"].as_str().unwrap().to_owned(),
                    i["charge"]["byte_seconds"].as_str().unwrap().to_owned(),
                )
            })
            .collect();
        let mut expected = BTreeMap::new();
        let mut m = Month::of_date(year.start);
        while m < last {
            let total: u128 = images
                .values()
                .filter(|s| s.owner == who.id)
                .map(|s| {
                    let from = s.from.max(m.start());
                    let until = s.until.unwrap_or(i64::MAX).min(m.end());
                    u128::from(s.bytes) * (until - from).max(0) as u128
                })
                .sum();
            if total > 0 {
                expected.insert(m.to_string(), total.to_string());
            }
            m = m.next();
        }
        assert_eq!(invoiced, expected, "{}'s invoices", who.email);
    }
}

/// Running every day again sends, deletes and bills nothing more.
async fn every_day_again_changes_nothing(year: &Year) {
    let mut mails = 0;
    for who in [&year.ann, &year.bob, &year.cat, &year.dan] {
        mails += year.env.mails_to(&who.email).await.len();
    }
    for d in 0..=DAYS {
        for report in year.sweep_day(d).await {
            assert!(report.counts.is_empty(), "day {d} again: {report:?}");
        }
    }
    year.settle().await;
    let mut after = 0;
    for who in [&year.ann, &year.bob, &year.cat, &year.dan] {
        after += year.env.mails_to(&who.email).await.len();
    }
    assert_eq!(after, mails);
}
