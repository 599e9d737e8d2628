//! A simulated year (issue 9), a test binary of its own: it moves the
//! process-wide simulated clock (`printvault_domain::when`), which every
//! part of this local stack reads, so nothing else may run beside it.
//!
//! Four customers live through 400 simulated days on the whole local stack
//! (api, upload-finalise, classify, the notifier with SES's simulated
//! feedback, print-dispatch, and the billing and retention sweeps fired for
//! each day as their schedules would):
//! - Ann uploads, selects one photo, and pays each invoice the day after;
//! - Bob uploads and forgets: his photos are noticed and deleted; he pays
//!   his invoices only once his account is locked;
//! - Cat offers a photo for printing, orders prints of it, and pays on time;
//! - Dan's address bounces, and he never pays.
//!
//! Ann also has a birthday, a named date and a graduation photo, each
//! noticed a week ahead by the anniversary sweep (M28), once a year.
//!
//! At the end it checks what the issue lists: no deletion without a warning
//! delivered at least 14 days before; no deletion of an image printed in
//! its window; no email sent twice; invoices summing to the byte-seconds
//! stored; every ledger balance the sum of its entries; each of Ann's
//! events noticed once in each year it came round; and running every day
//! again changing nothing.

mod checks;
mod life;

use integration_tests::{Customer, TestEnv};
use printvault_domain::billing::day_str;
use printvault_domain::when;
use std::collections::BTreeMap;
use sweeps::Sweep;
use time::{Date, Duration, OffsetDateTime};

/// How many days go by.
const DAYS: i64 = 400;
const PASSWORD: &str = "correct horse battery";

/// One image the test follows: whose, its size, when it was stored from
/// and (if it was deleted) until.
#[derive(Debug, Clone)]
struct Stored {
    owner: String,
    bytes: u64,
    from: i64,
    until: Option<i64>,
}

/// The world: the stack, its people, and what the test expects.
struct Year {
    env: TestEnv,
    /// Day 0.
    start: Date,
    ann: Customer,
    bob: Customer,
    cat: Customer,
    dan: Customer,
    /// Image ID → what the test knows of it.
    images: BTreeMap<String, Stored>,
    lab_key: String,
}

/// Ann's events (M28): key, and the day (after day 0) of its first date.
const ANN_EVENTS: [(&str, i64); 3] = [
    ("birthday", 30),
    ("named:moving day", 200),
    ("event:graduation", 50),
];

impl Year {
    /// Day `d`'s date in `year`, kept to the 28th at most (every year has it).
    fn date_in(&self, d: i64, year: i32) -> Date {
        let at = self.day(d);
        Date::from_calendar_date(year, at.month(), at.day().min(28)).unwrap()
    }

    fn day(&self, d: i64) -> Date {
        self.start + Duration::days(d)
    }

    /// Moves the simulated clock to day `d` at this time of day.
    fn set_day(&self, d: i64) {
        self.env.stack.clock.time().set_ahead(d * 86_400);
    }

    /// Fires every sweep for day `d`, as their schedules would; returns
    /// the reports.
    async fn sweep_day(&self, d: i64) -> Vec<sweeps::Report> {
        let at = local_runner::schedule::day_time(&day_str(self.day(d))).unwrap();
        let mut out = Vec::new();
        for s in Sweep::ALL {
            out.push(self.env.stack.sweep(s, at).await.expect("the sweep runs"));
        }
        out
    }

    /// A fresh session for `who` (sessions expire as simulated weeks pass).
    async fn login(&self, who: &Customer) -> Customer {
        let (s, session) = self
            .env
            .post(
                "/v1/sessions",
                None,
                serde_json::json!({"email": who.email, "password": PASSWORD}),
            )
            .await;
        assert_eq!(s, reqwest::StatusCode::CREATED, "{session}");
        Customer {
            token: session["token"].as_str().unwrap().to_owned(),
            ..who.clone()
        }
    }

    /// Waits until every email and SES event the stack has is handled.
    async fn settle(&self) {
        let r = &self.env.stack.resources;
        for _ in 0..200 {
            let mut busy = 0;
            for q in [
                &r.notices_queue_url,
                &r.mail_events_queue_url,
                &r.dispatch_queue_url,
            ] {
                busy += self.env.queue_depth(q).await.unwrap();
            }
            if busy == 0 {
                return;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        panic!("the stack's queues did not drain");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_year_goes_by() {
    let env = TestEnv::with(|o| {
        // One day of catch-up is plenty when every day runs.
        o.settings.sweeps.catch_up_days = 1;
    })
    .await;
    let mut year = life::begin(env, OffsetDateTime::now_utc().date()).await;
    for d in 0..=DAYS {
        year.set_day(d);
        year.sweep_day(d).await;
        year.settle().await;
        life::live(&mut year, d).await;
        year.settle().await;
    }
    checks::all(&year).await;
}
