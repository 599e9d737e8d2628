//! What SES says about a message after it took it: delivered, bounced, or
//! complained of. The events come from a configuration set's event
//! destination (SNS → SQS, raw or in an SNS envelope); the retention sweep
//! deletes nothing whose warning was not delivered.
//!
//! Locally nothing delivers mail, so the local runner plays SES's mailbox
//! simulator ([`simulated`]): an address like `bounce@simulator.amazonses.com`
//! or `ann+bounce@example.com` bounces, `…complaint…` complains, and any
//! other is delivered.

use serde::Deserialize;
use serde_json::{json, Value};

/// The outcome SES reported.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Delivered,
    Bounced,
    Complained,
}

/// One SES event about one of our messages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Feedback {
    pub message_id: String,
    pub outcome: Outcome,
    /// The recipients it concerns.
    pub recipients: Vec<String>,
}

#[derive(Deserialize)]
struct Envelope {
    #[serde(rename = "Type")]
    kind: String,
    #[serde(rename = "Message")]
    message: String,
}

/// Parses an SQS body holding an SES event (raw, or in an SNS envelope).
/// `Ok(None)` for an SES event of another type (send, open, …), which
/// needs nothing; `Err` when the body is no SES event at all.
pub fn parse(body: &str) -> Result<Option<Feedback>, String> {
    let mut v: Value = serde_json::from_str(body).map_err(|e| format!("not JSON: {e}"))?;
    if let Ok(env) = serde_json::from_value::<Envelope>(v.clone()) {
        if env.kind != "Notification" {
            return Ok(None);
        }
        v = serde_json::from_str(&env.message).map_err(|e| format!("the SNS message is not JSON: {e}"))?;
    }
    let kind = v
        .get("eventType")
        .or_else(|| v.get("notificationType"))
        .and_then(Value::as_str)
        .ok_or("not an SES event: no eventType")?;
    let message_id = v["mail"]["messageId"]
        .as_str()
        .filter(|m| !m.is_empty() && m.len() <= 200)
        .ok_or("an SES event without mail.messageId")?
        .to_owned();
    let list = |path: [&str; 2], field: Option<&str>| -> Vec<String> {
        v[path[0]][path[1]]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|r| match field {
                Some(f) => r[f].as_str(),
                None => r.as_str(),
            })
            .map(str::to_owned)
            .collect()
    };
    let (outcome, recipients) = match kind {
        "Delivery" => (Outcome::Delivered, list(["delivery", "recipients"], None)),
        "Bounce" => (
            Outcome::Bounced,
            list(["bounce", "bouncedRecipients"], Some("emailAddress")),
        ),
        "Complaint" => (
            Outcome::Complained,
            list(["complaint", "complainedRecipients"], Some("emailAddress")),
        ),
        _ => return Ok(None),
    };
    Ok(Some(Feedback {
        message_id,
        outcome,
        recipients,
    }))
}

/// What SES's mailbox simulator would report for `to`.
pub fn simulated_outcome(to: &str) -> Outcome {
    let local = to.split('@').next().unwrap_or_default().to_ascii_lowercase();
    if local == "bounce" || local.ends_with("+bounce") {
        Outcome::Bounced
    } else if local == "complaint" || local.ends_with("+complaint") {
        Outcome::Complained
    } else {
        Outcome::Delivered
    }
}

/// The event SES would send, through a configuration set, about
/// `message_id` to `to` (local stacks only).
pub fn simulated(message_id: &str, to: &str) -> String {
    let mail = json!({"messageId": message_id, "destination": [to]});
    match simulated_outcome(to) {
        Outcome::Delivered => json!({"eventType": "Delivery", "mail": mail,
            "delivery": {"recipients": [to], "smtpResponse": "250 2.6.0 Message received"}}),
        Outcome::Bounced => json!({"eventType": "Bounce", "mail": mail,
            "bounce": {"bounceType": "Permanent", "bouncedRecipients": [{"emailAddress": to}]}}),
        Outcome::Complained => json!({"eventType": "Complaint", "mail": mail,
            "complaint": {"complainedRecipients": [{"emailAddress": to}]}}),
    }
    .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ses_events_are_read_raw_or_in_an_sns_envelope() {
        let raw = simulated("m-1", "ann+bounce@example.com");
        let f = parse(&raw).unwrap().unwrap();
        assert_eq!(
            (f.message_id.as_str(), f.outcome, f.recipients.as_slice()),
            (
                "m-1",
                Outcome::Bounced,
                &["ann+bounce@example.com".to_owned()][..]
            )
        );
        let wrapped =
            json!({"Type": "Notification", "Message": simulated("m-2", "bob@example.com")}).to_string();
        assert_eq!(parse(&wrapped).unwrap().unwrap().outcome, Outcome::Delivered);
        assert_eq!(
            parse(&simulated("m-3", "complaint@simulator.amazonses.com"))
                .unwrap()
                .unwrap()
                .outcome,
            Outcome::Complained
        );
        // Other SES events need nothing; anything else is no SES event.
        assert_eq!(
            parse(r#"{"eventType":"Open","mail":{"messageId":"m"}}"#).unwrap(),
            None
        );
        assert_eq!(
            parse(r#"{"Type":"SubscriptionConfirmation","Message":"x"}"#).unwrap(),
            None
        );
        for bad in ["nope", "{}", r#"{"eventType":"Delivery","mail":{}}"#] {
            assert!(parse(bad).is_err(), "{bad}");
        }
    }
}
