//! The anniversary sweep (M28), daily: for the month-days whose notices go
//! out today (`anniversaries.days_ahead`, 7, days ahead; 29 February kept
//! on the 28th), Queries the images table's `anniv` index, which holds the
//! images taken on each month-day and the customers with a profile date
//! on it. For each customer found it reads their record once (address,
//! profile, choice of notices) and emails one notice per event they want,
//! with thumbnails of that day's photos from earlier years through a link
//! that works for `anniversaries.link_ttl_days`.
//!
//! Once per event per year: a notice's ID names the customer, the date and
//! the event, and the notifier sends an ID once. The sweep's watermark is
//! the last notice day finished: a run does every day after it, in order,
//! however many (the first run ever starts `sweeps.catch_up_days` back),
//! and running a finished day again does nothing. A day missed whose date
//! is still to come (or is today) is sent late; one whose date has passed
//! is finished without a notice: "coming up" after the day is no use, and
//! a sweep back from a month away would otherwise send a month of them.

use printvault_adapters::accounts::notice_links::NoticeLink;
use printvault_adapters::accounts::{AccountStore, Customer};
use printvault_adapters::images::anniversaries::DayEntry;
use printvault_adapters::images::ImageStore;
use printvault_adapters::notices::NoticeQueue;
use printvault_adapters::watermark::Watermark;
use printvault_domain::account::SessionToken;
use printvault_domain::anniversary::{day_notices, notice_id, noticed_on, DayImage, Due};
use printvault_domain::ids::{CustomerId, ImageId};
use printvault_domain::notice::{Message, Notice, NoticeId};
use printvault_domain::settings::Settings;
use printvault_domain::when::Timestamp;
use printvault_domain::Error;
use std::collections::BTreeMap;
use time::{Date, Duration, OffsetDateTime};

use super::{days_to_read, Report};

/// What the anniversary sweep works over.
#[derive(Clone)]
pub struct AnniversarySweep {
    /// The `anniv` index.
    pub images: ImageStore,
    /// Customers (address, profile, choice), and the thumbnails' links.
    pub accounts: AccountStore,
    pub notices: NoticeQueue,
    /// The last notice day finished (in the images table).
    pub watermark: Watermark,
    /// The api's public base URL, which the thumbnails' links start with.
    pub public_url: String,
    pub settings: Settings,
}

impl AnniversarySweep {
    /// Runs the sweep for the day of `now`, and for every day before it
    /// after the watermark.
    pub async fn run(&self, now: OffsetDateTime) -> Result<Report, Error> {
        let today = now.date();
        let mut report = Report::new("anniversary", today);
        let done = self.watermark.done_through().await?;
        let ahead = Duration::days(i64::from(self.settings.anniversaries.days_ahead));
        let mut passed = None;
        for day in days_to_read(done, today, &self.settings.sweeps) {
            if done.is_some_and(|d| day <= d) {
                continue;
            }
            if day + ahead < today {
                // Its date has passed: finished without a notice.
                passed = Some(day);
                report.count("days_passed");
                continue;
            }
            if let Some(p) = passed.take() {
                self.watermark.advance(p, Timestamp::at(now)).await?;
            }
            self.day(day, now, &mut report).await?;
            self.watermark.advance(day, Timestamp::at(now)).await?;
            report.count("days");
        }
        if let Some(p) = passed {
            self.watermark.advance(p, Timestamp::at(now)).await?;
        }
        tracing::info!(?report, "anniversary sweep done");
        Ok(report)
    }

    /// The notices that go out on `day`.
    async fn day(&self, day: Date, now: OffsetDateTime, report: &mut Report) -> Result<(), Error> {
        let s = &self.settings.anniversaries;
        let target = day + Duration::days(i64::from(s.days_ahead));
        for md in noticed_on(day, s) {
            let Some(on) = md.in_year(target.year()) else {
                continue;
            };
            let mut by_owner: BTreeMap<CustomerId, Vec<DayImage>> = BTreeMap::new();
            for entry in self.images.anniversaries_on(md).await? {
                match entry {
                    DayEntry::Profile(owner) => {
                        by_owner.entry(owner).or_default();
                    }
                    DayEntry::Image(owner, image) => by_owner.entry(owner).or_default().push(image),
                }
            }
            for (owner, images) in by_owner {
                let Some(customer) = self.accounts.customer(&owner).await? else {
                    continue;
                };
                let dues = day_notices(&customer.profile, &images, md, on, &customer.anniversaries);
                for due in dues {
                    self.send(&customer, due, on, now).await?;
                    report.count("noticed");
                }
            }
        }
        Ok(())
    }

    /// Emails one event's notice, with a link to its first thumbnails.
    async fn send(&self, customer: &Customer, due: Due, on: Date, now: OffsetDateTime) -> Result<(), Error> {
        let shown: Vec<ImageId> = due
            .images
            .iter()
            .take(self.settings.anniversaries.max_thumbnails as usize)
            .map(|i| ImageId::parse(i))
            .collect::<Result<_, _>>()?;
        let mut thumbnails = Vec::new();
        if !shown.is_empty() {
            let token = SessionToken::generate();
            let ttl = Duration::days(i64::from(self.settings.anniversaries.link_ttl_days));
            self.accounts
                .put_notice_link(
                    &token.digest(),
                    &NoticeLink {
                        owner: customer.customer_id.clone(),
                        images: shown.clone(),
                        expires_at: (now + ttl).unix_timestamp(),
                    },
                )
                .await?;
            let base = self.public_url.trim_end_matches('/');
            thumbnails = (0..shown.len())
                .map(|n| format!("{base}/v1/notice-links/{}/images/{n}", token.as_str()))
                .collect();
        }
        let id = notice_id(customer.customer_id.as_str(), on, &due.event.key);
        let notice = Notice {
            notice_id: NoticeId::parse(&id)?,
            to: customer.email.clone(),
            message: Message::Anniversary {
                key: due.event.key,
                title: due.event.title,
                on,
                years: due.event.since_year.map(|y| on.year() - y).filter(|n| *n > 0),
                thumbnails,
                photos: u32::try_from(due.images.len()).unwrap_or(u32::MAX),
            },
        };
        self.notices.send(&notice).await
    }
}
