//! The emails a stack sent, read back from moto's SES (`/moto-api/data.json`,
//! `ses.Message`), as a customer would read their inbox.

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
        let url = format!("{}/moto-api/data.json", self.stack.endpoint);
        let data: Value = self
            .http
            .get(url)
            .send()
            .await
            .expect("moto answers")
            .json()
            .await
            .expect("moto's data is JSON");
        data["ses"]["Message"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|m| {
                m["destinations"]["ToAddresses"]
                    .as_array()
                    .is_some_and(|a| a.iter().any(|t| t.as_str() == Some(to)))
            })
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
            assert!(Instant::now() < deadline, "no email reached {to} within 15 s");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
}
