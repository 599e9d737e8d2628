//! Upload requests (M5): what a client may ask to upload, checked before any
//! URL is signed.

use crate::Problem;
use serde::Deserialize;

use crate::ids::ImageId;
use crate::image::{Attributes, Finalised, Rejection};
use crate::Error;

/// What an upload turned into.
// One short-lived value per message: boxing would buy nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    Ready {
        finalised: Finalised,
        attributes: Attributes,
    },
    Rejected(Rejection),
    /// The owner has these bytes already (M7), as this image.
    Duplicate(ImageId),
}

impl Outcome {
    /// A refusal: a stable code and the customer's sentence.
    pub fn rejected(code: &str, reason: impl Into<String>) -> Self {
        Self::Rejected(Rejection {
            code: code.into(),
            reason: reason.into(),
        })
    }
}

/// What settling an upload with its outcome did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Settled {
    /// The record has its outcome (and, when ready, is on its meter).
    Done,
    /// The record had left `pending` (a redelivery, or deleted): nothing changed.
    NotPending,
}

/// Who holds an upload's content hash (M7: one image per content per customer).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HashClaim {
    /// This image holds it (now, or since an earlier delivery).
    Mine,
    /// Another image of the same customer already holds it.
    Taken(ImageId),
}

/// The content types a client may declare. The bytes are checked again by
/// upload-finalise, whatever is declared here.
pub const ALLOWED_TYPES: [&str; 3] = ["image/jpeg", "image/png", "image/webp"];

/// The body of `POST /v1/uploads`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({"file_name": "photo.jpg", "content_type": "image/jpeg", "content_length": 3145728})))]
pub struct UploadRequest {
    #[serde(default)]
    pub file_name: Option<String>,
    pub content_type: String,
    pub content_length: u64,
}

/// An upload request that passed the checks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidUpload {
    pub file_name: Option<String>,
    pub content_type: &'static str,
    pub content_length: u64,
}

impl UploadRequest {
    pub fn validate(self, max_bytes: u64) -> Result<ValidUpload, Error> {
        let content_type = ALLOWED_TYPES
            .iter()
            .find(|t| t.eq_ignore_ascii_case(self.content_type.trim()))
            .copied()
            .ok_or_else(|| {
                Error::invalid(
                    "content_type",
                    Problem::one_of(self.content_type.clone(), &ALLOWED_TYPES),
                )
            })?;
        if self.content_length == 0 {
            return Err(Error::invalid("content_length", Problem::range(1, i64::MAX)));
        }
        if self.content_length > max_bytes {
            return Err(Error::OverLimit(crate::Limit::UploadSize {
                declared: self.content_length,
                limit: max_bytes,
            }));
        }
        let file_name = match self.file_name {
            Some(n) => {
                let n = n.trim().to_owned();
                if n.is_empty() || n.chars().count() > 255 || n.chars().any(char::is_control) {
                    return Err(Error::invalid("file_name", Problem::Text { min: 1, max: 255 }));
                }
                Some(n)
            }
            None => None,
        };
        Ok(ValidUpload {
            file_name,
            content_type,
            content_length: self.content_length,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req(ct: &str, len: u64) -> UploadRequest {
        UploadRequest {
            file_name: Some("IMG_0001.JPG".into()),
            content_type: ct.into(),
            content_length: len,
        }
    }

    #[test]
    fn accepts_images_within_the_limit() {
        let v = req("Image/JPEG", 1000).validate(50).unwrap_err();
        assert!(matches!(v, Error::OverLimit(crate::Limit::UploadSize { .. })));
        let v = req("Image/JPEG", 10).validate(50).unwrap();
        assert_eq!(v.content_type, "image/jpeg");
    }

    #[test]
    fn refuses_other_types_and_empty_files() {
        assert!(req("application/pdf", 10).validate(50).is_err());
        assert!(req("image/gif", 10).validate(50).is_err());
        assert!(req("image/png", 0).validate(50).is_err());
        let mut r = req("image/png", 1);
        r.file_name = Some("a\u{0}b".into());
        assert!(r.validate(50).is_err());
    }
}
