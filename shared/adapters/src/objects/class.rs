//! Storage classes (M32): an archived original moves to a colder class by
//! a `CopyObject` of itself, and is read back with `RestoreObject` (a
//! temporary copy, readable until it expires).

use anyhow::Context;
use aws_sdk_s3::types::{MetadataDirective, StorageClass};

use super::ObjectStore;

impl ObjectStore {
    /// The storage class of the object at `key` (`STANDARD` when S3 names
    /// none); `None` when it is missing.
    pub async fn storage_class(&self, key: &str) -> anyhow::Result<Option<String>> {
        match self.s3.head_object().bucket(&self.bucket).key(key).send().await {
            Ok(h) => Ok(Some(
                h.storage_class
                    .unwrap_or(StorageClass::Standard)
                    .as_str()
                    .to_owned(),
            )),
            Err(e) if e.as_service_error().is_some_and(|e| e.is_not_found()) => Ok(None),
            Err(e) => Err(anyhow::Error::from(e).context(format!("reading s3://{}/{key}", self.bucket))),
        }
    }

    /// Moves the object at `key` to `class` by copying it onto itself,
    /// metadata kept.
    pub async fn copy_to_class(&self, key: &str, class: &str) -> anyhow::Result<()> {
        self.s3
            .copy_object()
            .bucket(&self.bucket)
            .key(key)
            .copy_source(format!("{}/{}", self.bucket, urlencode_key(key)))
            .metadata_directive(MetadataDirective::Copy)
            .storage_class(StorageClass::from(class))
            .send()
            .await
            .with_context(|| format!("moving s3://{}/{key} to {class}", self.bucket))?;
        Ok(())
    }
}

/// `key` percent-encoded for `x-amz-copy-source`, its slashes kept.
fn urlencode_key(key: &str) -> String {
    key.split('/')
        .map(|p| percent_encoding::utf8_percent_encode(p, percent_encoding::NON_ALPHANUMERIC).to_string())
        .collect::<Vec<_>>()
        .join("/")
}

/// Where S3 says an archived object's restore is (`HeadObject`'s
/// `x-amz-restore`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Restoring {
    /// No restore asked, or the last copy expired.
    None,
    /// S3 is bringing a copy back.
    Ongoing,
    /// A copy is readable until this time.
    Ready(time::OffsetDateTime),
}

impl ObjectStore {
    /// Asks S3 to make the archived object at `key` readable for `days`,
    /// at retrieval `tier`. A restore already on its way is not an error
    /// (S3's `RestoreAlreadyInProgress`), and a copy already readable has
    /// its expiry moved to `days` from now, as S3 does.
    pub async fn restore(&self, key: &str, days: u32, tier: &str) -> anyhow::Result<()> {
        use aws_sdk_s3::error::ProvideErrorMetadata;
        use aws_sdk_s3::types::{GlacierJobParameters, RestoreRequest, Tier};
        let request = RestoreRequest::builder()
            .days(i32::try_from(days).unwrap_or(i32::MAX))
            .glacier_job_parameters(GlacierJobParameters::builder().tier(Tier::from(tier)).build()?)
            .build();
        match self
            .s3
            .restore_object()
            .bucket(&self.bucket)
            .key(key)
            .restore_request(request)
            .send()
            .await
        {
            Ok(_) => Ok(()),
            Err(e) if e.code() == Some("RestoreAlreadyInProgress") => Ok(()),
            Err(e) => Err(anyhow::Error::from(e).context(format!("restoring s3://{}/{key}", self.bucket))),
        }
    }

    /// Where the restore of the object at `key` is; `None` when it is
    /// missing.
    pub async fn restoring(&self, key: &str) -> anyhow::Result<Option<Restoring>> {
        match self.s3.head_object().bucket(&self.bucket).key(key).send().await {
            Ok(h) => Ok(Some(h.restore.as_deref().map_or(Restoring::None, parse_restore))),
            Err(e) if e.as_service_error().is_some_and(|e| e.is_not_found()) => Ok(None),
            Err(e) => Err(anyhow::Error::from(e).context(format!("reading s3://{}/{key}", self.bucket))),
        }
    }
}

/// Reads `x-amz-restore`: `ongoing-request="true"`, or
/// `ongoing-request="false", expiry-date="Fri, 21 Dec 2012 00:00:00 GMT"`.
pub fn parse_restore(header: &str) -> Restoring {
    if header.contains(r#"ongoing-request="true""#) {
        return Restoring::Ongoing;
    }
    let expiry = header
        .split_once(r#"expiry-date=""#)
        .and_then(|(_, rest)| rest.split_once('"'))
        .and_then(|(date, _)| {
            time::OffsetDateTime::parse(date, &time::format_description::well_known::Rfc2822).ok()
        });
    match expiry {
        Some(until) if header.contains(r#"ongoing-request="false""#) => Restoring::Ready(until),
        _ => Restoring::None,
    }
}

#[cfg(test)]
mod restore_tests {
    use super::*;

    #[test]
    fn the_restore_header_says_ongoing_or_ready_until() {
        assert_eq!(parse_restore(r#"ongoing-request="true""#), Restoring::Ongoing);
        assert_eq!(
            parse_restore(r#"ongoing-request="false", expiry-date="Fri, 21 Dec 2012 00:00:00 GMT""#),
            Restoring::Ready(time::macros::datetime!(2012-12-21 00:00 UTC))
        );
        assert_eq!(parse_restore(""), Restoring::None);
        assert_eq!(
            parse_restore(r#"ongoing-request="false", expiry-date="soon""#),
            Restoring::None
        );
    }
}
