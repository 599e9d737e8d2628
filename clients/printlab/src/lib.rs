//! printlab, the print lab's client (M22). For each job on the lab's FIFO
//! queue it:
//! 1. long-polls the queue, and checks the job against
//!    `docs/lab-job.schema.json` ([`validate`]) before writing anything;
//! 2. downloads the job's images into the hot folder, as
//!    `<hot>/<order>/<line>/<image>.<format>`, with a progress bar;
//! 3. checks each file's length and SHA-256 against the job;
//! 4. writes the job sheet (`JOB.txt`, and the job itself as `job.json`);
//! 5. reports the job `accepted` to the api with the lab's key;
//! 6. marks the job done (`DONE`) and only then deletes the message.
//!
//! While it downloads it keeps extending the message's visibility, so a big
//! job is not handed to another poller. If it dies half-way the message
//! comes back after the visibility timeout, and files already complete and
//! correct are kept, not fetched again. A job seen again after it was done
//! (SQS may deliver one twice) is recognised by its `DONE` marker and only
//! deleted.
//!
//! A job that cannot be done as it stands (outside the schema, a download
//! that is not what the job says, a server printlab does not trust) is an
//! error: nothing is reported, no partial file is left, and the message
//! stays on the queue, to come back after its visibility timeout and, after
//! the queue's receive limit, to go to the lab's dead-letter queue.
//!
//! Everything goes over HTTPS ([`tls`]) unless the lab asks for plain HTTP
//! with `--insecure-http` (a local stack).

pub mod disc;
mod fetch;
mod sheet;
pub mod tls;
pub mod validate;

use anyhow::{bail, Context};
use printvault_domain::dispatch::disc::DiscJob;
use printvault_domain::dispatch::LabJob;
use serde_json::json;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// How long a received job stays hidden from other pollers.
pub const VISIBILITY_SECS: i32 = 300;
/// How often printlab extends that while it works on a job.
pub const EXTEND_EVERY: Duration = Duration::from_secs(60);

/// One lab's connection to printvault.
#[derive(Clone)]
pub struct PrintLab {
    pub sqs: aws_sdk_sqs::Client,
    /// printlab's client ([`tls::http_client`]): HTTPS only unless
    /// `insecure_http`.
    pub http: reqwest::Client,
    /// Whether jobs' image URLs may be plain HTTP (a local stack).
    pub insecure_http: bool,
    pub queue_url: String,
    /// The api's base URL (`https://…`, no `/v1`).
    pub api: String,
    /// The lab's reporting key (`x-lab-key`).
    pub key: String,
    pub hot_folder: PathBuf,
    /// Draw progress bars (off in tests and when output is not a terminal).
    pub progress: bool,
    /// How often to extend a job's visibility while working on it
    /// ([`EXTEND_EVERY`]).
    pub extend_every: Duration,
    /// The lab's burn command for a disc job's image (`sh -c`), if any
    /// ([`disc`]).
    pub burn_command: Option<String>,
}

/// What handling one job did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Handled {
    /// Fetched (`downloaded` files, `kept` already complete), checked,
    /// reported and deleted.
    Done {
        job_id: String,
        downloaded: usize,
        kept: usize,
    },
    /// Done before: only deleted.
    Duplicate { job_id: String },
    /// A disc job: fetched, built into an image of `bytes` holding `files`
    /// files, read back and checked, burnt, and reported `written` with the
    /// image's SHA-256.
    Written {
        job_id: String,
        downloaded: usize,
        kept: usize,
        files: usize,
        bytes: u64,
        image_sha256: String,
    },
}

impl PrintLab {
    /// Waits up to `wait_secs` for one job and handles it. `None` when no
    /// job came.
    pub async fn poll_once(&self, wait_secs: i32) -> anyhow::Result<Option<Handled>> {
        let out = self
            .sqs
            .receive_message()
            .queue_url(&self.queue_url)
            .max_number_of_messages(1)
            .wait_time_seconds(wait_secs)
            .visibility_timeout(VISIBILITY_SECS)
            .send()
            .await
            .context("receiving a job")?;
        let Some(m) = out.messages.unwrap_or_default().into_iter().next() else {
            return Ok(None);
        };
        let receipt = m
            .receipt_handle
            .clone()
            .context("a job without a receipt handle")?;
        let body: serde_json::Value = serde_json::from_str(m.body.as_deref().unwrap_or_default())
            .context("the message is not a printvault lab job (docs/lab-job.schema.json)")?;
        let handled = if body.get("kind").and_then(|k| k.as_str()) == Some("disc") {
            let job: DiscJob = serde_json::from_value(body)
                .context("the message is not a printvault disc job (docs/lab-job.schema.json)")?;
            self.with_visibility_extended(&receipt, self.handle_disc(&job))
                .await?
        } else {
            let job: LabJob = serde_json::from_value(body)
                .context("the message is not a printvault lab job (docs/lab-job.schema.json)")?;
            self.with_visibility_extended(&receipt, self.handle(&job)).await?
        };
        // Last: the message goes only once the files are safe and reported.
        self.sqs
            .delete_message()
            .queue_url(&self.queue_url)
            .receipt_handle(&receipt)
            .send()
            .await
            .context("deleting the job")?;
        Ok(Some(handled))
    }

