//! The billing sweep (M23-M25), daily:
//!
//! 1. reads, day by day in order, the unpaid invoices whose next step fell
//!    due after its watermark (however long ago: a sweep that did not run
//!    for a month finishes that month), and the `catch_up_days` before
//!    today again;
//! 2. on today's day, closes every meter still accruing an earlier month
//!    (Query the `BILL#<month>#<shard>` buckets from the month before the
//!    first day read): each closed month that stored anything becomes an
//!    invoice, issued today;
//! 3. follows up each of them: issue (email the invoice and credit its
//!    storage points), remind, or put the customer in arrears. A step
//!    moved to a later day that is also past (a run after a gap) is done
//!    when the run reaches that day, so a reminder always comes before the
//!    arrears it warns of.
//!
//! Every effect has a deterministic ID (the points' journal, each notice)
//! and comes before the invoice's step moves on, so a run cut short and run
//! again repeats nothing; a step moves on only from where it was read. The
//! watermark moves past a day only once the day is over and its invoices
//! are done.

use printvault_adapters::accounts::AccountStore;
use printvault_adapters::billing::BillingStore;
use printvault_adapters::ledger::LedgerStore;
use printvault_adapters::notices::NoticeQueue;
use printvault_adapters::watermark::Watermark;
use printvault_domain::billing::{Invoice, InvoiceId, InvoiceStatus, Month, Step};
use printvault_domain::ledger;
use printvault_domain::notice::{Message, Notice, NoticeId};
use printvault_domain::settings::Settings;
use printvault_domain::when::Timestamp;
use printvault_domain::Error;
use std::collections::{BTreeMap, HashSet};
use time::{Date, OffsetDateTime};

use super::{days_to_read, Report};

/// What the billing sweep works over.
#[derive(Clone)]
pub struct BillingSweep {
    pub billing: BillingStore,
    pub accounts: AccountStore,
    pub ledger: LedgerStore,
    pub notices: NoticeQueue,
    /// The last day finished (in the billing table).
    pub watermark: Watermark,
    pub settings: Settings,
}

impl BillingSweep {
    /// Runs the sweep for the day of `now`.
    pub async fn run(&self, now: OffsetDateTime) -> Result<Report, Error> {
        let today = now.date();
        let mut report = Report::new("billing", today);
        let this_month = Month::of_date(today);
        let done = self.watermark.done_through().await?;
        let days = days_to_read(done, today, &self.settings.sweeps);
        // Invoices this run moved to a later day up to today: that day
        // reads them again (strongly consistent), not trusting the index
        // to show a write made a moment ago.
        let mut carried: BTreeMap<Date, Vec<InvoiceId>> = BTreeMap::new();
        let mut seen = HashSet::new();
        for &day in &days {
            let mut due = self.billing.invoices_due(day).await?;
            for id in carried.remove(&day).unwrap_or_default() {
                if due.iter().any(|i| i.invoice_id == id) {
                    continue;
                }
                due.extend(self.billing.invoice(&id).await?);
            }
            if day == today {
                // The invoices due first: those the closing issues are done
                // from memory, not read back from the index.
                let mut month = Month::of_date(days[0]).previous();
                while month < this_month {
                    for rec in self.billing.meters_due(month).await? {
                        due.extend(self.close_through(rec, this_month, today, &mut report).await?);
                    }
                    month = month.next();
                }
            }
            for inv in due {
                // The same step once (the index may show a step twice).
                if !seen.insert((inv.invoice_id.to_string(), inv.next_on)) {
                    continue;
                }
                if let Some(next) = self.follow_up(&inv, now, &mut report).await? {
                    if next > day && next <= today {
                        carried.entry(next).or_default().push(inv.invoice_id.clone());
                    }
                }
            }
            // A day is finished once it is over and its invoices are done
            // (today's bucket can still fill: a month closed by an upload
            // issues its invoice that day).
            if day < today && done.is_none_or(|d| day > d) {
                self.watermark.advance(day, Timestamp::at(now)).await?;
            }
        }
        // A first run that read today alone (no catch-up days): the days
        // before it are behind the watermark from now on.
        let yesterday = today - time::Duration::days(1);
        if days[0] > yesterday && done.is_none_or(|d| yesterday > d) {
            self.watermark.advance(yesterday, Timestamp::at(now)).await?;
        }
        tracing::info!(?report, "billing sweep done");
        Ok(report)
    }

