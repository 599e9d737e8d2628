//! Per-address mail limits (issue 18, item 10): anyone can name an address
//! to `POST /v1/accounts`, to a guest's order, or (logged in) to
//! `PUT /v1/profile/email`, and each sends mail there. Without a limit that
//! is a mail bomb for the address's holder and a risk to SES reputation.
//!
//! Past `settings.mail`'s limits the mail is not sent and the request is
//! answered exactly as if it were: a 429 or another answer would tell a
//! stranger that someone else has been sending to that address (or, for a
//! registration, hint at an account). The throttled case is logged (by the
//! address's digest, never the address).

use printvault_domain::account::Email;
use printvault_domain::settings::MailSettings;
use printvault_domain::Error;
use time::OffsetDateTime;

use crate::Stores;

/// Counts one mail to `to` and says whether it may be sent; `what` names
/// the mail in the log when it may not.
pub(crate) async fn may_mail(
    st: &Stores,
    limits: &MailSettings,
    to: &Email,
    what: &str,
    now: OffsetDateTime,
) -> Result<bool, Error> {
    let digest = to.digest();
    let ok = st
        .accounts
        .count_mail(
            &digest,
            now.unix_timestamp(),
            limits.per_address_per_hour,
            limits.per_address_per_day,
        )
        .await?;
    if !ok {
        tracing::warn!(
            email = %digest,
            mail = what,
            per_hour = limits.per_address_per_hour,
            per_day = limits.per_address_per_day,
            "mail limit reached for this address: nothing sent, the caller answered as if it were"
        );
    }
    Ok(ok)
}
