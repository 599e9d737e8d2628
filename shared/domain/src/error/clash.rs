//! What a request clashes with in the current state, and what does not
//! exist: the domain's terms, worded for a customer only at the api's edge.

use crate::image::ImageStatus;
use crate::lab_report::LineStage;
use crate::order::OrderStatus;

/// A kind of thing the service keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Thing {
    Album,
    /// An entry of the screening blocklist.
    BlocklistEntry,
    Customer,
    /// A full export (X3).
    Export,
    Grant,
    Group,
    Image,
    Invitation,
    Invoice,
    /// A lab's print job: one line of a dispatched order.
    Job,
    Lab,
    Link,
    Member,
    Order,
    /// One line of an order.
    OrderLine,
    Profile,
    ProfileShare,
    /// An archive proposal (M29).
    Proposal,
    Quote,
}

impl Thing {
    /// Its name, as an API field or path would say it.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Album => "album",
            Self::BlocklistEntry => "blocklist entry",
            Self::Customer => "customer",
            Self::Export => "export",
            Self::Grant => "grant",
            Self::Group => "group",
            Self::Image => "image",
            Self::Invitation => "invitation",
            Self::Invoice => "invoice",
            Self::Job => "job",
            Self::Lab => "lab",
            Self::Link => "link",
            Self::Member => "member",
            Self::Order => "order",
            Self::OrderLine => "order line",
            Self::Profile => "profile",
            Self::ProfileShare => "profile share",
            Self::Proposal => "proposal",
            Self::Quote => "quote",
        }
    }
}

impl std::fmt::Display for Thing {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What is counted against a most-allowed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Counted {
    /// A customer's albums.
    Albums,
    /// The albums one image is in.
    AlbumsOfImage,
    /// A group's open invitations.
    OpenInvitations,
    /// The groups one customer is in.
    Groups,
    /// A customer's live share links.
    LiveLinks,
}

/// Why a well-formed request clashes with the current state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Clash {
    /// Another write to the same data was in progress; the same request may
    /// work when sent again.
    Raced,
    /// Other writes kept changing this thing through every retry.
    KeptChanging(Thing),
    /// A request with this Idempotency-Key is still being processed.
    KeyInFlight,
    /// The quote lapsed at `at`.
    QuoteExpired { at: crate::when::Timestamp },
    /// The order spends more points than the balance holds.
    NotEnoughPoints { spends: i64, balance: i64 },
    /// A guest's order that was not confirmed in time.
    NotConfirmedInTime,
    /// The order is `is`, from where it cannot become `to`.
    OrderCannotBecome { is: OrderStatus, to: OrderStatus },
    /// The order moved to `now` while the request was being served.
    OrderMoved { now: OrderStatus },
    /// Line `line` is `is`, from where it cannot become `to`.
    LineCannotBecome { line: u32, is: LineStage, to: LineStage },
    /// The disc is `is`, from where it cannot become `to`.
    DiscCannotBecome {
        is: crate::lab_report::disc::DiscStage,
        to: crate::lab_report::disc::DiscStage,
    },
    /// The disc was reported written before, as the image with this
    /// SHA-256: a disc is written once.
    DiscWrittenAs { image_sha256: String },
    /// The image's original is not in the archive (M32): nothing to
    /// restore.
    NotArchived,
    /// The order waits for its buyer to confirm their email address.
    AwaitingBuyerEmail,
    /// `image`, with the same bytes, is being deleted.
    SameBytesDeleting { image: crate::ids::ImageId },
    /// `of` is at its most, `most`.
    AtMost { of: Counted, most: usize },
    /// Another notifier is sending this notice now.
    NoticeBeingSent,
    /// A group's owner cannot leave it.
    OwnerStays,
    /// The image is not ready (it is `0`).
    ImageNotReady(ImageStatus),
    /// The upload duplicates an image the customer already has.
    DuplicateOf(Option<crate::ids::ImageId>),
    /// The output location is printed by another lab.
    LocationTaken(String),
    /// An account with this email address was verified first.
    EmailTaken,
    /// The thing already exists.
    Exists(Thing),
    /// The archive proposal is `status`, not open: it cannot be quoted or
    /// ordered.
    ProposalNot { status: crate::archive::ProposalStatus },
    /// The customer's export `export_id` is still being made: one at a time.
    ExportRunning { export_id: crate::ids::ExportId },
    /// The export is `state`: it has no parts to download (yet, or any more).
    ExportNotReady { state: crate::export::job::ExportState },
    /// The export's parts were removed at `at`; start a new export.
    ExportExpired { at: crate::when::Timestamp },
}
