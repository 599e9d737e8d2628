//! One of each reason the domain gives, for the walk in `errors.rs`. Each
//! list ends in a `match` without a wildcard, so a new reason does not
//! compile until it is listed here.

use printvault_domain::access::Class;
use printvault_domain::archive::{Disc, ProposalStatus};
use printvault_domain::ids::ImageId;
use printvault_domain::image::ImageStatus;
use printvault_domain::lab_report::disc::DiscStage;
use printvault_domain::lab_report::LineStage;
use printvault_domain::money::Yen;
use printvault_domain::order::OrderStatus;
use printvault_domain::pricing::PrintSize;
use printvault_domain::{Clash, Counted, Form, Problem, Rule, Thing};

pub fn every_problem() -> Vec<Problem> {
    let mut all = vec![
        Problem::Text { min: 1, max: 100 },
        Problem::range(1, 99),
        Problem::range(1, i64::MAX),
        Problem::Count { min: 0, max: 20 },
        Problem::Count { min: 1, max: 50 },
        Problem::NotAnId,
        Problem::one_of("image/gif", &["image/jpeg", "image/png"]),
        Problem::Missing,
        Problem::NotA {
            form: Form::Email,
            got: "not-an-email".into(),
        },
        Problem::OneOfTwo { other: "album_id" },
        Problem::Unreadable("expected value at line 1 column 1".into()),
    ];
    let forms = [
        Form::Date,
        Form::Month,
        Form::LocalTime,
        Form::Time,
        Form::Country,
        Form::Email,
        Form::Slug,
        Form::VisibleAscii,
        Form::NoticeId,
        Form::EventKey,
        Form::Place,
        Form::WebhookSecret,
        Form::Cursor,
        Form::Sha256,
    ];
    all.extend(forms.map(Problem::Form));
    all.extend(every_rule().into_iter().map(Problem::Rule));
    for p in &all {
        match p {
            Problem::Text { .. }
            | Problem::Range { .. }
            | Problem::Count { .. }
            | Problem::Form(
                Form::Date
                | Form::Month
                | Form::LocalTime
                | Form::Time
                | Form::Country
                | Form::Email
                | Form::Slug
                | Form::VisibleAscii
                | Form::NoticeId
                | Form::EventKey
                | Form::Place
                | Form::WebhookSecret
                | Form::Cursor
                | Form::Sha256,
            )
            | Problem::NotAnId
            | Problem::OneOf { .. }
            | Problem::Missing
            | Problem::NotA { .. }
            | Problem::OneOfTwo { .. }
            | Problem::Unreadable(_)
            | Problem::Rule(_) => {}
        }
    }
    all
}

fn every_rule() -> Vec<Rule> {
    let all = vec![
        Rule::GuestGivesEmail,
        Rule::CustomerGivesNoEmail,
        Rule::NotYourQuote,
        Rule::NoLabFor("tokyo-shibuya".into()),
        Rule::LabIdTooLong {
            queue: "printvault-dev-lab-x-jobs-dlq".into(),
            max: 80,
        },
        Rule::LineTwice {
            image: ImageId::generate(),
            size: PrintSize::L,
        },
        Rule::GuestHasNoPoints,
        Rule::PricesNeeded,
        Rule::PriceOutside {
            size: PrintSize::TwoL,
            price: Yen(5),
            min: Yen(10),
            max: Yen(100_000),
        },
        Rule::NoPricesFor(Class::Viewable),
        Rule::Negative,
        Rule::NotPositive,
        Rule::UnknownCode,
        Rule::SameEmail,
        Rule::SelfGrant,
        Rule::OwnProfile,
        Rule::FromAfterTo,
        Rule::InTheFuture,
        Rule::WeakPassword { advice: vec![] },
        Rule::WeakPassword {
            advice: vec!["Add another word or two.".into()],
        },
        Rule::PasswordLength { min: 10, max: 1024 },
        Rule::LocationChanges {
            serves: 60,
            drops: 50,
            most: 99,
        },
        Rule::NotAnImage("the JPEG headers are invalid".into()),
        Rule::NoWebhookSecret,
        Rule::NotOnTheDisc {
            image: ImageId::generate(),
            disc: Disc::Dvd,
        },
        Rule::NothingLeftOnTheDisc,
    ];
    for r in &all {
        match r {
            Rule::GuestGivesEmail
            | Rule::CustomerGivesNoEmail
            | Rule::NotYourQuote
            | Rule::NoLabFor(_)
            | Rule::LabIdTooLong { .. }
            | Rule::LineTwice { .. }
            | Rule::GuestHasNoPoints
            | Rule::PricesNeeded
            | Rule::PriceOutside { .. }
            | Rule::NoPricesFor(_)
            | Rule::Negative
            | Rule::NotPositive
            | Rule::UnknownCode
            | Rule::SameEmail
            | Rule::SelfGrant
            | Rule::OwnProfile
            | Rule::FromAfterTo
            | Rule::InTheFuture
            | Rule::WeakPassword { .. }
            | Rule::PasswordLength { .. }
            | Rule::LocationChanges { .. }
            | Rule::NotAnImage(_)
            | Rule::NoWebhookSecret
            | Rule::NotOnTheDisc { .. }
            | Rule::NothingLeftOnTheDisc => {}
        }
    }
    all
}

