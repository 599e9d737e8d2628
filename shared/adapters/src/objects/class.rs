//! Storage classes (M32): an archived original moves to a colder class by
//! a `CopyObject` of itself, and is read back with `RestoreObject`.

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
