//! One step of an export (X3), as the `export` function carries it out
//! for one message of the `exports` queue.
//!
//! A step claims the job for its message's step number (a duplicate or
//! stale message changes nothing), plans the export once (the manifest
//! and each part's entries go to S3 under `work/`, so every later step
//! writes exactly the parts planned, whatever changes meanwhile), then
//! writes parts while `go_on` says there is time. Short of time, it keeps
//! where it stands in S3 (`work/step-<n>.json` and its carry), queues step
//! `n + 1` and then moves the job on to it. A part's object exists only
//! once its upload is complete, so a step that finds it recorded or in
//! the bucket never writes it again.

use anyhow::Context;
use printvault_adapters::exports::Claimed;
use printvault_domain::export::job::{
    export_prefix, part_key, part_slot, ExportJob, ExportMessage, ExportPart,
};
use printvault_domain::export::manifest::Manifest;
use printvault_domain::notice::export::{failed_notice, ready_notice};
use printvault_domain::settings::Settings;
use printvault_domain::when::Timestamp;
use printvault_domain::Error;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

mod work;

use super::part::{write_part, Checkpoint, Entry, Part, PartError, Written};
use super::prepare::prepare;
use crate::Stores;
use work::Work;

/// How a step ended.
#[derive(Debug, PartialEq, Eq)]
pub enum Stepped {
    /// Every part is written and the email is queued.
    Done,
    /// Out of time: step `next` is queued to carry on.
    HandedOver { next: u32 },
    /// Stopped for good (an original gone or changed): the customer is told.
    Failed(String),
    /// The message is behind the job, or the job is finished: nothing to do.
    Stale,
    /// Another delivery holds the job, or the job has not reached this
    /// step yet: the message is to be tried again later.
    NotYet,
}

/// Where a step starts: the part, and within it the checkpoint (none:
/// from its first entry).
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Resume {
    part: u32,
    checkpoint: Option<Checkpoint>,
}

fn entries_name(part: u32) -> String {
    format!("entries-{part:05}.json")
}

/// Carries out `m` at `now`, holding the job for `lease_secs`; `go_on` is
/// asked before each entry and each part whether there is time for it.
pub async fn step(
    st: &Stores,
    settings: &Settings,
    m: &ExportMessage,
    now: OffsetDateTime,
    lease_secs: i64,
    mut go_on: impl FnMut() -> bool,
) -> Result<Stepped, Error> {
    let token = printvault_domain::account::SessionToken::generate()
        .as_str()
        .to_owned();
    let lease = (now.unix_timestamp(), now.unix_timestamp() + lease_secs);
    let job = match st
        .exports
        .claim(&m.customer_id, &m.export_id, m.step, &token, lease)
        .await?
    {
        Claimed::Mine(job) => *job,
        Claimed::Stale => return Ok(Stepped::Stale),
        Claimed::NotYet => return Ok(Stepped::NotYet),
    };
    let work = Work {
        st,
        prefix: export_prefix(&job.customer_id, &job.export_id),
    };
    let manifest: Manifest = match job.parts_total {
        Some(_) => work.get("manifest.json").await?,
        None => plan(&work, settings, &job, &token).await?,
    };
    let resume: Resume = if job.step == 0 {
        Resume {
            part: 1,
            checkpoint: None,
        }
    } else {
        work.get(&format!("step-{}.json", job.step)).await?
    };
    let mut carry = match resume.checkpoint {
        Some(_) => work.bytes(&format!("step-{}.carry", job.step)).await?,
        None => None,
    };
    let mut checkpoint = resume.checkpoint;
    let made = Timestamp::at(now);
    for n in resume.part..=manifest.parts {
        if job.parts.contains_key(&part_slot(n)) {
            continue;
        }
        let key = part_key(&job.customer_id, &job.export_id, n);
        let from = checkpoint.take().map(|c| (c, carry.take().unwrap_or_default()));
        if from.is_none() && n > resume.part && !go_on() {
            return hand_over(&work, &job, &token, &manifest, (n, None, Vec::new())).await;
        }
        if let Some(bytes) = st.objects.size_of(&key).await? {
            // Completed before a crash, not yet recorded.
            record(st, &job, &token, &manifest, n, key, bytes).await?;
            continue;
        }
        let entries: Vec<Entry> = work.get(&entries_name(n)).await?;
        let mut this = manifest.clone();
        this.part = n;
        let body = serde_json::to_vec_pretty(&this).context("encoding a manifest")?;
        let part = Part {
            owner: &job.customer_id,
            key: &key,
            entries: &entries,
            manifest: &body,
            made: made_of(&job),
        };
        match write_part(&st.objects, part, from, &mut go_on).await {
            Ok(Written::Done { bytes }) => record(st, &job, &token, &manifest, n, key, bytes).await?,
            Ok(Written::Paused { checkpoint, carry }) => {
                return hand_over(&work, &job, &token, &manifest, (n, Some(checkpoint), carry)).await;
            }
            Err(PartError::Original { image, why }) => {
                let reason =
                    format!("the original of image {image} is {why} (deleted while the export ran?)");
                return fail(st, &job, &token, reason, made).await;
            }
            Err(PartError::Store(e)) => return Err(e),
        }
    }
    finish(st, settings, &work, &job, &token, made).await
}

