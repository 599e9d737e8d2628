//! Image events: upload-finalise says an image became `ready`, the
//! api says an owner changed the attributes that place an image in automatic
//! albums, and classify (M12) files it accordingly.
//!
//! A message body is one JSON object tagged by `kind`:
//!
//! ```json
//! {"kind": "image.ready", "owner": "cus_…", "image_id": "img_…"}
//! {"kind": "image.attributes_changed", "owner": "cus_…", "image_id": "img_…"}
//! ```
//!
//! The message names the image and nothing else: the consumer reads the
//! record, so a late or repeated message always acts on the current state.
//! Unknown fields are ignored (new optional fields are not a breaking
//! change); an unknown `kind` is an error, so a message from a newer producer
//! waits in the DLQ for a consumer that understands it instead of vanishing.

use crate::ids::{CustomerId, ImageId};
use serde::{Deserialize, Serialize};

/// What happened to the image.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Kind {
    /// It reached `ready`. Sent at least once per image, possibly more.
    #[serde(rename = "image.ready")]
    Ready,
    /// Its owner changed its date taken, event or place (M8).
    #[serde(rename = "image.attributes_changed")]
    AttributesChanged,
}

impl Kind {
    pub const ALL: [Kind; 2] = [Kind::Ready, Kind::AttributesChanged];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Ready => "image.ready",
            Kind::AttributesChanged => "image.attributes_changed",
        }
    }
}

/// One message on the image-events queue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImageEvent {
    pub kind: Kind,
    pub owner: CustomerId,
    pub image_id: ImageId,
}

impl ImageEvent {
    pub fn ready(owner: &CustomerId, image_id: &ImageId) -> Self {
        Self {
            kind: Kind::Ready,
            owner: owner.clone(),
            image_id: image_id.clone(),
        }
    }

    pub fn attributes_changed(owner: &CustomerId, image_id: &ImageId) -> Self {
        Self {
            kind: Kind::AttributesChanged,
            ..Self::ready(owner, image_id)
        }
    }

    /// The message body, `kind` included.
    pub fn to_body(&self) -> String {
        // A kind and two typed IDs cannot fail to serialise.
        serde_json::to_string(self).unwrap_or_default()
    }
}

/// Parses a message body. An error means the message can never succeed.
pub fn parse(body: &str) -> Result<ImageEvent, String> {
    #[derive(Deserialize)]
    struct Tag {
        kind: Option<String>,
    }
    let kind = serde_json::from_str::<Tag>(body)
        .map_err(|e| format!("not an image event: {e}"))?
        .kind
        .ok_or("not an image event: no `kind`")?;
    if !Kind::ALL.iter().any(|k| k.as_str() == kind) {
        return Err(format!("unknown image event kind {kind:?}"));
    }
    serde_json::from_str::<ImageEvent>(body).map_err(|e| format!("malformed {kind} event: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    const OWNER: &str = "cus_01JD0000000000000000000000";
    const IMAGE: &str = "img_01JD0000000000000000000001";

    #[test]
    fn events_round_trip_with_their_kind() {
        let (owner, image) = (CustomerId::parse(OWNER).unwrap(), ImageId::parse(IMAGE).unwrap());
        for (event, kind) in [
            (ImageEvent::ready(&owner, &image), "image.ready"),
            (
                ImageEvent::attributes_changed(&owner, &image),
                "image.attributes_changed",
            ),
        ] {
            let body = event.to_body();
            let v: serde_json::Value = serde_json::from_str(&body).unwrap();
            assert_eq!(v["kind"], kind);
            assert_eq!(v["owner"], OWNER);
            assert_eq!(v["image_id"], IMAGE);
            assert_eq!(parse(&body).unwrap(), event);
        }
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