    /// The folder of one job: `<hot>/<order>/<line>`.
    pub fn job_dir(&self, job: &LabJob) -> PathBuf {
        self.hot_folder
            .join(job.merchant_reference.as_str())
            .join(format!("{:02}", job.line))
    }

    /// Checks the job, fetches, checks the files, writes the sheet, reports
    /// `accepted` and marks the job done. Safe to repeat. A job outside the
    /// schema writes nothing.
    pub async fn handle(&self, job: &LabJob) -> anyhow::Result<Handled> {
        validate::validate(job, self.insecure_http)?;
        let dir = self.job_dir(job);
        let done = dir.join("DONE");
        if done.exists() {
            return Ok(Handled::Duplicate {
                job_id: job.job_id.clone(),
            });
        }
        std::fs::create_dir_all(&dir).with_context(|| format!("making {}", dir.display()))?;
        let (downloaded, kept) = self.fetch_assets(job, &dir).await?;
        sheet::write(job, &dir)?;
        self.report(
            job.merchant_reference.as_str(),
            job.line,
            json!({"stage": "accepted"}),
        )
        .await?;
        std::fs::write(&done, &job.job_id).with_context(|| format!("writing {}", done.display()))?;
        Ok(Handled::Done {
            job_id: job.job_id.clone(),
            downloaded,
            kept,
        })
    }

    /// Reports `body` (`{"stage": …}`) for line `line` of `order`. A line
    /// already at or past the stage (409) is fine: the report was made.
    pub async fn report(
        &self,
        order: &str,
        line: u32,
        body: serde_json::Value,
    ) -> anyhow::Result<serde_json::Value> {
        report(&self.http, &self.api, &self.key, order, line, body).await
    }

    /// Runs `work` while extending the message's visibility every minute.
    async fn with_visibility_extended<T>(
        &self,
        receipt: &str,
        work: impl std::future::Future<Output = anyhow::Result<T>>,
    ) -> anyhow::Result<T> {
        let (sqs, url, receipt_owned) = (self.sqs.clone(), self.queue_url.clone(), receipt.to_owned());
        let every = self.extend_every;
        let extender = tokio::spawn(async move {
            loop {
                tokio::time::sleep(every).await;
                let extended = sqs
                    .change_message_visibility()
                    .queue_url(&url)
                    .receipt_handle(&receipt_owned)
                    .visibility_timeout(VISIBILITY_SECS)
                    .send()
                    .await;
                if let Err(e) = extended {
                    tracing::warn!(error = %e, "could not extend the job's visibility");
                }
            }
        });
        let out = work.await;
        extender.abort();
        out
    }
}

/// Reports `body` (`{"stage": …}`) for line `line` of `order` to the api
/// at `api` with the lab's `key`, through `http` ([`tls::http_client`]). A
/// line already at or past the stage (409) is fine: the report was made.
pub async fn report(
    http: &reqwest::Client,
    api: &str,
    key: &str,
    order: &str,
    line: u32,
    body: serde_json::Value,
) -> anyhow::Result<serde_json::Value> {
    let url = format!(
        "{}/v1/lab/orders/{order}/lines/{line}/reports",
        api.trim_end_matches('/')
    );
    post_report(http, &url, key, body).await
}

/// Posts report `body` to `url` with the lab's `key`. A job already at or
/// past the stage (409) is fine: the report was made.
pub(crate) async fn post_report(
    http: &reqwest::Client,
    url: &str,
    key: &str,
    body: serde_json::Value,
) -> anyhow::Result<serde_json::Value> {
    let res = http
        .post(url)
        .header("x-lab-key", key)
        .json(&body)
        .send()
        .await
        .with_context(|| format!("reporting to {url}"))?;
    let status = res.status();
    let answer: serde_json::Value = res.json().await.unwrap_or_default();
    if status.is_success() || status == reqwest::StatusCode::CONFLICT {
        return Ok(answer);
    }
    bail!(
        "printvault refused the report ({status}): {}",
        answer["error"]["message"].as_str().unwrap_or("no message")
    )
}

/// The path of one asset in a job's folder.
pub fn asset_path(dir: &Path, image_id: &str, format: &str) -> PathBuf {
    dir.join(format!("{image_id}.{format}"))
}
