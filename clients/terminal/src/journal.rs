//! The roll's journal: a small JSON file beside the scanner's folder
//! (`<folder>.printvault.json`) saying how far each frame got, so that a
//! rerun after a crash at any point uploads nothing twice and loses
//! nothing.
//!
//! Each frame is known by its file name and the SHA-256 of its bytes (a
//! file replaced under the same name is a new frame). It moves forward
//! only: `developed` (the JPEG written beside the raw scan, which is kept)
//! → `requested` (the api gave an upload, its image ID recorded before
//! the bytes go) → `uploaded` → `ready` (or `refused`, with the reason).
//! The order's `Idempotency-Key` is written before the order is sent, so
//! a rerun sends the same key and gets the same order.
//!
//! The journal is written whole to a temporary file and renamed over the
//! old one: a crash leaves the old journal or the new, never half of one.
//! A journal that cannot be read stops the terminal with the reason; it is
//! never silently started afresh (that would upload the roll again).

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// How far one frame got.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "stage", rename_all = "snake_case")]
pub enum Stage {
    /// Developed: the JPEG's SHA-256.
    Developed { jpeg_sha256: String },
    /// The api gave an upload for it: the image ID.
    Requested { jpeg_sha256: String, image_id: String },
    /// Its bytes went to the upload URL.
    Uploaded { image_id: String },
    /// The service made it a photo of the customer's.
    Ready { image_id: String },
    /// The service refused it, and why (a hostile or damaged file).
    Refused { reason: String },
}

impl Stage {
    /// Its place in the order frames move through (a refusal is final).
    fn rank(&self) -> u8 {
        match self {
            Self::Developed { .. } => 1,
            Self::Requested { .. } => 2,
            Self::Uploaded { .. } => 3,
            Self::Ready { .. } | Self::Refused { .. } => 4,
        }
    }
}

/// One frame of the roll.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FrameEntry {
    /// Of the raw scan.
    pub scan_sha256: String,
    pub stage: Stage,
}

/// The roll's journal.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Journal {
    /// By file name.
    pub frames: BTreeMap<String, FrameEntry>,
    /// The order's key, written before the order is sent.
    #[serde(default)]
    pub order_key: Option<String>,
    /// The order, once the api answered.
    #[serde(default)]
    pub order_id: Option<String>,
}

/// Why a journal cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum JournalError {
    #[error("the journal {0} cannot be read ({1}); move it away only if the roll is to be uploaded again")]
    Unreadable(PathBuf, String),
    #[error("writing the journal {0}: {1}")]
    Write(PathBuf, std::io::Error),
    #[error("frame {name} cannot go back from {from} to {to}")]
    Backwards { name: String, from: u8, to: u8 },
}

/// Where the journal of the scanner folder `folder` lives: beside it.
pub fn path_for(folder: &Path) -> PathBuf {
    let mut name = folder
        .file_name()
        .map(|n| n.to_os_string())
        .unwrap_or_else(|| "roll".into());
    name.push(".printvault.json");
    folder.with_file_name(name)
}

/// The SHA-256 of `bytes`, in hex.
pub fn sha256(bytes: &[u8]) -> String {
    use sha2::Digest;
    hex::encode(sha2::Sha256::digest(bytes))
}