pub fn every_clash() -> Vec<Clash> {
    let mut all = vec![
        Clash::Raced,
        Clash::KeptChanging(Thing::Image),
        Clash::KeyInFlight,
        Clash::QuoteExpired {
            at: "2027-01-31T09:00:00Z".parse().unwrap(),
        },
        Clash::NotEnoughPoints {
            spends: 500,
            balance: 120,
        },
        Clash::NotConfirmedInTime,
        Clash::OrderCannotBecome {
            is: OrderStatus::Dispatched,
            to: OrderStatus::Cancelled,
        },
        Clash::OrderMoved {
            now: OrderStatus::Paid,
        },
        Clash::LineCannotBecome {
            line: 1,
            is: LineStage::Shipped,
            to: LineStage::Printed,
        },
        Clash::DiscCannotBecome {
            is: DiscStage::Written,
            to: DiscStage::Accepted,
        },
        Clash::DiscWrittenAs {
            image_sha256: "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08".into(),
        },
        Clash::NotArchived,
        Clash::AwaitingBuyerEmail,
        Clash::SameBytesDeleting {
            image: ImageId::generate(),
        },
        Clash::NoticeBeingSent,
        Clash::OwnerStays,
        Clash::ImageNotReady(ImageStatus::Pending),
        Clash::DuplicateOf(Some(ImageId::generate())),
        Clash::DuplicateOf(None),
        Clash::LocationTaken("tokyo-shibuya".into()),
        Clash::EmailTaken,
        Clash::Exists(Thing::Group),
        Clash::ProposalNot {
            status: ProposalStatus::Lapsed,
        },
        Clash::ProposalNot {
            status: ProposalStatus::Ordered,
        },
        Clash::ExportRunning {
            export_id: printvault_domain::ids::ExportId::generate(),
        },
        Clash::ExportNotReady {
            state: printvault_domain::export::job::ExportState::Running,
        },
        Clash::ExportExpired {
            at: "2027-01-08T00:00:00Z".parse().unwrap(),
        },
    ];
    let counted = [
        Counted::Albums,
        Counted::AlbumsOfImage,
        Counted::OpenInvitations,
        Counted::Groups,
        Counted::LiveLinks,
    ];
    all.extend(counted.map(|of| Clash::AtMost { of, most: 20 }));
    for c in &all {
        match c {
            Clash::Raced
            | Clash::KeptChanging(_)
            | Clash::KeyInFlight
            | Clash::QuoteExpired { .. }
            | Clash::NotEnoughPoints { .. }
            | Clash::NotConfirmedInTime
            | Clash::OrderCannotBecome { .. }
            | Clash::OrderMoved { .. }
            | Clash::LineCannotBecome { .. }
            | Clash::DiscCannotBecome { .. }
            | Clash::DiscWrittenAs { .. }
            | Clash::NotArchived
            | Clash::AwaitingBuyerEmail
            | Clash::SameBytesDeleting { .. }
            | Clash::NoticeBeingSent
            | Clash::OwnerStays
            | Clash::ImageNotReady(_)
            | Clash::DuplicateOf(_)
            | Clash::LocationTaken(_)
            | Clash::EmailTaken
            | Clash::Exists(_)
            | Clash::ProposalNot { .. }
            | Clash::ExportRunning { .. }
            | Clash::ExportNotReady { .. }
            | Clash::ExportExpired { .. }
            | Clash::AtMost {
                of:
                    Counted::Albums
                    | Counted::AlbumsOfImage
                    | Counted::OpenInvitations
                    | Counted::Groups
                    | Counted::LiveLinks,
                ..
            } => {}
        }
    }
    all
}
