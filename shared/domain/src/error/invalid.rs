//! Why an input is refused, in the domain's terms: the rule it breaks and
//! the numbers of that rule. The api alone words it for a customer
//! (`functions/api/src/error/sentences.rs`); the short `Display` here is for
//! logs and for the parser's own messages (an ID in a JSON body).

use crate::access::Class;
use crate::ids::ImageId;
use crate::money::Yen;
use crate::pricing::PrintSize;

/// What is wrong with one input.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Problem {
    /// Text must be `min` to `max` characters, none of them control
    /// characters.
    #[error("must be {min} to {max} characters, with no control characters")]
    Text { min: usize, max: usize },
    /// A number must be in `min..=max`.
    #[error("must be {min} to {max}")]
    Range { min: i64, max: i64 },
    /// A list must have `min` to `max` entries.
    #[error("must have {min} to {max} entries")]
    Count { min: usize, max: usize },
    /// Not in the form the field takes.
    #[error("must be {0}")]
    Form(Form),
    /// `got`, which is not in the form the field takes (named back where
    /// the value is the caller's own and short, such as an email address).
    #[error("{got:?} is not {form}")]
    NotA { form: Form, got: String },
    /// Not an ID of this kind, as this service issues them.
    #[error("is not a valid ID")]
    NotAnId,
    /// `got` is none of the `allowed` values.
    #[error("{got:?} is not one of {allowed:?}")]
    OneOf { got: String, allowed: Vec<&'static str> },
    /// Required, and absent.
    #[error("is required")]
    Missing,
    /// Exactly one of this field and `other` is sent.
    #[error("exactly one of it and {other} is sent")]
    OneOfTwo { other: &'static str },
    /// The parser could not read it, and why (its own words).
    #[error("cannot be read: {0}")]
    Unreadable(String),
    /// A rule of the product that the value breaks.
    #[error("{0:?}")]
    Rule(Rule),
}

/// The forms a field can be required to take.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Form {
    /// `YYYY-MM-DD`.
    #[error("a date, YYYY-MM-DD")]
    Date,
    /// `YYYY-MM`, from 1970-01.
    #[error("a month, YYYY-MM from 1970-01")]
    Month,
    /// A local time without a zone, `2024-05-03T14:30:00`.
    #[error("a local time, YYYY-MM-DDThh:mm:ss")]
    LocalTime,
    /// An RFC 3339 time with its offset.
    #[error("an RFC 3339 time")]
    Time,
    /// Two capital letters of ISO 3166-1 alpha-2.
    #[error("an ISO 3166-1 alpha-2 code, two capital letters")]
    Country,
    /// An email address.
    #[error("an email address")]
    Email,
    /// 1 to 40 of `a-z`, `0-9` and `-`, not starting with `-`.
    #[error("1 to 40 of a-z, 0-9 and '-', not starting with '-'")]
    Slug,
    /// 1 to 255 visible ASCII characters, no quotes or backslashes.
    #[error("1 to 255 visible ASCII characters")]
    VisibleAscii,
    /// 1 to 200 of letters, digits, `:`, `_`, `.` and `-`.
    #[error("1 to 200 of letters, digits, ':', '_', '.' and '-'")]
    NoticeId,
    /// `birthday`, `on-this-day`, `named:<label>` or `event:<name>`, up to
    /// 120 characters.
    #[error("birthday, on-this-day, named:<label> or event:<name>, up to 120 characters")]
    EventKey,
    /// A name, or a latitude in [-90, 90] with a longitude in [-180, 180].
    #[error("a name, or a latitude in [-90, 90] with a longitude in [-180, 180]")]
    Place,
    /// `whsec_` and at least 24 bytes in base64.
    #[error("whsec_ and at least 24 bytes in base64")]
    WebhookSecret,
    /// A page cursor this service issued.
    #[error("a cursor this service issued")]
    Cursor,
    /// A SHA-256, 64 lowercase hex digits.
    #[error("a SHA-256, 64 lowercase hex digits")]
    Sha256,
}

/// A rule of the product, named; its numbers travel with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Rule {
    /// A guest gives an email address; the order waits for its link.
    GuestGivesEmail,
    /// A customer's order mails go to the account's address.
    CustomerGivesNoEmail,
    /// No quote of this buyer's has this ID.
    NotYourQuote,
    /// No lab prints for this output location.
    NoLabFor(String),
    /// A lab ID too long for the queue name made from it (`queue`, at most
    /// `max` characters).
    LabIdTooLong { queue: String, max: usize },
    /// The same image and size on two lines.
    LineTwice { image: ImageId, size: PrintSize },
    /// Guests have no points to spend.
    GuestHasNoPoints,
    /// A printable image needs prices for both sizes.
    PricesNeeded,
    /// A price outside the operator's bounds.
    PriceOutside {
        size: PrintSize,
        price: Yen,
        min: Yen,
        max: Yen,
    },
    /// Only printable images carry prices.
    NoPricesFor(Class),
    /// The field is never negative.
    Negative,
    /// The field is above zero.
    NotPositive,
    /// The verification code is unknown, used or expired.
    UnknownCode,
    /// Changing the email address to the one it already is.
    SameEmail,
    /// Granting to oneself.
    SelfGrant,
    /// Sharing one's profile with oneself.
    OwnProfile,
    /// A search range whose start is after its end.
    FromAfterTo,
    /// A birthday in the future.
    InTheFuture,
    /// The password is too easy to guess, with the estimator's advice.
    WeakPassword { advice: Vec<String> },
    /// The password is too short (`min` characters) or too long (`max`
    /// bytes).
    PasswordLength { min: usize, max: usize },
    /// One lab registration may write at most `most` location changes.
    LocationChanges {
        serves: usize,
        drops: usize,
        most: usize,
    },
    /// The bytes are not an image the screening can read, and why.
    NotAnImage(String),
    /// No webhook secret is configured.
    NoWebhookSecret,
    /// An image taken out of an archive disc that its fill does not hold.
    NotOnTheDisc {
        image: ImageId,
        disc: crate::archive::Disc,
    },
    /// Every image was taken out of an archive disc.
    NothingLeftOnTheDisc,
}

impl Problem {
    /// A value outside `min..=max`.
    pub fn range(min: impl Into<i64>, max: impl Into<i64>) -> Self {
        Self::Range {
            min: min.into(),
            max: max.into(),
        }
    }

    /// `got`, which is none of `allowed`.
    pub fn one_of(got: impl Into<String>, allowed: &[&'static str]) -> Self {
        Self::OneOf {
            got: got.into(),
            allowed: allowed.to_vec(),
        }
    }
}
