//! The billing sweep (M23-M25), daily:
//!
//! 1. reads the unpaid invoices whose next step is due today (or in the
//!    catch-up days before, which a failed run left);
//! 2. closes every meter still accruing an earlier month (Query the
//!    `BILL#<month>#<shard>` buckets of the last two months): each closed
//!    month that stored anything becomes an invoice, issued today;
//! 3. follows up each of them: issue (email the invoice and credit its
//!    storage points), remind, or put the customer in arrears.
//!
//! Every effect has a deterministic ID (the points' journal, each notice)
//! and comes before the invoice's step moves on, so a run cut short and run
//! again repeats nothing; a step moves on only from where it was read.

use printvault_adapters::accounts::AccountStore;
use printvault_adapters::billing::BillingStore;
use printvault_adapters::ledger::LedgerStore;
use printvault_adapters::notices::NoticeQueue;
use printvault_domain::billing::{Invoice, InvoiceStatus, Month, Step};
use printvault_domain::ledger;
use printvault_domain::notice::{Message, Notice, NoticeId};
use printvault_domain::settings::Settings;
use printvault_domain::when::rfc3339;
use printvault_domain::Error;
use std::collections::HashSet;
use time::{Duration, OffsetDateTime};

use super::Report;

/// What the billing sweep works over.
#[derive(Clone)]
pub struct BillingSweep {
    pub billing: BillingStore,
    pub accounts: AccountStore,
    pub ledger: LedgerStore,
    pub notices: NoticeQueue,
    pub settings: Settings,
}

impl BillingSweep {
    /// Runs the sweep for the day of `now`.
    pub async fn run(&self, now: OffsetDateTime) -> Result<Report, Error> {
        let today = now.date();
        let mut report = Report::new("billing", today);
        let this_month = Month::of_date(today);
        // The invoices due first: those the closing below issues are done
        // from memory, not read back from the index.
        let mut due = Vec::new();
        let catch_up = i64::from(self.settings.sweeps.catch_up_days);
        for back in (0..=catch_up).rev() {
            due.extend(self.billing.invoices_due(today - Duration::days(back)).await?);
        }
        for month in [this_month.previous().previous(), this_month.previous()] {
            for rec in self.billing.meters_due(month).await? {
                due.extend(self.close_through(rec, this_month, today, &mut report).await?);
            }
        }
        let mut seen = HashSet::new();
        for inv in due {
            if seen.insert(inv.invoice_id.to_string()) {
                self.follow_up(&inv, now, &mut report).await?;
            }
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

    /// Does `inv`'s next step if it is due by `now`, then moves it on.
    async fn follow_up(&self, inv: &Invoice, now: OffsetDateTime, report: &mut Report) -> Result<(), Error> {
        let today = now.date();
        let (Some(step), Some(on)) = (inv.next_step, inv.next_on.as_deref()) else {
            return Ok(());
        };
        if printvault_domain::billing::parse_day(on)? > today || inv.status == InvoiceStatus::Paid {
            return Ok(());
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
                    self.ledger.post(&journal, &rfc3339(now)).await?;
                }
                let ch = &inv.charge;
                send(
                    format!("invoice:{id}"),
                    Message::StorageInvoice {
                        invoice_id: id.clone(),
                        month: inv.invoice_id.month.to_string(),
                        gib_months: ch.gib_months.clone(),
                        exact_yen: ch.exact_yen.clone(),
                        rounding_yen: ch.rounding_yen.clone(),
                        amount,
                        points: ch.points,
                        due_on: inv.due_on.clone(),
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
                        due_on: inv.due_on.clone(),
                        arrears_on: inv.arrears_on.clone(),
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
                if self.billing.enter_arrears(inv, &rfc3339(now)).await? {
                    tracing::warn!(invoice = %id, customer_id = %c, "customer in arrears");
                    report.count("arrears");
                }
                return Ok(());
            }
        }
        let next = inv.after(step, today, &self.settings.billing)?;
        self.billing.advance(inv, next, InvoiceStatus::Open).await?;
        Ok(())
    }
}
