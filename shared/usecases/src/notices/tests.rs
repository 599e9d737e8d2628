//! Sending and feedback over in-memory ports.

use printvault_domain::account::Email;
use printvault_domain::notice::feedback::{self, Feedback};
use printvault_domain::notice::{Claim, Delivery, Message, Notice, NoticeId};
use printvault_domain::Error;
use std::collections::BTreeMap;
use std::sync::Mutex;
use time::macros::datetime;
use time::OffsetDateTime;

use super::{record, send, NoticePorts, Outcome};

const NOW: OffsetDateTime = datetime!(2026-12-07 06:00:00 UTC);

#[derive(Default)]
struct World {
    /// Notice ID → its state.
    claims: BTreeMap<String, Delivery>,
    /// Message ID → notice ID.
    messages: BTreeMap<String, String>,
    mailed: Vec<String>,
    refuse_mail: usize,
}

#[derive(Default)]
struct Fake(Mutex<World>);

impl NoticePorts for Fake {
    async fn claim(&self, id: &NoticeId, _now: i64) -> Result<Claim, Error> {
        let mut w = self.0.lock().unwrap();
        Ok(match w.claims.get(id.as_str()) {
            None => {
                w.claims.insert(id.to_string(), Delivery::Sending);
                Claim::Ours
            }
            Some(Delivery::Sending) => Claim::Busy,
            Some(_) => Claim::AlreadySent,
        })
    }
    async fn release(&self, id: &NoticeId) -> Result<(), Error> {
        self.0.lock().unwrap().claims.remove(id.as_str());
        Ok(())
    }
    async fn mark_sent(&self, notice: &Notice, _now: i64, message_id: &str) -> Result<(), Error> {
        let mut w = self.0.lock().unwrap();
        w.claims.insert(notice.notice_id.to_string(), Delivery::Sent);
        w.messages.insert(message_id.into(), notice.notice_id.to_string());
        Ok(())
    }
    async fn mail(&self, notice: &Notice) -> Result<String, Error> {
        let mut w = self.0.lock().unwrap();
        if w.refuse_mail > 0 {
            w.refuse_mail -= 1;
            return Err(anyhow::anyhow!("SES refused").into());
        }
        w.mailed.push(notice.notice_id.to_string());
        Ok(format!("ses-{}", w.mailed.len()))
    }
    async fn record_feedback(
        &self,
        message_id: &str,
        delivery: Delivery,
        _to: &str,
        _now: i64,
    ) -> Result<Option<NoticeId>, Error> {
        let mut w = self.0.lock().unwrap();
        let Some(id) = w.messages.get(message_id).cloned() else {
            return Ok(None);
        };
        w.claims.insert(id.clone(), delivery);
        Ok(Some(NoticeId::parse(&id)?))
    }
}

fn notice(id: &str) -> Notice {
    Notice {
        notice_id: NoticeId::parse(id).unwrap(),
        to: Email::parse("ann@example.com").unwrap(),
        message: Message::AddressInUse,
    }
}

#[tokio::test]
async fn a_notice_is_mailed_once_per_notice_id() {
    let fake = Fake::default();
    let n = notice("verify:ann:1");
    assert_eq!(send(&fake, &n, NOW).await.unwrap(), Outcome::Sent("ses-1".into()));
    assert_eq!(send(&fake, &n, NOW).await.unwrap(), Outcome::AlreadySent);
    assert_eq!(
        send(&fake, &notice("verify:ann:2"), NOW).await.unwrap(),
        Outcome::Sent("ses-2".into())
    );
    assert_eq!(fake.0.lock().unwrap().mailed, ["verify:ann:1", "verify:ann:2"]);
}

#[tokio::test]
async fn a_notice_another_notifier_is_sending_is_retried_later() {
    let fake = Fake::default();
    let n = notice("verify:ann:1");
    fake.0
        .lock()
        .unwrap()
        .claims
        .insert(n.notice_id.to_string(), Delivery::Sending);
    assert!(matches!(send(&fake, &n, NOW).await, Err(Error::Conflict(_))));
    assert!(fake.0.lock().unwrap().mailed.is_empty());
}

#[tokio::test]
async fn a_refused_mail_gives_its_claim_back_and_the_retry_sends_it() {
    let fake = Fake::default();
    fake.0.lock().unwrap().refuse_mail = 1;
    let n = notice("verify:ann:1");
    send(&fake, &n, NOW).await.unwrap_err();
    assert!(fake.0.lock().unwrap().claims.is_empty(), "claim given back");
    assert_eq!(send(&fake, &n, NOW).await.unwrap(), Outcome::Sent("ses-1".into()));
    assert_eq!(fake.0.lock().unwrap().mailed.len(), 1);
}

#[tokio::test]
async fn feedback_is_recorded_on_its_notice_and_strangers_are_ignored() {
    let fake = Fake::default();
    let n = notice("retention:ann:1");
    let Outcome::Sent(message) = send(&fake, &n, NOW).await.unwrap() else {
        panic!()
    };
    for (message_id, outcome, state) in [
        (
            message.as_str(),
            feedback::Outcome::Bounced,
            Some(Delivery::Bounced),
        ),
        ("not-ours", feedback::Outcome::Delivered, None),
    ] {
        let f = Feedback {
            message_id: message_id.into(),
            outcome,
            recipients: vec!["ann@example.com".into()],
        };
        let before = fake.0.lock().unwrap().claims.clone();
        assert_eq!(record(&fake, &f, NOW).await.unwrap(), Outcome::Feedback);
        let after = fake.0.lock().unwrap().claims.clone();
        match state {
            Some(state) => assert_eq!(after[n.notice_id.as_str()], state),
            None => assert_eq!(after, before, "feedback on another's mail changes nothing"),
        }
    }
    assert_eq!(fake.0.lock().unwrap().messages.len(), 1);
}
