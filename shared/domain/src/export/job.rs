//! An export job (X3): what `POST /v1/exports` starts and the `export`
//! function carries out, step by step, through the `exports` queue.
//!
//! A job moves `queued` → `running` → `done` (or `failed`). Each message
//! on the queue names a *step*: the job's `step` says which message may
//! work on it now, so a message delivered twice, or one left over from
//! before a hand-over, changes nothing ([`ExportMessage`]). An invocation
//! that runs short of time stores where it stands in S3, queues step
//! `n + 1` and then moves the job to it.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

use crate::ids::{CustomerId, ExportId};
use crate::when::Timestamp;
use crate::SettingsError;

const GIB: u64 = 1 << 30;
const MIB: u64 = 1 << 20;

/// The export's settings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ExportSettings {
    /// Days the parts of a finished export stay downloadable; the bucket's
    /// lifecycle rule on `exports/` (template parameter `ExportKeepDays`)
    /// removes them after as many days.
    pub keep_days: u32,
    /// About how big one ZIP part grows (4 GiB, the most).
    pub part_bytes: u64,
    /// How long a part's presigned URL works.
    pub url_ttl_secs: u32,
    /// An export not finished this many hours after it started is taken
    /// for abandoned: the customer may start another.
    pub abandon_hours: u32,
    /// The most exports a customer may start in a day: each copies their
    /// whole library, kept `keep_days`.
    pub per_day: u32,
}

impl Default for ExportSettings {
    fn default() -> Self {
        Self {
            keep_days: 7,
            part_bytes: 4 * GIB,
            url_ttl_secs: 3600,
            abandon_hours: 24,
            per_day: 3,
        }
    }
}

impl ExportSettings {
    pub fn validate(&self) -> Result<(), SettingsError> {
        SettingsError::unless(
            (1..=30).contains(&self.keep_days)
                && (MIB..=4 * GIB).contains(&self.part_bytes)
                && (60..=7 * 86_400).contains(&self.url_ttl_secs)
                && (1..=168).contains(&self.abandon_hours)
                && (1..=50).contains(&self.per_day),
            "exports",
            "exports.keep_days must be 1 to 30, exports.part_bytes 1 MiB to 4 GiB, \
             exports.url_ttl_secs 60 to 604800, exports.abandon_hours 1 to 168 and exports.per_day 1 to 50",
        )
    }
}

/// Where a job stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum ExportState {
    /// Waiting for the `export` function.
    Queued,
    /// Parts are being written.
    Running,
    /// Every part is written; the email has gone out.
    Done,
    /// It stopped for good (`reason` says why).
    Failed,
}

impl ExportState {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Queued => "queued",
            Self::Running => "running",
            Self::Done => "done",
            Self::Failed => "failed",
        }
    }

    /// Whether the job will change no more.
    pub fn is_final(self) -> bool {
        matches!(self, Self::Done | Self::Failed)
    }
}

/// One part written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExportPart {
    /// From 1.
    pub part: u32,
    /// Its object's key.
    pub key: String,
    pub bytes: u64,
}

/// An export job, as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExportJob {
    pub export_id: ExportId,
    pub customer_id: CustomerId,
    pub state: ExportState,
    pub created_at: Timestamp,
    /// The api's public base URL when it was asked for: the email links there.
    pub link_base: String,
    /// Which message may work on it now.
    pub step: u32,
    /// Known once it is planned.
    #[serde(default)]
    pub parts_total: Option<u32>,
    #[serde(default)]
    pub images_total: Option<u32>,
    #[serde(default)]
    pub bytes_total: Option<u64>,
    /// Images (and their originals' bytes) written so far.
    #[serde(default)]
    pub images_done: u32,
    #[serde(default)]
    pub bytes_done: u64,
    /// The parts written, by [`part_slot`].
    #[serde(default)]
    pub parts: BTreeMap<String, ExportPart>,
    #[serde(default)]
    pub finished_at: Option<Timestamp>,
    /// When its parts stop being downloadable (`finished_at` + `keep_days`).
    #[serde(default)]
    pub parts_expire_at: Option<Timestamp>,
    /// Why it failed.
    #[serde(default)]
    pub reason: Option<String>,
}

