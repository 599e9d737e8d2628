//! Notices: every email the system sends. A notice names its recipient, what
//! it says, and a deterministic ID (for example `verify:<digest>`), so a
//! notice that is queued or delivered twice is sent once. The subject and
//! both bodies (plain text and HTML) are rendered here, in code: the mail
//! service only carries them.

use crate::when::Timestamp;
use crate::{Form, Problem};
use serde::{Deserialize, Serialize};
use time::Date;

use crate::account::Email;
use crate::Error;

mod anniversary;
pub mod archive;
mod billing;
mod body;
pub mod export;
pub mod feedback;
mod ledger;
mod line;
mod render;
mod retention;
pub use retention::WarnedImage;

pub use archive::{proposal_notice, restored_notice, ProposedDisc};
pub use body::html_escape;
pub use ledger::{Claim, Delivery};

/// A notice's deterministic ID: 1 to 200 characters of `A-Z a-z 0-9 : _ . -`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct NoticeId(String);

impl NoticeId {
    pub const MAX_CHARS: usize = 200;

    pub fn parse(raw: &str) -> Result<Self, Error> {
        let ok = |c: char| c.is_ascii_alphanumeric() || matches!(c, ':' | '_' | '.' | '-');
        if raw.is_empty() || raw.len() > Self::MAX_CHARS || !raw.chars().all(ok) {
            return Err(Error::invalid("notice_id", Problem::Form(Form::NoticeId)));
        }
        Ok(Self(raw.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for NoticeId {
    type Error = Error;
    fn try_from(s: String) -> Result<Self, Error> {
        Self::parse(&s)
    }
}

impl From<NoticeId> for String {
    fn from(n: NoticeId) -> Self {
        n.0
    }
}

impl std::fmt::Display for NoticeId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Why an address is being verified.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VerifyPurpose {
    /// A new account: it exists once the address is verified.
    Register,
    /// An account's new address: it replaces the old one once verified.
    ChangeEmail,
}

/// What a notice says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Message {
    /// Prove you hold this address: open the link (or send the code) before
    /// `expires_at`.
    VerifyEmail {
        purpose: VerifyPurpose,
        /// The page that confirms the address.
        link: String,
        /// The single-use code the link carries.
        code: String,
        expires_at: Timestamp,
    },
    /// Someone tried to register (or move another account to) this address,
    /// which already has an account. Nothing changed.
    AddressInUse,
    /// A guest's order waits for its address to be confirmed: the link
    /// confirms it once, and then shows the order.
    ConfirmGuestOrder {
        order_id: String,
        link: String,
        /// Yen, for the reader's information.
        total: i64,
        expires_at: Timestamp,
    },
    /// A lab moved a line of an order on (M21).
    LineProgress {
        order_id: String,
        line: u32,
        /// `accepted`, `printed`, `shipped` or `failed`.
        stage: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        carrier: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        tracking: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        reason: Option<String>,
        /// A failed line's refund: yen, and points given back.
        #[serde(default)]
        refund: i64,
        #[serde(default)]
        points_returned: i64,
    },
    /// A month's storage invoice (M23), with the storage points it earned (M25).
    StorageInvoice {
        invoice_id: String,
        /// `YYYY-MM`.
        month: String,
        gib_months: String,
        /// GiB-months in the archive class (M32), if any.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        archived_gib_months: Option<String>,
        exact_yen: String,
        rounding_yen: String,
        amount: i64,
        points: i64,
        #[serde(with = "crate::when::day")]
        due_on: Date,
    },
    /// An unpaid invoice: due, or past due within the grace period (M24).
    InvoiceReminder {
        invoice_id: String,
        amount: i64,
        #[serde(with = "crate::when::day")]
        due_on: Date,
        #[serde(with = "crate::when::day")]
        arrears_on: Date,
    },
    /// Unpaid past the grace period: the account is in arrears until it is
    /// paid (M24). Nothing is deleted.
    AccountInArrears {
        invoice_id: String,
        amount: i64,
    },
    /// Images that will be deleted unless their owner acts (M26, M27): the
    /// storage-period notice, or a print-driven retention warning. It is
    /// sent at least 14 days before the first deletion it announces.
    RetentionWarning {
        images: Vec<WarnedImage>,
    },
    /// An order was cancelled; any points spent on it are back.
    /// An event ahead (M28): what, when, and photos of that day in
    /// earlier years.
    Anniversary {
        /// The event's key, which the opt-out names (`birthday`,
        /// `named:<label>`, `event:<name>`, `on-this-day`).
        key: String,
        title: String,
        /// The day.
        #[serde(with = "crate::when::day")]
        on: Date,
        /// Years since it first happened, when known.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        years: Option<i32>,
        /// Links to thumbnails, working for `anniversaries.link_ttl_days`.
        #[serde(default)]
        thumbnails: Vec<String>,
        /// Photos the day has in all.
        #[serde(default)]
        photos: u32,
    },
    /// An archive proposal (M29): the oldest photos, which a disc could
    /// hold, and until when the offer stands.
    ArchiveProposal {
        proposal_id: String,
        crossed: Vec<crate::archive::Crossing>,
        /// The days the oldest and newest photo offered were stored.
        #[serde(with = "crate::when::day")]
        stored_from: Date,
        #[serde(with = "crate::when::day")]
        stored_to: Date,
        /// Each disc kind that would hold something.
        discs: Vec<ProposedDisc>,
        /// The first day the offer no longer stands.
        #[serde(with = "crate::when::day")]
        expires_on: Date,
    },
    OrderCancelled {
        order_id: String,
        points_returned: i64,
        refund: i64,
    },
    /// A full export (X3) is ready, or stopped for good ([`export`]).
    ExportReady(export::Ready),
    ExportFailed(export::Failed),
    /// An archived original is readable again (M32), until `until`.
    OriginalRestored {
        image_id: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        file_name: Option<String>,
        disc_id: String,
        until: crate::when::Timestamp,
    },
}

/// One email to send.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Notice {
    pub notice_id: NoticeId,
    pub to: Email,
    #[serde(flatten)]
    pub message: Message,
}

/// A rendered email.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Rendered {
    pub subject: String,
    pub text: String,
    pub html: String,
}

impl Notice {
    /// The notice as a queue message body.
    pub fn to_body(&self) -> String {
        // Strings and enums only: serialising cannot fail.
        serde_json::to_string(self).unwrap_or_default()
    }

