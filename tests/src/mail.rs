//! The emails a stack sent, read back from moto's SES, as a customer would
//! read their inbox: through `GET /_printvault/mail?to=` of the project's
//! moto server (`infra/moto_server.py`), which reads SES's sent messages for
//! one address. moto's own `/moto-api/data.json` dumps every model of every
//! service and, on a server many tests share, took longer than a test waits.

use crate::TestEnv;
use serde_json::Value;
use std::time::{Duration, Instant};

/// One email SES took.
#[derive(Debug, Clone)]
pub struct Mail {
    pub subject: String,
    /// The HTML body (moto keeps one body, the HTML one when both are sent).
    pub body: String,
}

impl Mail {
    /// The verification code the email carries, if any.
    pub fn code(&self) -> Option<String> {
        self.param("code")
    }

    /// The value of query parameter `name` in the email's link, if any.
    pub fn param(&self, name: &str) -> Option<String> {
        let start = self.body.find(&format!("{name}="))? + name.len() + 1;
        let code: String = self.body[start..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
            .collect();
        (!code.is_empty()).then_some(code)
    }
}

impl TestEnv {
    /// Every email sent to `to`, oldest first.
    pub async fn mails_to(&self, to: &str) -> Vec<Mail> {
        let url = format!("{}/_printvault/mail", self.stack.endpoint);
        let found: Vec<Value> = self
            .http
            .get(url)
            .query(&[("to", to)])
            .send()
            .await
            .expect("moto answers")
            .json()
            .await
            .expect("the mail is JSON");
        found
            .iter()
            .map(|m| Mail {
                subject: m["subject"].as_str().unwrap_or_default().to_owned(),
                body: m["body"].as_str().unwrap_or_default().to_owned(),
            })
            .collect()
    }

    /// Waits (up to 15 s) until `to` has more than `before` emails, and
    /// returns the newest. Drives the notifier when the stack does not poll.
    pub async fn next_mail(&self, to: &str, before: usize) -> Mail {
        let deadline = Instant::now() + Duration::from_secs(15);
        loop {
            if !self.stack.run_pollers {
                self.stack.notify_once(0).await.expect("notifier runs");
            }
            let mails = self.mails_to(to).await;
            if mails.len() > before {
                return mails.last().cloned().expect("a mail");
            }
            assert!(
                Instant::now() < deadline,
                "no new email reached {to} within 15 s; it has {before}: {:?}",
                mails.iter().map(|m| &m.subject).collect::<Vec<_>>()
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Waits until `to` has at least `n` emails, and returns them all.
    pub async fn mails_at_least(&self, to: &str, n: usize) -> Vec<Mail> {
        loop {
            // One read decides both whether to wait and what to wait past:
            // a second read could count a mail that landed in between.
            let have = self.mails_to(to).await;
            if have.len() >= n {
                return have;
            }
            self.next_mail(to, have.len()).await;
        }
    }

    /// Waits (up to 15 s) until every notice queued so far has been handled,
    /// so that its email, if it was to be sent, is in SES. Drives the
    /// notifier when the stack does not poll.
    pub async fn notices_sent(&self) {
        let url = &self.stack.resources.notices_queue_url;
        let deadline = Instant::now() + Duration::from_secs(15);
        loop {
            if !self.stack.run_pollers {
                self.stack.notify_once(0).await.expect("notifier runs");
            }
            if self.queue_depth(url).await.expect("the notices queue answers") == 0 {
                return;
            }
            assert!(Instant::now() < deadline, "notices still queued after 15 s");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
}
