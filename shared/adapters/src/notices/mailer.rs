//! SES (v2) delivery of rendered notices.

use anyhow::Context;
use aws_sdk_sesv2::types::{Body, Content, Destination, EmailContent, Message};
use printvault_domain::notice::Notice;
use printvault_domain::Error;

/// Sends rendered notices through SES (v2) from one verified address.
#[derive(Clone, Debug)]
pub struct Mailer {
    ses: aws_sdk_sesv2::Client,
    from: String,
    /// The SES configuration set whose event destination reports each
    /// message's delivery, bounce or complaint back to the notifier.
    configuration_set: Option<String>,
}

fn content(data: String) -> anyhow::Result<Content> {
    Ok(Content::builder().data(data).charset("UTF-8").build()?)
}

impl Mailer {
    pub fn new(ses: aws_sdk_sesv2::Client, from: impl Into<String>) -> Self {
        Self {
            ses,
            from: from.into(),
            configuration_set: None,
        }
    }

    /// Sends through `set`, so SES reports on each message.
    pub fn with_configuration_set(mut self, set: Option<String>) -> Self {
        self.configuration_set = set.filter(|s| !s.is_empty());
        self
    }

    /// Sends one notice, both bodies; returns SES's message ID.
    pub async fn send(&self, notice: &Notice) -> Result<String, Error> {
        let r = notice.render();
        let message = Message::builder()
            .subject(content(r.subject)?)
            .body(
                Body::builder()
                    .text(content(r.text)?)
                    .html(content(r.html)?)
                    .build(),
            )
            .build();
        let out = self
            .ses
            .send_email()
            .from_email_address(&self.from)
            .destination(Destination::builder().to_addresses(notice.to.as_str()).build())
            .content(EmailContent::builder().simple(message).build())
            .set_configuration_set_name(self.configuration_set.clone())
            .send()
            .await
            .with_context(|| format!("sending notice {} through SES", notice.notice_id))?;
        Ok(out.message_id.unwrap_or_default())
    }
}