    /// Closes `rec`'s months up to (not including) `until`.
    async fn close_through(
        &self,
        mut rec: printvault_adapters::billing::MeterRecord,
        until: Month,
        today: time::Date,
        report: &mut Report,
    ) -> Result<Vec<Invoice>, Error> {
        let mut out = Vec::new();
        while rec.meter.month < until {
            match self.billing.close_month(&rec, today).await? {
                Some(invoice) => {
                    report.count("months_closed");
                    out.extend(invoice);
                    (_, rec.meter) = rec.meter.close();
                    rec.rev += 1;
                }
                // It moved under us (an upload closed it): read it again.
                None => match self.billing.meter(&rec.customer).await? {
                    Some(now) => rec = now,
                    None => break,
                },
            }
        }
        Ok(out)
    }

    /// Does `inv`'s next step if it is due by `now`, then moves it on;
    /// the day of its step after, when this run moved it.
    async fn follow_up(
        &self,
        inv: &Invoice,
        now: OffsetDateTime,
        report: &mut Report,
    ) -> Result<Option<Date>, Error> {
        let today = now.date();
        let (Some(step), Some(on)) = (inv.next_step, inv.next_on) else {
            return Ok(None);
        };
        if on > today || inv.status == InvoiceStatus::Paid {
            return Ok(None);
        }
        let id = inv.invoice_id.to_string();
        let c = &inv.invoice_id.customer;
        // The address copied onto the invoice when it was issued (and moved
        // by an email change); the customer's, read, only to issue it.
        let email = match &inv.email {
            Some(e) => Some(e.clone()),
            None => self.accounts.customer(c).await?.map(|c| c.email),
        };
        let inv = &Invoice {
            email: email.clone(),
            ..inv.clone()
        };
        let send = |notice_id: String, message: Message| {
            let email = email.clone();
            async move {
                match email {
                    Some(to) => {
                        self.notices
                            .send(&Notice {
                                notice_id: NoticeId::parse(&notice_id)?,
                                to,
                                message,
                            })
                            .await
                    }
                    None => Ok(()),
                }
            }
        };
        let amount = inv.charge.amount.0;
        match step {
            Step::Issue => {
                if inv.charge.points > 0 {
                    let shard = printvault_domain::billing::due_shard(c.as_str());
                    let journal = ledger::storage_points(&id, c, inv.charge.points, shard)?;
                    self.ledger.post(&journal, Timestamp::at(now)).await?;
                }
                let ch = &inv.charge;
                send(
                    format!("invoice:{id}"),
                    Message::StorageInvoice {
                        invoice_id: id.clone(),
                        month: inv.invoice_id.month.to_string(),
                        gib_months: ch.gib_months.clone(),
                        archived_gib_months: (ch.archived_byte_seconds != "0")
                            .then(|| ch.archived_gib_months.clone()),
                        exact_yen: ch.exact_yen.clone(),
                        rounding_yen: ch.rounding_yen.clone(),
                        amount,
                        points: ch.points,
                        due_on: inv.due_on,
                    },
                )
                .await?;
                report.count("invoices_issued");
            }
            Step::Remind => {
                send(
                    format!("invoice-reminder:{id}:{on}"),
                    Message::InvoiceReminder {
                        invoice_id: id.clone(),
                        amount,
                        due_on: inv.due_on,
                        arrears_on: inv.arrears_on,
                    },
                )
                .await?;
                report.count("reminders");
            }
            Step::Arrears => {
                // The notice first: a run cut short after it sends nothing
                // twice, and a run cut short before it loses nothing.
                send(
                    format!("arrears:{id}"),
                    Message::AccountInArrears {
                        invoice_id: id.clone(),
                        amount,
                    },
                )
                .await?;
                if self.billing.enter_arrears(inv, Timestamp::at(now)).await? {
                    tracing::warn!(invoice = %id, customer_id = %c, "customer in arrears");
                    report.count("arrears");
                }
                return Ok(None);
            }
        }
        let next = inv.after(step, today, &self.settings.billing)?;
        let moved = self.billing.advance(inv, next, InvoiceStatus::Open).await?;
        Ok(next.filter(|_| moved).map(|(_, day)| day))
    }
}