impl Journal {
    /// The journal at `path`; an empty one when there is none yet.
    pub fn load(path: &Path) -> Result<Self, JournalError> {
        match std::fs::read(path) {
            Ok(bytes) => serde_json::from_slice(&bytes)
                .map_err(|e| JournalError::Unreadable(path.to_owned(), e.to_string())),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Self::default()),
            Err(e) => Err(JournalError::Unreadable(path.to_owned(), e.to_string())),
        }
    }

    /// Writes it to `path` whole: a temporary file beside it, synced,
    /// then renamed over it.
    pub fn save(&self, path: &Path) -> Result<(), JournalError> {
        use std::io::Write;
        let fail = |e| JournalError::Write(path.to_owned(), e);
        let tmp = path.with_extension("json.tmp");
        let body = serde_json::to_vec_pretty(self).map_err(|e| fail(e.into()))?;
        let mut f = std::fs::File::create(&tmp).map_err(fail)?;
        f.write_all(&body).map_err(fail)?;
        f.sync_all().map_err(fail)?;
        std::fs::rename(&tmp, path).map_err(fail)
    }

    /// What is known of the frame `name` whose scan is `scan_sha256`: its
    /// stage, or `None` when it is new (or its file was replaced).
    pub fn stage_of(&self, name: &str, scan_sha256: &str) -> Option<&Stage> {
        self.frames
            .get(name)
            .filter(|f| f.scan_sha256 == scan_sha256)
            .map(|f| &f.stage)
    }

    /// Moves frame `name` to `stage`: forward only (the same stage again
    /// changes nothing); a replaced file starts over.
    pub fn advance(&mut self, name: &str, scan_sha256: &str, stage: Stage) -> Result<(), JournalError> {
        if let Some(now) = self.stage_of(name, scan_sha256) {
            if stage.rank() < now.rank() {
                return Err(JournalError::Backwards {
                    name: name.to_owned(),
                    from: now.rank(),
                    to: stage.rank(),
                });
            }
        }
        let entry = FrameEntry {
            scan_sha256: scan_sha256.to_owned(),
            stage,
        };
        self.frames.insert(name.to_owned(), entry);
        Ok(())
    }

    /// The frames that are ready: their image IDs, by file name.
    pub fn ready(&self) -> BTreeMap<&str, &str> {
        self.frames
            .iter()
            .filter_map(|(n, f)| match &f.stage {
                Stage::Ready { image_id } => Some((n.as_str(), image_id.as_str())),
                _ => None,
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn it_lives_beside_the_folder_and_survives_a_reload() {
        let dir = tempfile::tempdir().unwrap();
        let folder = dir.path().join("roll-0042");
        let path = path_for(&folder);
        assert_eq!(path, dir.path().join("roll-0042.printvault.json"));
        let mut j = Journal::load(&path).unwrap();
        assert_eq!(j, Journal::default(), "none yet: empty");
        j.advance(
            "f01.tif",
            "aa",
            Stage::Developed {
                jpeg_sha256: "j1".into(),
            },
        )
        .unwrap();
        j.order_key = Some("key-1".into());
        j.save(&path).unwrap();
        assert_eq!(Journal::load(&path).unwrap(), j);
        assert!(!path.with_extension("json.tmp").exists());
    }

    #[test]
    fn frames_only_move_forward_and_a_replaced_file_starts_over() {
        let mut j = Journal::default();
        let requested = Stage::Requested {
            jpeg_sha256: "j".into(),
            image_id: "img_1".into(),
        };
        j.advance("f.tif", "aa", requested.clone()).unwrap();
        j.advance("f.tif", "aa", requested).unwrap();
        let back = j.advance(
            "f.tif",
            "aa",
            Stage::Developed {
                jpeg_sha256: "j".into(),
            },
        );
        assert!(matches!(
            back,
            Err(JournalError::Backwards { from: 2, to: 1, .. })
        ));
        j.advance(
            "f.tif",
            "aa",
            Stage::Ready {
                image_id: "img_1".into(),
            },
        )
        .unwrap();
        assert_eq!(j.ready().get("f.tif"), Some(&"img_1"));
        assert_eq!(
            j.stage_of("f.tif", "bb"),
            None,
            "another file under the same name"
        );
        j.advance(
            "f.tif",
            "bb",
            Stage::Developed {
                jpeg_sha256: "k".into(),
            },
        )
        .unwrap();
        assert!(j.ready().is_empty());
    }

    #[test]
    fn a_damaged_journal_stops_with_the_reason_and_a_torn_write_leaves_the_old_one() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("r.printvault.json");
        let mut j = Journal::default();
        j.advance(
            "a.tif",
            "aa",
            Stage::Refused {
                reason: "not an image".into(),
            },
        )
        .unwrap();
        j.save(&path).unwrap();
        // A crash mid-write leaves only the temporary file damaged.
        std::fs::write(path.with_extension("json.tmp"), b"{\"frames\": {\"a.t").unwrap();
        assert_eq!(Journal::load(&path).unwrap(), j);
        std::fs::write(&path, b"{\"frames\": ").unwrap();
        let e = Journal::load(&path).unwrap_err().to_string();
        assert!(
            e.contains("cannot be read") && e.contains("uploaded again"),
            "{e}"
        );
        assert_eq!(sha256(b"abc").len(), 64);
    }
}
