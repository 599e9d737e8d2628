//! S3 event notifications as they arrive in SQS message bodies.
//!
//! Parsed leniently with our own minimal struct: moto omits `userIdentity`,
//! `requestParameters`, `responseElements` and `sequencer`, which
//! `aws_lambda_events::s3::S3Event` requires, and AWS sends an `s3:TestEvent`
//! with no `Records` at all when a notification is configured.

use serde::Deserialize;

/// One object that was created.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ObjectCreated {
    pub bucket: String,
    /// URL-decoded key (`+` is a space).
    pub key: String,
    pub size: Option<u64>,
}

/// What one SQS message from the uploads queue says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum S3Notice {
    /// The `s3:TestEvent` S3 sends when a notification is configured.
    Test,
    /// ObjectCreated records (other event kinds are dropped).
    Created(Vec<ObjectCreated>),
}

#[derive(Deserialize)]
struct Body {
    #[serde(rename = "Records")]
    records: Option<Vec<Record>>,
    #[serde(rename = "Event")]
    event: Option<String>,
}

#[derive(Deserialize)]
struct Record {
    #[serde(rename = "eventName", default)]
    event_name: String,
    s3: Entity,
}

#[derive(Deserialize)]
struct Entity {
    bucket: Bucket,
    object: Object,
}

#[derive(Deserialize)]
struct Bucket {
    name: String,
}

#[derive(Deserialize)]
struct Object {
    key: String,
    size: Option<u64>,
}

/// A body's records; `None` for S3's test event.
fn records(body: &str) -> Result<Option<Vec<Record>>, String> {
    let b: Body = serde_json::from_str(body).map_err(|e| format!("not an S3 event notification: {e}"))?;
    if b.event.as_deref() == Some("s3:TestEvent") {
        return Ok(None);
    }
    b.records
        .map(Some)
        .ok_or_else(|| "an S3 event notification without Records".into())
}

/// The decoded keys of a body's `ObjectRestore:Completed` records (M32: an
/// archived original is readable again); none for S3's test event. An
/// error means the message can never succeed.
pub fn restored_keys(body: &str) -> Result<Vec<String>, String> {
    records(body)?
        .unwrap_or_default()
        .into_iter()
        .filter(|r| r.event_name == "ObjectRestore:Completed")
        .map(|r| decode_key(&r.s3.object.key))
        .collect()
}

/// Parses a message body. An error means the message can never succeed.
pub fn parse(body: &str) -> Result<S3Notice, String> {
    let Some(records) = records(body)? else {
        return Ok(S3Notice::Test);
    };
    let mut out = Vec::with_capacity(records.len());
    for r in records {
        if !r.event_name.starts_with("ObjectCreated:") {
            continue;
        }
        out.push(ObjectCreated {
            bucket: r.s3.bucket.name,
            key: decode_key(&r.s3.object.key)?,
            size: r.s3.object.size,
        });
    }
    Ok(S3Notice::Created(out))
}

/// S3 URL-encodes keys in notifications, with `+` for a space.
pub fn decode_key(raw: &str) -> Result<String, String> {
    percent_encoding::percent_decode_str(&raw.replace('+', " "))
        .decode_utf8()
        .map(|k| k.into_owned())
        .map_err(|_| format!("object key {raw:?} is not valid UTF-8 once decoded"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn moto_shape_parses_and_keys_are_decoded() {
        let body = r#"{"Records":[{"eventVersion":"2.1","eventSource":"aws:s3","awsRegion":"us-east-1",
            "eventTime":"2026-11-21T10:00:00.000Z","eventName":"ObjectCreated:Put",
            "s3":{"s3SchemaVersion":"1.0","configurationId":"c","bucket":{"name":"b","arn":"arn:aws:s3:::b"},
            "object":{"key":"incoming%2Fcus_1%2Fmy+photo.jpg","size":42,"eTag":"x"}}}]}"#;
        assert_eq!(
            parse(body).unwrap(),
            S3Notice::Created(vec![ObjectCreated {
                bucket: "b".into(),
                key: "incoming/cus_1/my photo.jpg".into(),
                size: Some(42)
            }])
        );
    }

    #[test]
    fn test_events_and_garbage() {
        let t =
            r#"{"Service":"Amazon S3","Event":"s3:TestEvent","Time":"2026-11-21T10:00:00Z","Bucket":"b"}"#;
        assert_eq!(parse(t).unwrap(), S3Notice::Test);
        assert!(parse("not json").is_err());
        assert!(parse("{}").is_err());
        let removed = r#"{"Records":[{"eventName":"ObjectRemoved:Delete","s3":{"bucket":{"name":"b"},"object":{"key":"k"}}}]}"#;
        assert_eq!(parse(removed).unwrap(), S3Notice::Created(vec![]));
        assert_eq!(restored_keys(removed).unwrap(), Vec::<String>::new());
        assert_eq!(restored_keys(t).unwrap(), Vec::<String>::new());
        let restored = r#"{"Records":[{"eventName":"ObjectRestore:Completed","s3":{"bucket":{"name":"b"},"object":{"key":"originals%2Fcus_1%2Fimg_2"}}}]}"#;
        assert_eq!(
            restored_keys(restored).unwrap(),
            vec!["originals/cus_1/img_2".to_owned()]
        );
        assert!(restored_keys(r#"{"kind":"order.paid"}"#).is_err());
    }
}