    /// Parses a queue message body; an error means it can never be sent.
    pub fn from_body(body: &str) -> Result<Self, String> {
        serde_json::from_str(body).map_err(|e| format!("not a notice: {e}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn verify() -> Notice {
        Notice {
            notice_id: NoticeId::parse("verify:abc").unwrap(),
            to: Email::parse("ann@example.com").unwrap(),
            message: Message::VerifyEmail {
                purpose: VerifyPurpose::Register,
                link: "http://x/v1/accounts/verify?code=a<b".into(),
                code: "a<b".into(),
                expires_at: "2026-11-29T10:00:00Z".parse().unwrap(),
            },
        }
    }

    #[test]
    fn notice_ids_are_checked() {
        assert!(NoticeId::parse("verify:0a-_.Z").is_ok());
        for bad in ["", "a b", "x/y", &"a".repeat(201), "é"] {
            assert!(NoticeId::parse(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn a_notice_round_trips_through_its_body() {
        let n = verify();
        let body = n.to_body();
        assert!(body.contains("\"kind\":\"verify_email\""), "{body}");
        assert_eq!(Notice::from_body(&body).unwrap(), n);
        assert!(Notice::from_body("{}").is_err());
        assert!(Notice::from_body(r#"{"notice_id":"x","to":"nobody","kind":"address_in_use"}"#).is_err());
        assert!(Notice::from_body(r#"{"notice_id":"x","to":"a@b.co","kind":"wire_money"}"#).is_err());
    }

    #[test]
    fn both_bodies_carry_the_link_and_html_is_escaped() {
        let r = verify().render();
        assert!(r.text.contains("http://x/v1/accounts/verify?code=a<b"));
        assert!(r
            .html
            .contains("href=\"http://x/v1/accounts/verify?code=a&lt;b\""));
        assert!(!r.html.contains("a<b"));
        let other = Notice {
            message: Message::AddressInUse,
            ..verify()
        }
        .render();
        assert!(other.subject.contains("tried to register"));
        assert!(!other.text.contains("http"));
    }
}
