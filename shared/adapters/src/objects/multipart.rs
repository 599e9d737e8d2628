//! Writing one large object as a stream (the export's ZIP parts, X3):
//! an S3 multipart upload fed in order, holding at most one upload part
//! in memory and nothing on disk. An upload can be paused between writes
//! and resumed by another invocation: what it holds is its [`Upload`]
//! (the parts sent) and the carry (the bytes not yet sent, less than a
//! part), which the caller keeps (in S3) until it resumes.

use anyhow::Context;
use aws_sdk_s3::primitives::ByteStream;
use aws_sdk_s3::types::{CompletedMultipartUpload, CompletedPart};
use serde::{Deserialize, Serialize};

use super::ObjectStore;

/// The size of each upload part but the last (S3 asks at least 5 MiB).
pub const PART_BYTES: usize = 8 << 20;

/// A multipart upload under way: its key and ID, and the parts sent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Upload {
    pub key: String,
    pub upload_id: String,
    /// Each part sent: its number and its ETag.
    pub parts: Vec<(i32, String)>,
    /// Bytes sent in those parts.
    pub sent: u64,
}

/// The writing end of an [`Upload`].
pub struct Sink {
    store: ObjectStore,
    upload: Upload,
    buf: Vec<u8>,
}

impl ObjectStore {
    /// Starts writing `key` as a stream.
    pub async fn begin_upload(&self, key: &str, content_type: &str) -> anyhow::Result<Sink> {
        let out = self
            .s3
            .create_multipart_upload()
            .bucket(&self.bucket)
            .key(key)
            .content_type(content_type)
            .send()
            .await
            .with_context(|| format!("starting an upload of s3://{}/{key}", self.bucket))?;
        let upload_id = out.upload_id.context("S3 gave no upload ID")?;
        Ok(self.resume_upload(
            Upload {
                key: key.to_owned(),
                upload_id,
                parts: Vec::new(),
                sent: 0,
            },
            Vec::new(),
        ))
    }

    /// Carries on writing `upload`, starting with `carry` (what
    /// [`Sink::pause`] returned with it).
    pub fn resume_upload(&self, upload: Upload, carry: Vec<u8>) -> Sink {
        let mut buf = Vec::with_capacity(PART_BYTES + (1 << 20));
        buf.extend_from_slice(&carry);
        Sink {
            store: self.clone(),
            upload,
            buf,
        }
    }

    /// The size of the object at `key`; `None` when there is none.
    pub async fn size_of(&self, key: &str) -> anyhow::Result<Option<u64>> {
        match self.s3.head_object().bucket(&self.bucket).key(key).send().await {
            Ok(o) => Ok(Some(o.content_length.unwrap_or(0).max(0) as u64)),
            Err(e) if e.as_service_error().is_some_and(|e| e.is_not_found()) => Ok(None),
            Err(e) => Err(anyhow::Error::from(e).context(format!("looking at s3://{}/{key}", self.bucket))),
        }
    }

    /// Reads `key` as a stream: its body and its length. `None` when there
    /// is no such object.
    pub async fn stream(&self, key: &str) -> anyhow::Result<Option<(ByteStream, u64)>> {
        match self.s3.get_object().bucket(&self.bucket).key(key).send().await {
            Ok(o) => Ok(Some((o.body, o.content_length.unwrap_or(0).max(0) as u64))),
            Err(e) if e.as_service_error().is_some_and(|e| e.is_no_such_key()) => Ok(None),
            Err(e) => Err(anyhow::Error::from(e).context(format!("reading s3://{}/{key}", self.bucket))),
        }
    }
}

impl Sink {
    /// Appends `bytes`; each full part goes to S3 as it fills.
    pub async fn write(&mut self, bytes: &[u8]) -> anyhow::Result<()> {
        self.buf.extend_from_slice(bytes);
        while self.buf.len() >= PART_BYTES {
            let rest = self.buf.split_off(PART_BYTES);
            let part = std::mem::replace(&mut self.buf, rest);
            self.send(part).await?;
        }
        Ok(())
    }

    /// Bytes written so far, sent or not.
    pub fn written(&self) -> u64 {
        self.upload.sent + self.buf.len() as u64
    }

    async fn send(&mut self, part: Vec<u8>) -> anyhow::Result<()> {
        let number = self.upload.parts.len() as i32 + 1;
        let len = part.len() as u64;
        let out = self
            .store
            .s3
            .upload_part()
            .bucket(&self.store.bucket)
            .key(&self.upload.key)
            .upload_id(&self.upload.upload_id)
            .part_number(number)
            .body(ByteStream::from(part))
            .send()
            .await
            .with_context(|| format!("sending part {number} of {}", self.upload.key))?;
        self.upload
            .parts
            .push((number, out.e_tag.context("S3 gave no ETag")?));
        self.upload.sent += len;
        Ok(())
    }

    /// Stops here: the upload and the bytes not yet sent (less than a
    /// part), to resume with [`ObjectStore::resume_upload`].
    pub fn pause(self) -> (Upload, Vec<u8>) {
        (self.upload, self.buf)
    }

    /// Sends what is left as the last part and completes the object.
    pub async fn complete(mut self) -> anyhow::Result<u64> {
        if !self.buf.is_empty() || self.upload.parts.is_empty() {
            let last = std::mem::take(&mut self.buf);
            self.send(last).await?;
        }
        let parts = self
            .upload
            .parts
            .iter()
            .map(|(n, tag)| CompletedPart::builder().part_number(*n).e_tag(tag).build())
            .collect();
        self.store
            .s3
            .complete_multipart_upload()
            .bucket(&self.store.bucket)
            .key(&self.upload.key)
            .upload_id(&self.upload.upload_id)
            .multipart_upload(CompletedMultipartUpload::builder().set_parts(Some(parts)).build())
            .send()
            .await
            .with_context(|| format!("completing {}", self.upload.key))?;
        Ok(self.upload.sent)
    }

    /// Gives up: S3 drops the parts sent.
    pub async fn abort(self) -> anyhow::Result<()> {
        self.store
            .s3
            .abort_multipart_upload()
            .bucket(&self.store.bucket)
            .key(&self.upload.key)
            .upload_id(&self.upload.upload_id)
            .send()
            .await
            .with_context(|| format!("abandoning {}", self.upload.key))?;
        Ok(())
    }
}
