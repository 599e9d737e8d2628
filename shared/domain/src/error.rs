//! The one error type of the domain. Adapters map storage errors into it, and
//! the API maps it to an HTTP status and a JSON body in one place.

/// What went wrong, in terms a caller can act on.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The request is malformed; `field` names the offending input.
    #[error("{message}")]
    Invalid { field: &'static str, message: String },
    /// The caller is not authenticated, or the credentials are wrong.
    #[error("{0}")]
    Unauthorized(String),
    /// The thing does not exist, or the caller may not know that it does.
    #[error("{0} not found")]
    NotFound(&'static str),
    /// The request clashes with the current state (a taken email, say).
    #[error("{0}")]
    Conflict(String),
    /// The request is well-formed and understood, but cannot be processed
    /// as sent: an `Idempotency-Key` reused with a different body (422).
    #[error("{0}")]
    Unprocessable(String),
    /// The request is well-formed but too big.
    #[error("{0}")]
    TooLarge(String),
    /// Too many requests of this kind: a guessing limit or a quota. With
    /// `retry_after_secs`, the same request works again after that long.
    #[error("{message}")]
    TooMany {
        message: String,
        retry_after_secs: Option<u64>,
    },
    /// Anything else. The cause chain goes to the log, never to the client.
    #[error(transparent)]
    Unexpected(#[from] anyhow::Error),
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// Shorthand for [`Error::Invalid`].
    pub fn invalid(field: &'static str, message: impl Into<String>) -> Self {
        Self::Invalid {
            field,
            message: message.into(),
        }
    }

    /// A stable machine-readable code for the JSON error body.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Invalid { .. } => "invalid_request",
            Self::Unauthorized(_) => "unauthorized",
            Self::NotFound(_) => "not_found",
            Self::Conflict(_) => "conflict",
            Self::Unprocessable(_) => "unprocessable",
            Self::TooLarge(_) => "too_large",
            Self::TooMany { .. } => "too_many_requests",
            Self::Unexpected(_) => "internal",
        }
    }
}
