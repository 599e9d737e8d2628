//! The sentence a customer (or a lab, an operator or a payment provider)
//! reads for each domain error: the only place that words them. The domain
//! says what happened; this says it in English.

use printvault_domain::archive::ProposalStatus;
use printvault_domain::{
    CannotApply, Clash, Counted, Error, Form, Limit, Problem, Rule, Unauthenticated, WebhookRefusal,
};

/// The sentence for `e`. A 500 never says why: its cause goes to the log.
pub fn sentence(e: &Error) -> String {
    match e {
        Error::Invalid { field, problem } => invalid(field, problem),
        Error::NotAuthenticated(Unauthenticated::WrongCredentials) => {
            "the email address or password is wrong".into()
        }
        Error::NotAuthenticated(Unauthenticated::WebhookRefused(why)) => {
            format!("webhook refused: {}", webhook_refused(*why))
        }
        Error::NotFound(thing) => format!("{thing} not found"),
        Error::Conflict(clash) => conflict(clash),
        Error::CannotApply(why) => cannot_apply(why),
        Error::OverLimit(Limit::LoginLocked { retry_after_secs }) => {
            format!("too many failed logins; try again in {retry_after_secs} s")
        }
        Error::OverLimit(Limit::PendingUploads { max, .. }) => format!(
            "you have {max} uploads waiting for their bytes, the most allowed; \
             finish them, or wait for their upload URLs to expire"
        ),
        Error::OverLimit(Limit::ExportsPerDay { most, retry_after_secs }) => format!(
            "you started {most} exports in the last day, the most allowed; the next may start in {retry_after_secs} s"
        ),
        Error::OverLimit(Limit::UploadSize { declared, limit }) => {
            format!("content_length {declared} exceeds the upload limit of {limit} bytes")
        }
        Error::Unexpected(_) => "an internal error occurred; it has been logged".into(),
    }
}

fn webhook_refused(why: WebhookRefusal) -> String {
    match why {
        WebhookRefusal::Missing(header) => format!("{header} is missing"),
        WebhookRefusal::TimestampUnreadable => "webhook-timestamp is not unix seconds".into(),
        WebhookRefusal::TimestampSkew { tolerance_secs } => format!(
            "webhook-timestamp is more than {} minutes from now",
            tolerance_secs / 60
        ),
        WebhookRefusal::NoValidSignature => "no valid v1 signature".into(),
    }
}

fn invalid(field: &str, problem: &Problem) -> String {
    match problem {
        Problem::Text { min, max } => {
            format!("{field} must be {min} to {max} characters, with no control characters")
        }
        Problem::Range { min, max } if *max == i64::MAX => format!("{field} must be at least {min}"),
        Problem::Range { min, max } => format!("{field} must be {min} to {max}"),
        Problem::Count { min: 0, max } => format!("{field} has at most {max} entries"),
        Problem::Count { min, max } => format!("{field} must have {min} to {max} entries"),
        Problem::Form(form) => format!("{field} must be {}", form_of(*form)),
        Problem::NotA { form, got } => format!("'{got}' is not {}", form_of(*form)),
        Problem::NotAnId => format!("not a valid {field} ID"),
        Problem::OneOf { got, allowed } => {
            format!(
                "{field} {got:?} is not accepted; use one of {}",
                allowed.join(", ")
            )
        }
        Problem::Missing if field == "Idempotency-Key" => "an Idempotency-Key header is required: a unique \
             value (a UUID, say) per order, sent again unchanged when the request is retried"
            .into(),
        Problem::Missing if field == "body" => "send the image bytes as the request body".into(),
        Problem::Missing => format!("{field} is required"),
        Problem::OneOfTwo { other } => format!("send exactly one of {field} and {other}"),
        Problem::Unreadable(why) => format!("{field} cannot be read: {why}"),
        Problem::Rule(rule) => broken(field, rule),
    }
}

