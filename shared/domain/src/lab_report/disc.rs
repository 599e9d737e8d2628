//! A lab's reports on a disc job (M32). A disc moves forward only:
//! `dispatched` → `accepted` (the lab has every file, checked) →
//! `written` (burnt, read back and checked, with the SHA-256 of the disc
//! image it wrote). Reporting the stage a disc is at again answers the
//! same and changes nothing; `written` is said once, with one image.

use serde::{Deserialize, Serialize};

use crate::when::Timestamp;
use crate::{Clash, Error, Form, Problem};

/// The body of a lab's report on a disc.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "stage", rename_all = "snake_case", deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({"stage": "written", "image_sha256": "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"})))]
pub enum DiscReport {
    /// The lab has the job and every file, checked.
    Accepted,
    /// Written and read back, every file checked: the disc image's
    /// SHA-256 (64 lowercase hex digits).
    Written { image_sha256: String },
}

/// Where a disc stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum DiscStage {
    Dispatched,
    Accepted,
    Written,
}

impl DiscStage {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Dispatched => "dispatched",
            Self::Accepted => "accepted",
            Self::Written => "written",
        }
    }

    /// The stages a disc may be at for it to move to `self`.
    pub fn reachable_from(self) -> &'static [DiscStage] {
        match self {
            Self::Dispatched => &[],
            Self::Accepted => &[Self::Dispatched],
            Self::Written => &[Self::Dispatched, Self::Accepted],
        }
    }
}

/// A disc's stage as its lab last reported it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DiscRecord {
    pub stage: DiscStage,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image_sha256: Option<String>,
    pub at: Timestamp,
}

impl DiscReport {
    pub fn stage(&self) -> DiscStage {
        match self {
            Self::Accepted => DiscStage::Accepted,
            Self::Written { .. } => DiscStage::Written,
        }
    }

    pub fn validate(&self) -> Result<(), Error> {
        match self {
            Self::Written { image_sha256 } if !is_sha256(image_sha256) => Err(Error::invalid(
                "image_sha256",
                Problem::NotA {
                    form: Form::Sha256,
                    got: image_sha256.chars().take(80).collect(),
                },
            )),
            _ => Ok(()),
        }
    }

    /// What the disc's record becomes, from `now` (`None`: still
    /// dispatched): `Ok(None)` when it is at this stage already (nothing to
    /// write); a stage it cannot reach, or `written` again with another
    /// image, is a conflict.
    pub fn apply(&self, now: Option<&DiscRecord>, at: Timestamp) -> Result<Option<DiscRecord>, Error> {
        let is = now.map_or(DiscStage::Dispatched, |r| r.stage);
        let to = self.stage();
        let sha = match self {
            Self::Written { image_sha256 } => Some(image_sha256.clone()),
            Self::Accepted => None,
        };
        if is == to {
            return match (now.and_then(|r| r.image_sha256.as_ref()), &sha) {
                (Some(was), Some(new)) if was != new => Err(Error::Conflict(Clash::DiscWrittenAs {
                    image_sha256: was.clone(),
                })),
                _ => Ok(None),
            };
        }
        if !to.reachable_from().contains(&is) {
            return Err(Error::Conflict(Clash::DiscCannotBecome { is, to }));
        }
        Ok(Some(DiscRecord {
            stage: to,
            image_sha256: sha,
            at,
        }))
    }
}

/// 64 lowercase hex digits.
pub fn is_sha256(s: &str) -> bool {
    s.len() == 64 && s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

#[cfg(test)]
mod tests {
    use super::*;

    const SHA: &str = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

    fn written(sha: &str) -> DiscReport {
        DiscReport::Written {
            image_sha256: sha.into(),
        }
    }

    #[test]
    fn a_disc_moves_forward_once_and_is_written_with_one_image() {
        let at = Timestamp::EPOCH;
        let accepted = DiscReport::Accepted.apply(None, at).unwrap().unwrap();
        assert_eq!(accepted.stage, DiscStage::Accepted);
        assert_eq!(DiscReport::Accepted.apply(Some(&accepted), at).unwrap(), None);
        let w = written(SHA).apply(Some(&accepted), at).unwrap().unwrap();
        assert_eq!(
            (w.stage, w.image_sha256.as_deref()),
            (DiscStage::Written, Some(SHA))
        );
        assert_eq!(written(SHA).apply(Some(&w), at).unwrap(), None, "the same again");
        let other = SHA.replace('9', "8");
        assert!(matches!(
            written(&other).apply(Some(&w), at),
            Err(Error::Conflict(Clash::DiscWrittenAs { .. }))
        ));
        assert!(matches!(
            DiscReport::Accepted.apply(Some(&w), at),
            Err(Error::Conflict(Clash::DiscCannotBecome {
                is: DiscStage::Written,
                to: DiscStage::Accepted
            }))
        ));
        assert!(
            written(SHA).apply(None, at).unwrap().is_some(),
            "written without accepted first"
        );
    }

    #[test]
    fn an_image_sha256_is_64_lowercase_hex_digits() {
        assert!(written(SHA).validate().is_ok());
        for bad in [
            "",
            "abc",
            &SHA.to_uppercase(),
            &format!("{SHA}0"),
            &SHA.replace('9', "g"),
        ] {
            assert!(written(bad).validate().is_err(), "{bad}");
        }
        let parsed: Result<DiscReport, _> = serde_json::from_str(r#"{"stage":"written"}"#);
        assert!(parsed.is_err(), "written names its image");
        let parsed: Result<DiscReport, _> = serde_json::from_str(r#"{"stage":"burnt"}"#);
        assert!(parsed.is_err());
    }
}
