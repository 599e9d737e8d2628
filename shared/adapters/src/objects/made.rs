//! Objects made once from another (see [`ObjectStore::made_once`]).

use anyhow::Context;
use aws_sdk_s3::primitives::ByteStream;
use bytes::Bytes;

use super::{Fetched, ObjectStore};

/// The user metadata that holds a made object's SHA-256 (hex).
const SHA256_METADATA: &str = "sha256";

impl ObjectStore {
    /// The object at `key`, made on first request from the one at `source`
    /// (at most `max_bytes`) by `make`, off the async threads, and kept:
    /// the "cannot print" preview (M10), the original without its location
    /// (issue 7, item 5) for other customers and for labs. Two concurrent
    /// first requests write the same bytes. `Ok(None)` when `source` is
    /// missing or too large (the image is gone).
    pub async fn made_once(
        &self,
        key: String,
        source: String,
        max_bytes: u64,
        content_type: &str,
        make: impl FnOnce(Bytes) -> Result<Vec<u8>, String> + Send + 'static,
    ) -> anyhow::Result<Option<String>> {
        if self.exists(&key).await? {
            return Ok(Some(key));
        }
        let bytes = match self.get_bounded(&source, max_bytes).await? {
            Fetched::Bytes(b) => b,
            _ => return Ok(None),
        };
        let (made, sha) = tokio::task::spawn_blocking(move || {
            make(bytes).map(|m| {
                use sha2::Digest;
                let sha: [u8; 32] = sha2::Sha256::digest(&m).into();
                (m, sha)
            })
        })
        .await
        .map_err(|e| anyhow::anyhow!("the task making {key} failed: {e}"))?
        .map_err(|e| anyhow::anyhow!("making {key}: {e}"))?;
        use base64::Engine;
        self.s3
            .put_object()
            .bucket(&self.bucket)
            .key(&key)
            .content_type(content_type)
            .checksum_sha256(base64::engine::general_purpose::STANDARD.encode(sha))
            .metadata(SHA256_METADATA, hex::encode(sha))
            .body(ByteStream::from(made))
            .send()
            .await
            .with_context(|| format!("writing s3://{}/{key}", self.bucket))?;
        Ok(Some(key))
    }

    /// The length and SHA-256 (hex) of an object [`Self::made_once`] wrote
    /// (kept in its metadata). `None` when it is missing or has none.
    pub async fn fingerprint(&self, key: &str) -> anyhow::Result<Option<(u64, String)>> {
        match self.s3.head_object().bucket(&self.bucket).key(key).send().await {
            Ok(h) => Ok(h
                .metadata
                .as_ref()
                .and_then(|m| m.get(SHA256_METADATA))
                .filter(|s| s.len() == 64 && s.bytes().all(|b| b.is_ascii_hexdigit()))
                .map(|s| {
                    (
                        h.content_length.unwrap_or(0).max(0) as u64,
                        s.to_ascii_lowercase(),
                    )
                })),
            Err(e) if e.as_service_error().is_some_and(|e| e.is_not_found()) => Ok(None),
            Err(e) => Err(anyhow::Error::from(e).context("reading an object's fingerprint")),
        }
    }

    /// Writes `body` at `key` with its SHA-256, verified by S3 on receipt
    /// and kept in the metadata for [`Self::fingerprint`], and `extra`
    /// metadata. Writing the same bytes again changes nothing.
    pub async fn put_fingerprinted(
        &self,
        key: &str,
        body: Vec<u8>,
        content_type: &str,
        extra: &[(&str, String)],
    ) -> anyhow::Result<(u64, String)> {
        use base64::Engine;
        use sha2::Digest;
        let sha: [u8; 32] = sha2::Sha256::digest(&body).into();
        let len = body.len() as u64;
        let mut put = self
            .s3
            .put_object()
            .bucket(&self.bucket)
            .key(key)
            .content_type(content_type)
            .checksum_sha256(base64::engine::general_purpose::STANDARD.encode(sha))
            .metadata(SHA256_METADATA, hex::encode(sha));
        for (k, v) in extra {
            put = put.metadata(*k, v);
        }
        put.body(ByteStream::from(body))
            .send()
            .await
            .with_context(|| format!("writing s3://{}/{key}", self.bucket))?;
        Ok((len, hex::encode(sha)))
    }

    /// The user metadata `name` of the object at `key`; `None` when the
    /// object or the metadata is missing.
    pub async fn metadata(&self, key: &str, name: &str) -> anyhow::Result<Option<String>> {
        match self.s3.head_object().bucket(&self.bucket).key(key).send().await {
            Ok(h) => Ok(h.metadata.and_then(|mut m| m.remove(name))),
            Err(e) if e.as_service_error().is_some_and(|e| e.is_not_found()) => Ok(None),
            Err(e) => Err(anyhow::Error::from(e).context(format!("reading s3://{}/{key}", self.bucket))),
        }
    }
}
