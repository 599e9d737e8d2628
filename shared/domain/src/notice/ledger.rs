//! What the notifier keeps of each notice ID: whether it was claimed, sent,
//! and what SES said of it afterwards.

/// What became of a notice after it was claimed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Delivery {
    /// A notifier holds it, or SES refused it and it waits for a retry.
    Sending,
    /// SES took it; no word yet from the receiving server.
    Sent,
    /// The receiving server took it.
    Delivered,
    /// It bounced: the address does not take mail.
    Bounced,
    /// Its recipient marked it as spam.
    Complained,
}

impl Delivery {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Sending => "sending",
            Self::Sent => "sent",
            Self::Delivered => "delivered",
            Self::Bounced => "bounced",
            Self::Complained => "complained",
        }
    }

    /// Reads back what [`Self::as_str`] wrote; anything else is `Sending`.
    pub fn parse(s: &str) -> Self {
        match s {
            "sent" => Self::Sent,
            "delivered" => Self::Delivered,
            "bounced" => Self::Bounced,
            "complained" => Self::Complained,
            _ => Self::Sending,
        }
    }
}

/// What claiming a notice ID found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Claim {
    /// This caller holds it now and should send.
    Ours,
    /// It was sent before: nothing to do.
    AlreadySent,
    /// Another notifier is sending it right now: try again later.
    Busy,
}
