//! The photos bucket: presigned URLs and object reads and writes.

use anyhow::Context;
use aws_sdk_s3::presigning::PresigningConfig;
use aws_sdk_s3::primitives::ByteStream;
use bytes::Bytes;
use std::collections::BTreeMap;
use std::time::Duration;

mod class;
pub use class::{parse_restore, Restoring};
mod made;
mod multipart;
pub use multipart::{Sink, Upload, PART_BYTES};

#[derive(Clone, Debug)]
pub struct ObjectStore {
    s3: aws_sdk_s3::Client,
    bucket: String,
}

/// A presigned request: the client must send exactly these headers.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Presigned {
    pub method: String,
    pub url: String,
    pub headers: BTreeMap<String, String>,
}

/// What `get_bounded` found.
#[derive(Debug)]
pub enum Fetched {
    Bytes(Bytes),
    /// The object is larger than allowed; its body was not read.
    TooLarge(u64),
    Missing,
}

impl ObjectStore {
    pub fn new(s3: aws_sdk_s3::Client, bucket: impl Into<String>) -> Self {
        Self {
            s3,
            bucket: bucket.into(),
        }
    }

    pub fn bucket(&self) -> &str {
        &self.bucket
    }

    /// A PUT URL bound to one key, one Content-Type and one Content-Length,
    /// and writing once: all are signed, and `If-None-Match: *` makes S3
    /// refuse a second PUT to the key (412), so the bytes upload-finalise
    /// checks cannot be swapped for others under the same URL.
    pub async fn presign_put(
        &self,
        key: &str,
        content_type: &str,
        content_length: u64,
        ttl: Duration,
    ) -> anyhow::Result<Presigned> {
        let req = self
            .s3
            .put_object()
            .bucket(&self.bucket)
            .key(key)
            .content_type(content_type)
            .content_length(i64::try_from(content_length).context("content length overflows")?)
            .if_none_match("*")
            .presigned(PresigningConfig::expires_in(ttl)?)
            .await
            .context("presigning an upload")?;
        Ok(Presigned {
            method: req.method().to_owned(),
            url: req.uri().to_owned(),
            headers: req
                .headers()
                .filter(|(k, _)| !k.eq_ignore_ascii_case("host"))
                .map(|(k, v)| (k.to_ascii_lowercase(), v.to_owned()))
                .collect(),
        })
    }

    /// A short-lived GET URL for one object.
    pub async fn presign_get(&self, key: &str, ttl: Duration) -> anyhow::Result<String> {
        let req = self
            .s3
            .get_object()
            .bucket(&self.bucket)
            .key(key)
            .presigned(PresigningConfig::expires_in(ttl)?)
            .await
            .context("presigning a download")?;
        Ok(req.uri().to_owned())
    }

    /// Reads an object unless it is larger than `max_bytes`.
    pub async fn get_bounded(&self, key: &str, max_bytes: u64) -> anyhow::Result<Fetched> {
        let out = match self.s3.get_object().bucket(&self.bucket).key(key).send().await {
            Ok(o) => o,
            Err(e) if e.as_service_error().is_some_and(|e| e.is_no_such_key()) => {
                return Ok(Fetched::Missing)
            }
            Err(e) => {
                return Err(anyhow::Error::from(e).context(format!("reading s3://{}/{key}", self.bucket)))
            }
        };
        let len = out.content_length.unwrap_or(0).max(0) as u64;
        if len > max_bytes {
            return Ok(Fetched::TooLarge(len));
        }
        let body = out
            .body
            .collect()
            .await
            .context("reading an object body")?
            .into_bytes();
        if body.len() as u64 > max_bytes {
            return Ok(Fetched::TooLarge(body.len() as u64));
        }
        Ok(Fetched::Bytes(body))
    }

    pub async fn put(&self, key: &str, body: Vec<u8>, content_type: &str) -> anyhow::Result<()> {
        self.s3
            .put_object()
            .bucket(&self.bucket)
            .key(key)
            .content_type(content_type)
            .body(ByteStream::from(body))
            .send()
            .await
            .with_context(|| format!("writing s3://{}/{key}", self.bucket))?;
        Ok(())
    }

