//! The one error type of the domain and the use cases, in the domain's
//! terms. Adapters map storage errors into it; the api alone maps it to an
//! HTTP status, a code and the sentence a customer reads
//! (`functions/api/src/error/`), and a test there walks every variant.

mod clash;
mod invalid;

pub use clash::{Clash, Counted, Thing};
pub use invalid::{Form, Problem, Rule};

/// What went wrong, in terms a caller can act on.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// An input breaks a rule: `field` names it, `problem` says how.
    #[error("{field} {problem}")]
    Invalid { field: &'static str, problem: Problem },
    /// Who is asking could not be told: the credentials do not hold.
    #[error("not authenticated: {0:?}")]
    NotAuthenticated(Unauthenticated),
    /// The thing does not exist, or the caller may not know that it does.
    #[error("{0} not found")]
    NotFound(Thing),
    /// The request clashes with the current state (a taken email, say).
    #[error("conflict: {0:?}")]
    Conflict(Clash),
    /// The request is well-formed and understood, but the domain cannot
    /// apply it as sent, and why.
    #[error("cannot apply: {0:?}")]
    CannotApply(CannotApply),
    /// A limit of the product stands in the way.
    #[error("over a limit: {0:?}")]
    OverLimit(Limit),
    /// Anything else. The cause chain goes to the log, never to the client.
    #[error(transparent)]
    Unexpected(#[from] anyhow::Error),
}

/// Why who is asking could not be told.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unauthenticated {
    /// The email address and password do not match an account.
    WrongCredentials,
    /// A payment provider's webhook whose headers or signature do not
    /// hold, and why.
    WebhookRefused(WebhookRefusal),
}

/// Why a payment provider's webhook is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WebhookRefusal {
    /// This header is missing (or empty, or too long for an ID).
    Missing(&'static str),
    /// `webhook-timestamp` is not unix seconds.
    TimestampUnreadable,
    /// `webhook-timestamp` is more than `tolerance_secs` from now.
    TimestampSkew { tolerance_secs: i64 },
    /// No v1 signature made by a current secret over exactly these bytes.
    NoValidSignature,
}

/// Why a well-formed request cannot be applied as sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CannotApply {
    /// An `Idempotency-Key` sent again with another request.
    KeyReused,
    /// Line `line` names an image that does not exist, or that the buyer
    /// may not print (the two answer the same).
    LineNotFound { line: usize, image: crate::ids::ImageId },
    /// Line `line`'s image is one the buyer may see, but its owner does
    /// not sell prints of it.
    LineNotOffered { line: usize, image: crate::ids::ImageId },
    /// Line `line` of a quote can no longer be printed (its image was
    /// deleted, or is no longer offered) by the time it is ordered.
    LineGone { line: u32 },
    /// Line `line`'s image is the buyer's own, and its original is on
    /// archive disc `disc` (M32): it cannot be printed until restored.
    LineArchived {
        line: usize,
        image: crate::ids::ImageId,
        disc: crate::ids::OrderId,
    },
    /// A payment of `amount` yen for an invoice of `due`.
    InvoiceAmount { amount: i64, due: i64 },
    /// A payment in another currency than yen.
    Currency(String),
}

/// Which limit stands in the way.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Limit {
    /// Logins to this address (or from this source) are locked this long
    /// after too many failures.
    LoginLocked { retry_after_secs: u64 },
    /// `max` uploads already wait for their bytes; one lapses within
    /// `retry_after_secs` at the latest.
    PendingUploads { max: u32, retry_after_secs: u64 },
    /// An upload of `declared` bytes, past the limit of `limit`.
    UploadSize { declared: u64, limit: u64 },
    /// `most` exports were started in the last day; the next may start in
    /// `retry_after_secs`.
    ExportsPerDay { most: u32, retry_after_secs: u64 },
}

impl Limit {
    /// When the same request may work again, if waiting helps.
    pub fn retry_after_secs(&self) -> Option<u64> {
        match self {
            Self::LoginLocked { retry_after_secs }
            | Self::PendingUploads { retry_after_secs, .. }
            | Self::ExportsPerDay { retry_after_secs, .. } => Some(*retry_after_secs),
            Self::UploadSize { .. } => None,
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// The operator's settings break a rule: read at start, so the function
/// stops there with `rule` (the operator's own words: settings are not a
/// customer's request).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid settings: {rule}")]
pub struct SettingsError {
    /// The section or field, such as `uploads.max_bytes`.
    pub field: &'static str,
    pub rule: String,
}

impl SettingsError {
    /// `Ok` when `ok`, else `rule` broken at `field`.
    pub fn unless(ok: bool, field: &'static str, rule: &str) -> Result<(), Self> {
        if ok {
            Ok(())
        } else {
            Err(Self {
                field,
                rule: rule.to_owned(),
            })
        }
    }
}

impl Error {
    /// Shorthand for [`Error::Invalid`].
    pub fn invalid(field: &'static str, problem: Problem) -> Self {
        Self::Invalid { field, problem }
    }

    /// Shorthand for an [`Error::Invalid`] that breaks a [`Rule`].
    pub fn rule(field: &'static str, rule: Rule) -> Self {
        Self::Invalid {
            field,
            problem: Problem::Rule(rule),
        }
    }

    /// A stable machine-readable code for the JSON error body.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Invalid { .. } => "invalid_request",
            Self::NotAuthenticated(_) => "unauthorized",
            Self::NotFound(_) => "not_found",
            Self::Conflict(_) => "conflict",
            Self::CannotApply(_) => "unprocessable",
            Self::OverLimit(Limit::UploadSize { .. }) => "too_large",
            Self::OverLimit(_) => "too_many_requests",
            Self::Unexpected(_) => "internal",
        }
    }
}
