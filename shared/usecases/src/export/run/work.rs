//! What an export keeps in S3 between steps, under its `work/` prefix:
//! the manifest, each part's entries, and each hand-over's resume point
//! and carry.

use anyhow::Context;
use printvault_adapters::objects::Fetched;
use printvault_domain::Error;
use serde::Serialize;

use crate::Stores;

/// The largest piece of work state read back (a manifest of about half a
/// million images).
const MAX_WORK_BYTES: u64 = 1 << 30;

pub(super) struct Work<'a> {
    pub st: &'a Stores,
    pub prefix: String,
}

impl Work<'_> {
    pub fn key(&self, name: &str) -> String {
        format!("{}work/{name}", self.prefix)
    }

    pub async fn put<T: Serialize>(&self, name: &str, value: &T) -> Result<(), Error> {
        let body = serde_json::to_vec(value).context("encoding an export's work")?;
        self.put_bytes(name, body).await
    }

    pub async fn put_bytes(&self, name: &str, body: Vec<u8>) -> Result<(), Error> {
        let key = self.key(name);
        Ok(self
            .st
            .objects
            .put(&key, body, "application/octet-stream")
            .await?)
    }

    pub async fn bytes(&self, name: &str) -> Result<Option<Vec<u8>>, Error> {
        match self
            .st
            .objects
            .get_bounded(&self.key(name), MAX_WORK_BYTES)
            .await?
        {
            Fetched::Bytes(b) => Ok(Some(b.to_vec())),
            Fetched::Missing => Ok(None),
            Fetched::TooLarge(n) => Err(anyhow::anyhow!("an export's {name} is {n} bytes").into()),
        }
    }

    pub async fn get<T: serde::de::DeserializeOwned>(&self, name: &str) -> Result<T, Error> {
        let bytes = self
            .bytes(name)
            .await?
            .with_context(|| format!("an export's {name} is missing"))?;
        Ok(serde_json::from_slice(&bytes).with_context(|| format!("decoding an export's {name}"))?)
    }
}
