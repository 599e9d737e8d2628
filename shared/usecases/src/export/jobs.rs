//! What the api does with exports (X3): start one (once per
//! `Idempotency-Key`, one running per customer), show one or a page of
//! them, and mint fresh presigned URLs for a finished export's parts.

use printvault_adapters::dynamo::PageOf;
use printvault_adapters::exports::Started;
use printvault_adapters::Page;
use printvault_domain::export::job::{ExportJob, ExportState};
use printvault_domain::ids::{CustomerId, ExportId};
use printvault_domain::order::IdempotencyKey;
use printvault_domain::settings::Settings;
use printvault_domain::when::Timestamp;
use printvault_domain::{Clash, Error, Thing};
use std::time::Duration;
use time::OffsetDateTime;

use crate::Stores;

/// What `POST /v1/exports` did.
#[derive(Debug)]
pub enum Begun {
    /// A new export, queued.
    New(ExportJob),
    /// The same key came again: its export, as it stands.
    Replayed(ExportJob),
}

/// Starts an export of `owner`'s images and account, unless `key` started
/// one before (that one is the answer) or another of theirs is running
/// (409, naming it). `base`: the api's public URL, which the email links to.
pub async fn start(
    st: &Stores,
    settings: &Settings,
    owner: &CustomerId,
    key: &IdempotencyKey,
    base: &str,
    now: OffsetDateTime,
) -> Result<Begun, Error> {
    if let Some(job) = st.exports.keyed(owner, key, now.unix_timestamp()).await? {
        return replayed(st, job).await;
    }
    within_a_day(st, settings, owner, now).await?;
    let job = ExportJob::new(owner.clone(), base.to_owned(), Timestamp::at(now));
    let ttl = i64::from(settings.orders.idempotency_ttl_hours) * 3600;
    let stale = i64::from(settings.exports.abandon_hours) * 3600;
    match st.exports.start(&job, key, ttl, stale).await? {
        Started::New => {
            st.export_steps.send(&job.first_message()).await?;
            Ok(Begun::New(job))
        }
        Started::Replay(job) => replayed(st, *job).await,
        Started::Running(export_id) => Err(Error::Conflict(Clash::ExportRunning { export_id })),
    }
}

/// The export a key started, answered again. The first request may have
/// stopped between writing the job and queueing it: a retry queues it
/// again (a step is carried out once, however often it is queued).
async fn replayed(st: &Stores, job: ExportJob) -> Result<Begun, Error> {
    if job.state == ExportState::Queued && job.step == 0 {
        st.export_steps.send(&job.first_message()).await?;
    }
    Ok(Begun::Replayed(job))
}

/// Refuses a new export when `exports.per_day` were started in the last
/// day (each copies the whole library), saying when the next may start.
async fn within_a_day(
    st: &Stores,
    settings: &Settings,
    owner: &CustomerId,
    now: OffsetDateTime,
) -> Result<(), Error> {
    let most = settings.exports.per_day;
    let recent = st
        .exports
        .list(
            owner,
            PageOf {
                limit: most,
                cursor: None,
            },
        )
        .await?;
    let day_ago = now - time::Duration::days(1);
    let started: Vec<OffsetDateTime> = recent.items.iter().map(|j| j.created_at.time()).collect();
    match started.last() {
        Some(oldest) if started.len() as u32 >= most && *oldest > day_ago => {
            let wait = (*oldest - day_ago).whole_seconds().max(1).unsigned_abs();
            Err(Error::OverLimit(printvault_domain::Limit::ExportsPerDay {
                most,
                retry_after_secs: wait,
            }))
        }
        _ => Ok(()),
    }
}

/// The owner's export `id`; `NotFound` when there is none of theirs.
pub async fn get(st: &Stores, owner: &CustomerId, id: &ExportId) -> Result<ExportJob, Error> {
    st.exports
        .get(owner, id)
        .await?
        .ok_or(Error::NotFound(Thing::Export))
}

/// The owner's exports, newest first.
pub async fn list(
    st: &Stores,
    owner: &CustomerId,
    limit: u32,
    cursor: Option<&str>,
) -> Result<Page<ExportJob>, Error> {
    st.exports.list(owner, PageOf { limit, cursor }).await
}

/// A part's fresh download link.
#[derive(Debug, Clone)]
pub struct PartUrl {
    pub part: u32,
    pub bytes: u64,
    pub url: String,
    pub expires_at: Timestamp,
}

/// Fresh presigned URLs for the parts of the owner's finished export `id`,
/// each working for `exports.url_ttl_secs` (never past the parts' removal).
pub async fn urls(
    st: &Stores,
    settings: &Settings,
    owner: &CustomerId,
    id: &ExportId,
    now: OffsetDateTime,
) -> Result<(ExportJob, Vec<PartUrl>), Error> {
    let job = get(st, owner, id).await?;
    if job.state != ExportState::Done {
        return Err(Error::Conflict(Clash::ExportNotReady { state: job.state }));
    }
    let until = job.parts_expire_at.unwrap_or_else(|| Timestamp::at(now));
    let left = (until.time() - now).whole_seconds();
    if left <= 0 {
        return Err(Error::Conflict(Clash::ExportExpired { at: until }));
    }
    let ttl = left.min(i64::from(settings.exports.url_ttl_secs));
    let mut out = Vec::with_capacity(job.parts.len());
    for p in job.parts_written() {
        let url = st
            .objects
            .presign_get(&p.key, Duration::from_secs(ttl.unsigned_abs()))
            .await?;
        out.push(PartUrl {
            part: p.part,
            bytes: p.bytes,
            url,
            expires_at: Timestamp::at(now + time::Duration::seconds(ttl)),
        });
    }
    Ok((job, out))
}