fn form_of(form: Form) -> &'static str {
    match form {
        Form::Date => "a date like 2024-05-03",
        Form::Month => "a month like 2027-01 (YYYY-MM, from 1970-01)",
        Form::LocalTime => "a time like 2024-05-03T14:30:00",
        Form::Time => "an RFC 3339 time such as 2027-01-31T09:00:00Z",
        Form::Country => "an ISO 3166-1 alpha-2 code (two capital letters) such as JP",
        Form::Email => "a valid email address",
        Form::Slug => "1 to 40 of a-z, 0-9 and '-', not starting with '-'",
        Form::VisibleAscii => "1 to 255 visible ASCII characters (no quotes or backslashes)",
        Form::NoticeId => "1 to 200 characters of letters, digits, ':', '_', '.' and '-'",
        Form::EventKey => {
            "event keys as a notice names them: birthday, on-this-day, named:<label> or event:<name>, \
             up to 120 characters each"
        }
        Form::Place => "a name, or a latitude in [-90, 90] with a longitude in [-180, 180]",
        Form::WebhookSecret => "whsec_ and at least 24 bytes in base64",
        Form::Cursor => "a cursor this API issued",
        Form::Sha256 => "a SHA-256, 64 lowercase hex digits",
    }
}

fn broken(field: &str, rule: &Rule) -> String {
    match rule {
        Rule::GuestGivesEmail => {
            "a guest gives an email address: the order goes ahead once the link sent there is opened".into()
        }
        Rule::CustomerGivesNoEmail => {
            "a customer's order emails go to their account's address; leave email out".into()
        }
        Rule::NotYourQuote => {
            "no such quote for you: a quote is ordered by whoever asked for it, logged in or not".into()
        }
        Rule::NoLabFor(location) => format!("no lab prints for output location '{location}'"),
        Rule::LabIdTooLong { queue, max } => {
            format!("this lab ID is too long for its queue name ({queue}: at most {max} characters)")
        }
        Rule::LineTwice { image, size } => format!(
            "image {image} at size {} is on two lines; put all its copies on one",
            size.as_str()
        ),
        Rule::GuestHasNoPoints => "guests have no points to spend".into(),
        Rule::PricesNeeded => "a printable image needs prices for L and 2L".into(),
        Rule::PriceOutside { size, price, min, max } => format!(
            "the {} price {} is outside the allowed {} to {}",
            size.as_str(),
            price.0,
            min.0,
            max.0
        ),
        Rule::NoPricesFor(class) => {
            format!("a {} image has no prices; only printable images do", class.as_str())
        }
        Rule::Negative => format!("{field} is never negative"),
        Rule::NotPositive => format!("{field} must be positive"),
        Rule::UnknownCode => "this verification code is unknown, used or expired; ask for a new one".into(),
        Rule::SameEmail => "this is already your email address".into(),
        Rule::SelfGrant => "you cannot grant to yourself".into(),
        Rule::OwnProfile => "you can always read your own profile".into(),
        Rule::FromAfterTo => "from must not be after to".into(),
        Rule::InTheFuture => format!("{field} cannot be in the future"),
        Rule::WeakPassword { advice } if advice.is_empty() => "this password is too easy to guess".into(),
        Rule::WeakPassword { advice } => format!("this password is too easy to guess: {}", advice.join(" ")),
        Rule::PasswordLength { min, max } => {
            format!("the password must have at least {min} characters and at most {max} bytes")
        }
        Rule::LocationChanges { serves, drops, most } => format!(
            "this change serves {serves} output locations and drops {drops}; one registration writes at \
             most {most} of them together (one DynamoDB transaction): drop some in a registration of their own first"
        ),
        Rule::NotAnImage(why) => format!("{field}: {why}"),
        Rule::NoWebhookSecret => "no webhook secret is set".into(),
        Rule::NotOnTheDisc { image, disc } => {
            format!("{field}: image {image} is not among the images proposed for the {disc}", disc = disc.as_str())
        }
        Rule::NothingLeftOnTheDisc => format!("{field}: takes out every image; at least one must stay on the disc"),
    }
}

