//! The image-events queue: upload-finalise says an image became `ready`, and
//! classify (M12) files it into automatic albums.
//!
//! A message body is one JSON object tagged by `kind`:
//!
//! ```json
//! {"kind": "image.ready", "owner": "cus_…", "image_id": "img_…"}
//! ```
//!
//! The message names the image and nothing else: the consumer reads the
//! record, so a late or repeated message always acts on the current state.
//! Unknown fields are ignored (new optional fields are not a breaking
//! change); an unknown `kind` is an error, so a message from a newer producer
//! waits in the DLQ for a consumer that understands it instead of vanishing.

use anyhow::Context;
use printvault_domain::ids::{CustomerId, ImageId};
use printvault_domain::Error;
use serde::{Deserialize, Serialize};

/// The `kind` of an [`ImageReady`] message.
pub const IMAGE_READY: &str = "image.ready";

/// An image reached `ready`. Sent at least once per image, possibly more.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImageReady {
    pub owner: CustomerId,
    pub image_id: ImageId,
}

/// The wire envelope: the payload with its `kind` tag beside its fields.
#[derive(Serialize, Deserialize)]
#[serde(tag = "kind")]
enum Message {
    #[serde(rename = "image.ready")]
    Ready(ImageReady),
}

impl ImageReady {
    /// The message body, `kind` included.
    pub fn to_body(&self) -> String {
        // Two typed IDs cannot fail to serialise.
        serde_json::to_string(&Message::Ready(self.clone())).unwrap_or_default()
    }
}

/// Parses a message body. An error means the message can never succeed.
pub fn parse(body: &str) -> Result<ImageReady, String> {
    #[derive(Deserialize)]
    struct Kind {
        kind: Option<String>,
    }
    let kind = serde_json::from_str::<Kind>(body)
        .map_err(|e| format!("not an image event: {e}"))?
        .kind
        .ok_or("not an image event: no `kind`")?;
    if kind != IMAGE_READY {
        return Err(format!("unknown image event kind {kind:?}"));
    }
    match serde_json::from_str::<Message>(body) {
        Ok(Message::Ready(r)) => Ok(r),
        Err(e) => Err(format!("malformed {IMAGE_READY} event: {e}")),
    }
}

/// Sends image events to the image-events queue.
#[derive(Clone, Debug)]
pub struct ImageEvents {
    sqs: aws_sdk_sqs::Client,
    queue_url: String,
}

impl ImageEvents {
    pub fn new(sqs: aws_sdk_sqs::Client, queue_url: impl Into<String>) -> Self {
        Self {
            sqs,
            queue_url: queue_url.into(),
        }
    }

    /// Says that `image_id` is ready. Safe to repeat: the consumer is idempotent.
    pub async fn publish_ready(&self, owner: &CustomerId, image_id: &ImageId) -> Result<(), Error> {
        let body = ImageReady {
            owner: owner.clone(),
            image_id: image_id.clone(),
        }
        .to_body();
        self.sqs
            .send_message()
            .queue_url(&self.queue_url)
            .message_body(body)
            .send()
            .await
            .context("sending an image.ready event")?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const OWNER: &str = "cus_01JD0000000000000000000000";
    const IMAGE: &str = "img_01JD0000000000000000000001";

    #[test]
    fn a_ready_event_round_trips_with_its_kind() {
        let r = ImageReady {
            owner: CustomerId::parse(OWNER).unwrap(),
            image_id: ImageId::parse(IMAGE).unwrap(),
        };
        let body = r.to_body();
        let v: serde_json::Value = serde_json::from_str(&body).unwrap();
        assert_eq!(v["kind"], IMAGE_READY);
        assert_eq!(v["owner"], OWNER);
        assert_eq!(v["image_id"], IMAGE);
        assert_eq!(parse(&body).unwrap(), r);
    }

    #[test]
    fn extra_fields_are_ignored() {
        let body = format!(r#"{{"kind":"image.ready","owner":"{OWNER}","image_id":"{IMAGE}","v":2}}"#);
        assert!(parse(&body).is_ok());
    }

    #[test]
    fn malformed_and_unknown_events_are_errors() {
        for (body, says) in [
            ("not json", "not an image event"),
            ("[1]", "not an image event"),
            (r#"{"owner":"x"}"#, "no `kind`"),
            (r#"{"kind":"image.deleted"}"#, "unknown image event kind"),
            (
                r#"{"kind":"image.ready","owner":"cus_x","image_id":"img_y"}"#,
                "malformed",
            ),
            (
                &format!(r#"{{"kind":"image.ready","owner":"{OWNER}"}}"#),
                "malformed",
            ),
            (
                &format!(r#"{{"kind":"image.ready","owner":"{IMAGE}","image_id":"{IMAGE}"}}"#),
                "malformed",
            ),
        ] {
            let e = parse(body).unwrap_err();
            assert!(e.contains(says), "{body}: {e}");
        }
    }
}