/// The time a part's manifest entry carries: when the export was asked for.
fn made_of(job: &ExportJob) -> time::PrimitiveDateTime {
    let t = job.created_at.time();
    time::PrimitiveDateTime::new(t.date(), t.time())
}

/// Plans the export: its manifest and each part's entries into `work/`,
/// then the totals onto the job.
async fn plan(work: &Work<'_>, settings: &Settings, job: &ExportJob, token: &str) -> Result<Manifest, Error> {
    let st = work.st;
    let prepared = prepare(
        st,
        &job.customer_id,
        job.export_id.as_str(),
        job.created_at,
        settings.exports.part_bytes,
    )
    .await?;
    for (i, entries) in prepared.parts.iter().enumerate() {
        work.put(&entries_name(i as u32 + 1), entries).await?;
    }
    work.put("manifest.json", &prepared.manifest).await?;
    let m = &prepared.manifest;
    let bytes = m.images.iter().map(|i| i.bytes).sum();
    st.exports
        .planned(
            &job.customer_id,
            &job.export_id,
            token,
            (m.parts, m.images.len() as u32, bytes),
        )
        .await?;
    Ok(prepared.manifest)
}

/// Images (and bytes of originals) in parts before `part`, and in the
/// first `next` entries of `part`.
fn progress(manifest: &Manifest, part: u32, next: usize) -> (u32, u64) {
    let mut in_part = 0;
    let (mut images, mut bytes) = (0u32, 0u64);
    for i in &manifest.images {
        let counts = i.part < part || (i.part == part && in_part < next);
        if i.part == part {
            in_part += 1;
        }
        if counts {
            images += 1;
            bytes += i.bytes;
        }
    }
    (images, bytes)
}

async fn record(
    st: &Stores,
    job: &ExportJob,
    token: &str,
    manifest: &Manifest,
    n: u32,
    key: String,
    bytes: u64,
) -> Result<(), Error> {
    let part = ExportPart { part: n, key, bytes };
    let done = progress(manifest, n + 1, 0);
    st.exports
        .part_done(&job.customer_id, &job.export_id, token, &part, done)
        .await
}

/// Keeps where the export stands (`part`, its checkpoint and carry) for
/// the next step, queues that step, then moves the job to it.
async fn hand_over(
    work: &Work<'_>,
    job: &ExportJob,
    token: &str,
    manifest: &Manifest,
    (part, checkpoint, carry): (u32, Option<Checkpoint>, Vec<u8>),
) -> Result<Stepped, Error> {
    let next = job.step + 1;
    let done = progress(manifest, part, checkpoint.as_ref().map_or(0, |c| c.next));
    if checkpoint.is_some() {
        work.put_bytes(&format!("step-{next}.carry"), carry).await?;
    }
    work.put(&format!("step-{next}.json"), &Resume { part, checkpoint })
        .await?;
    let message = ExportMessage {
        step: next,
        ..job.first_message()
    };
    work.st.export_steps.send(&message).await?;
    work.st
        .exports
        .hand_over(&job.customer_id, &job.export_id, token, next, done)
        .await?;
    Ok(Stepped::HandedOver { next })
}

/// Emails the customer that it is ready, then marks it done. The email
/// goes first, under the export's notice ID: a crash between the two
/// sends it again, and the notifier sends a notice ID once.
async fn finish(
    st: &Stores,
    settings: &Settings,
    work: &Work<'_>,
    job: &ExportJob,
    token: &str,
    now: Timestamp,
) -> Result<Stepped, Error> {
    let job = st
        .exports
        .get(&job.customer_id, &job.export_id)
        .await?
        .context("an export being finished is gone")?;
    let expires = now + time::Duration::days(i64::from(settings.exports.keep_days));
    let email = crate::sharing::profiles::customer(st, &job.customer_id)
        .await?
        .email;
    st.notices.send(&ready_notice(&job, email, expires)?).await?;
    st.exports.finish(&job, token, Some(expires), None, now).await?;
    tidy(work, &job).await;
    Ok(Stepped::Done)
}

async fn fail(
    st: &Stores,
    job: &ExportJob,
    token: &str,
    reason: String,
    now: Timestamp,
) -> Result<Stepped, Error> {
    let email = crate::sharing::profiles::customer(st, &job.customer_id)
        .await?
        .email;
    st.notices.send(&failed_notice(job, email, &reason)?).await?;
    st.exports.finish(job, token, None, Some(&reason), now).await?;
    Ok(Stepped::Failed(reason))
}

/// Removes the work state of a finished export (the lifecycle rule on
/// `exports/` is the net under a removal that fails).
async fn tidy(work: &Work<'_>, job: &ExportJob) {
    let mut names = vec!["manifest.json".to_owned()];
    names.extend((1..=job.parts_total.unwrap_or_default()).map(entries_name));
    for s in 1..=job.step {
        names.push(format!("step-{s}.json"));
        names.push(format!("step-{s}.carry"));
    }
    for name in names {
        if let Err(e) = work.st.objects.delete(&work.key(&name)).await {
            tracing::warn!(error = %e, "removing an export's work state failed; the lifecycle rule removes it");
        }
    }
}