impl ExportJob {
    /// A new job, queued at `now`.
    pub fn new(customer_id: CustomerId, link_base: String, now: Timestamp) -> Self {
        Self {
            export_id: ExportId::generate(),
            customer_id,
            state: ExportState::Queued,
            created_at: now,
            link_base,
            step: 0,
            parts_total: None,
            images_total: None,
            bytes_total: None,
            images_done: 0,
            bytes_done: 0,
            parts: BTreeMap::new(),
            finished_at: None,
            parts_expire_at: None,
            reason: None,
        }
    }

    /// The parts written, in order.
    pub fn parts_written(&self) -> impl Iterator<Item = &ExportPart> {
        self.parts.values()
    }

    /// The message that starts it.
    pub fn first_message(&self) -> ExportMessage {
        ExportMessage {
            export_id: self.export_id.clone(),
            customer_id: self.customer_id.clone(),
            step: 0,
        }
    }
}

/// The key of part `n` in [`ExportJob::parts`]: zero-padded, so the map
/// keeps them in order.
pub fn part_slot(n: u32) -> String {
    format!("{n:05}")
}

/// The object key of an export's part `n`.
pub fn part_key(owner: &CustomerId, export: &ExportId, n: u32) -> String {
    format!("{}part-{n:03}.zip", export_prefix(owner, export))
}

/// Where an export's objects live: its parts, and under `work/` what the
/// function keeps between invocations. The lifecycle rule on `exports/`
/// removes them all.
pub fn export_prefix(owner: &CustomerId, export: &ExportId) -> String {
    format!("exports/{owner}/{export}/")
}

/// One message on the `exports` queue: carry out `step` of an export.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExportMessage {
    pub export_id: ExportId,
    pub customer_id: CustomerId,
    pub step: u32,
}

impl ExportMessage {
    pub fn to_body(&self) -> String {
        // Strings and a number: serialising cannot fail.
        serde_json::to_string(self).unwrap_or_default()
    }

    /// Parses a queue message body; an error means it can never be handled.
    pub fn from_body(body: &str) -> Result<Self, String> {
        serde_json::from_str(body).map_err(|e| format!("not an export message: {e}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_are_checked() {
        assert!(ExportSettings::default().validate().is_ok());
        for bad in [
            ExportSettings {
                keep_days: 0,
                ..Default::default()
            },
            ExportSettings {
                part_bytes: 5 * GIB,
                ..Default::default()
            },
            ExportSettings {
                part_bytes: MIB - 1,
                ..Default::default()
            },
            ExportSettings {
                url_ttl_secs: 10,
                ..Default::default()
            },
        ] {
            assert!(bad.validate().is_err(), "{bad:?}");
        }
    }

    #[test]
    fn messages_round_trip_and_strangers_are_refused() {
        let job = ExportJob::new(
            CustomerId::generate(),
            "http://x".into(),
            Timestamp::at(time::OffsetDateTime::UNIX_EPOCH),
        );
        let m = job.first_message();
        assert_eq!(ExportMessage::from_body(&m.to_body()).unwrap(), m);
        assert!(ExportMessage::from_body("{}").is_err());
        assert!(ExportMessage::from_body(&m.to_body().replace("\"step\"", "\"extra\":1,\"step\"")).is_err());
        assert!(ExportMessage::from_body(&m.to_body().replace("exp_", "img_")).is_err());
    }

    #[test]
    fn parts_keep_their_order_and_live_under_the_export() {
        let job = ExportJob::new(
            CustomerId::generate(),
            String::new(),
            Timestamp::at(time::OffsetDateTime::UNIX_EPOCH),
        );
        assert!(part_slot(2) < part_slot(10));
        let key = part_key(&job.customer_id, &job.export_id, 7);
        assert!(key.starts_with(&export_prefix(&job.customer_id, &job.export_id)));
        assert!(key.ends_with("/part-007.zip"));
    }
}