    /// Writes exactly `body`, with its SHA-256 for S3 to verify on receipt:
    /// what is stored is what was checked, byte for byte. Overwriting the
    /// same bytes makes it idempotent.
    pub async fn put_exact(
        &self,
        key: &str,
        body: bytes::Bytes,
        content_type: &str,
        sha256: &[u8; 32],
    ) -> anyhow::Result<()> {
        use base64::Engine;
        self.s3
            .put_object()
            .bucket(&self.bucket)
            .key(key)
            .content_type(content_type)
            .checksum_sha256(base64::engine::general_purpose::STANDARD.encode(sha256))
            .body(ByteStream::from(body))
            .send()
            .await
            .with_context(|| format!("writing s3://{}/{key}", self.bucket))?;
        Ok(())
    }

    /// Deletes an object; deleting a missing object succeeds.
    pub async fn delete(&self, key: &str) -> anyhow::Result<()> {
        self.s3
            .delete_object()
            .bucket(&self.bucket)
            .key(key)
            .send()
            .await
            .with_context(|| format!("deleting s3://{}/{key}", self.bucket))?;
        Ok(())
    }

    /// The same bucket through another client (say, one whose endpoint is
    /// where others reach the bucket, for presigning).
    pub fn with_client(self, s3: aws_sdk_s3::Client) -> Self {
        Self { s3, ..self }
    }

    /// True when the object exists.
    pub async fn exists(&self, key: &str) -> anyhow::Result<bool> {
        match self.s3.head_object().bucket(&self.bucket).key(key).send().await {
            Ok(_) => Ok(true),
            Err(e) if e.as_service_error().is_some_and(|e| e.is_not_found()) => Ok(false),
            Err(e) => Err(anyhow::Error::from(e).context("checking an object")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn store() -> ObjectStore {
        let config = crate::aws::local_sdk_config("http://127.0.0.1:1", "us-east-1").await;
        ObjectStore::new(crate::aws::Clients::new(&config).s3, "bucket")
    }

    fn query_param(url: &str, name: &str) -> String {
        let q = url.split_once('?').map(|(_, q)| q).unwrap_or_default();
        q.split('&')
            .filter_map(|kv| kv.split_once('='))
            .find(|(k, _)| *k == name)
            .map(|(_, v)| {
                percent_encoding::percent_decode_str(v)
                    .decode_utf8_lossy()
                    .into_owned()
            })
            .unwrap_or_default()
    }

    /// moto checks neither signatures nor lengths, so what the URL binds is
    /// checked here: the key, the expiry, and the signed length and type.
    #[tokio::test]
    async fn upload_urls_sign_length_type_expiry_and_write_once() {
        let p = store()
            .await
            .presign_put(
                "incoming/cus_1/img_1",
                "image/jpeg",
                12345,
                Duration::from_secs(900),
            )
            .await
            .unwrap();
        assert_eq!(p.method, "PUT");
        assert!(p.url.contains("/bucket/incoming/cus_1/img_1?"), "{}", p.url);
        let signed = query_param(&p.url, "X-Amz-SignedHeaders");
        for h in ["content-length", "content-type", "host", "if-none-match"] {
            assert!(signed.split(';').any(|s| s == h), "{h} is not signed: {signed}");
        }
        assert_eq!(query_param(&p.url, "X-Amz-Expires"), "900");
        assert_eq!(p.headers.get("content-length").map(String::as_str), Some("12345"));
        assert_eq!(
            p.headers.get("content-type").map(String::as_str),
            Some("image/jpeg")
        );
        // Write once: a second PUT to the same URL is refused.
        assert_eq!(p.headers.get("if-none-match").map(String::as_str), Some("*"));
        assert!(
            !p.url.contains("x-amz-checksum"),
            "a checksum of the empty body must not be signed: {}",
            p.url
        );
    }

    #[tokio::test]
    async fn download_urls_expire() {
        let url = store()
            .await
            .presign_get("thumbs/a.jpg", Duration::from_secs(300))
            .await
            .unwrap();
        assert_eq!(query_param(&url, "X-Amz-Expires"), "300");
    }
}