fn conflict(clash: &Clash) -> String {
    match clash {
        Clash::Raced => "another change to the same data was in progress; try again".into(),
        Clash::KeptChanging(thing) => format!("other requests keep changing this {thing}; try again"),
        Clash::KeyInFlight => {
            "a request with this Idempotency-Key is still being processed; retry it in a moment".into()
        }
        Clash::QuoteExpired { at } => format!("the quote expired at {at}; ask for a new one"),
        Clash::NotEnoughPoints { spends, balance } => {
            format!("not enough points: the order spends {spends} and your balance is {balance}")
        }
        Clash::NotConfirmedInTime => {
            "this order was not confirmed in time; ask for a new quote and order again".into()
        }
        Clash::OrderCannotBecome { is, to } => {
            format!("the order is {}: it cannot become {}", is.as_str(), to.as_str())
        }
        Clash::OrderMoved { now } => format!(
            "the order changed to {} meanwhile; look at it again",
            now.as_str()
        ),
        Clash::LineCannotBecome { line, is, to } => {
            format!("line {line} is {}: it cannot become {}", is.as_str(), to.as_str())
        }
        Clash::DiscCannotBecome { is, to } => {
            format!("the disc is {}: it cannot become {}", is.as_str(), to.as_str())
        }
        Clash::DiscWrittenAs { image_sha256 } => format!(
            "the disc was reported written before, as the image with SHA-256 {image_sha256}; a disc is written once"
        ),
        Clash::NotArchived => {
            "the image's original is not archived on a disc: it is online, so there is nothing to restore".into()
        }
        Clash::AwaitingBuyerEmail => {
            "the order waits for its buyer to confirm their email address; send it again later".into()
        }
        Clash::SameBytesDeleting { image } => {
            format!("image {image}, with the same bytes, is being deleted; the upload is tried again")
        }
        Clash::AtMost { of, most } => at_most(*of, *most),
        Clash::NoticeBeingSent => "another notifier is sending this notice now".into(),
        Clash::OwnerStays => "the group's owner cannot leave it".into(),
        Clash::ImageNotReady(status) => format!("the image is {}, not ready", status.as_str()),
        Clash::DuplicateOf(Some(first)) => format!("this upload duplicates image {first}; use that one"),
        Clash::DuplicateOf(None) => "this upload duplicates an image you have; use that one".into(),
        Clash::LocationTaken(location) => format!("output location {location} is printed by another lab"),
        Clash::EmailTaken => "an account with this email address was verified first; log in to it".into(),
        Clash::Exists(thing) => format!("the {thing} already exists"),
        Clash::ProposalNot { status } => match status {
            ProposalStatus::Open => "the proposal is open".into(),
            ProposalStatus::Lapsed => "the proposal has lapsed; a new one comes at the next look".into(),
            ProposalStatus::Ordered => {
                "the proposal is already ordered; cancel that order to choose again".into()
            }
        },
        Clash::ExportRunning { export_id } => format!(
            "your export {export_id} is still being made; one export runs at a time: see GET /v1/exports/{export_id}"
        ),
        Clash::ExportNotReady { state } => format!(
            "the export is {}: its parts can be downloaded once it is done",
            state.as_str()
        ),
        Clash::ExportExpired { at } => {
            format!("the export's parts were removed at {at}; start a new export")
        }
    }
}

fn at_most(of: Counted, most: usize) -> String {
    match of {
        Counted::Albums => format!("you have {most} albums, the most allowed; delete one first"),
        Counted::AlbumsOfImage => format!("an image can be in at most {most} albums"),
        Counted::OpenInvitations => format!(
            "this group has {most} open invitations, the most allowed; wait for some to be accepted or to lapse"
        ),
        Counted::Groups => format!("a customer can be in at most {most} groups"),
        Counted::LiveLinks => format!("you have {most} live share links, the most allowed; revoke one first"),
    }
}

fn cannot_apply(why: &CannotApply) -> String {
    match why {
        CannotApply::KeyReused => {
            "this Idempotency-Key was used with a different request; use a new key for a new order".into()
        }
        CannotApply::LineNotFound { line, image } => {
            format!("line {line}: image {image} was not found (it does not exist, or you may not print it)")
        }
        CannotApply::LineNotOffered { line, image } => {
            format!("line {line}: image {image} is not offered for printing by its owner")
        }
        CannotApply::LineGone { line } => format!(
            "line {line}: its image can no longer be printed (deleted, archived to a disc, or no longer offered); ask for a new quote"
        ),
        CannotApply::LineArchived { line, image, disc } => format!(
            "line {line}: image {image}'s original is archived on disc {disc}; restore it to print from it"
        ),
        CannotApply::InvoiceAmount { amount, due } => {
            format!("amount {amount} does not match the invoice's amount, {due}")
        }
        CannotApply::Currency(c) => format!("currency {c} is not the order's: orders are paid in JPY"),
    }
}
