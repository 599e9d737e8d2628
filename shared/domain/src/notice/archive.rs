//! The archive proposal (M29): which thresholds were crossed, what each
//! disc would hold, and that nothing happens unless the customer orders;
//! and a restored original, ready to download (M32).

use super::body::bodies;
use super::{Message, Notice, NoticeId, Rendered};
use crate::account::Email;
use crate::archive::{Crossing, Disc, Offered, Proposal};
use crate::when::Timestamp;
use crate::Error;

/// What one disc of an archive proposal would hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ProposedDisc {
    pub disc: Disc,
    pub images: u32,
    pub bytes: u64,
}

/// The email that offers proposal `p` to `to`: one per proposal, whatever
/// the replays (its ID names the proposal).
pub fn proposal_notice(p: &Proposal, to: Email) -> Result<Notice, Error> {
    let days = |pick: fn(&Offered) -> Timestamp| p.images.iter().map(pick).map(|t| t.time().date());
    Ok(Notice {
        notice_id: NoticeId::parse(&format!("archive-proposal:{}", p.proposal_id))?,
        to,
        message: Message::ArchiveProposal {
            proposal_id: p.proposal_id.to_string(),
            crossed: p.crossed.clone(),
            stored_from: days(|o| o.stored).min().unwrap_or(p.made_on),
            stored_to: days(|o| o.stored).max().unwrap_or(p.made_on),
            discs: p
                .fills
                .iter()
                .filter(|f| f.images > 0)
                .map(|f| ProposedDisc {
                    disc: f.disc,
                    images: f.images,
                    bytes: f.bytes,
                })
                .collect(),
            expires_on: p.expires_on,
        },
    })
}

/// The email that says `image`'s original, restored as `restore` asked,
/// is readable: one per ask, whatever S3 or the api repeat (its ID names
/// the image and the moment of the ask).
pub fn restored_notice(
    image: &crate::image::Image,
    restore: &crate::archive::Restore,
) -> Result<Notice, Error> {
    let disc_id = image
        .archive
        .as_ref()
        .map(|a| a.disc_id.to_string())
        .unwrap_or_default();
    Ok(Notice {
        notice_id: NoticeId::parse(&format!(
            "original-restored:{}:{}",
            image.id,
            restore.requested_at.unix()
        ))?,
        to: restore.email.clone(),
        message: Message::OriginalRestored {
            image_id: image.id.to_string(),
            file_name: image.file_name.clone(),
            disc_id,
            until: restore.until.unwrap_or(restore.requested_at),
        },
    })
}

pub(super) fn render(m: &Message) -> Rendered {
    if let Message::OriginalRestored {
        image_id,
        file_name,
        disc_id,
        until,
    } = m
    {
        let name = file_name.as_deref().unwrap_or("your photo");
        let p = vec![
            format!(
                "The original of {name} ({image_id}), archived on disc {disc_id}, is back from cold storage \
                 and can be downloaded until {until}."
            ),
            format!(
                "Its link is in GET /v1/images/{image_id}/urls (\"original\"). After {until} it returns to the \
                 archive; ask again any time. It stays on your disc either way."
            ),
        ];
        let (text, html) = bodies(&p, None);
        return Rendered {
            subject: format!("Your archived photo {name} is ready to download"),
            text,
            html,
        };
    }
    let Message::ArchiveProposal {
        proposal_id,
        crossed,
        stored_from: from,
        stored_to: to,
        discs,
        expires_on,
    } = m
    else {
        return Rendered::default();
    };
    let why: Vec<&str> = crossed
        .iter()
        .map(|c| match c {
            Crossing::StoredBytes => "the space your originals take",
            Crossing::Images => "the number of photos you store",
            Crossing::Age => "the age of your oldest photo",
            Crossing::YearlyDate => "your yearly archive date",
        })
        .collect();
    let mut p = vec![format!(
        "Your printvault library has reached the archive threshold for {}. \
         Your oldest photos, stored from {from} to {to}, can go onto a disc that a lab writes and posts to you:",
        why.join(" and ")
    )];
    for d in discs {
        p.push(format!(
            "- {}: {} photo{}, {}",
            disc_name(d.disc),
            d.images,
            if d.images == 1 { "" } else { "s" },
            size(d.bytes)
        ));
    }
    p.push(format!(
        "See the photos, take any out, and choose a disc: proposal {proposal_id} \
         (GET /v1/archive/proposals/{proposal_id}). Only once the lab has written the disc do the originals leave \
         online storage; their thumbnails stay, with the disc that holds each."
    ));
    p.push(format!(
        "The offer stands until {}. Nothing happens unless you order: your photos stay as they are.",
        *expires_on - time::Duration::days(1)
    ));
    let (text, html) = bodies(&p, None);
    Rendered {
        subject: format!("Archive your oldest photos to a disc ({from} to {to})"),
        text,
        html,
    }
}

fn disc_name(d: Disc) -> &'static str {
    match d {
        Disc::Cd => "CD (700 MB)",
        Disc::Dvd => "DVD (4.7 GB)",
        Disc::Bd => "Blu-ray (25 GB)",
    }
}

/// Bytes in decimal units, as discs are sold.
fn size(bytes: u64) -> String {
    const MB: f64 = 1e6;
    let b = bytes as f64;
    if b >= 1e9 {
        format!("{:.1} GB", b / 1e9)
    } else {
        format!("{:.1} MB", b / MB)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn a_proposal_says_why_what_each_disc_holds_and_until_when() {
        let m = Message::ArchiveProposal {
            proposal_id: "arp_01JDQ3V6ZK8R2M4N5P6Q7R8S9T".into(),
            crossed: vec![Crossing::Images, Crossing::Age],
            stored_from: date!(2023 - 01 - 02),
            stored_to: date!(2024 - 05 - 06),
            discs: vec![
                ProposedDisc {
                    disc: Disc::Cd,
                    images: 140,
                    bytes: 700_000_000,
                },
                ProposedDisc {
                    disc: Disc::Bd,
                    images: 1,
                    bytes: 3_200_000_000,
                },
            ],
            expires_on: date!(2027 - 01 - 06),
        };
        let r = render(&m);
        assert_eq!(
            r.subject,
            "Archive your oldest photos to a disc (2023-01-02 to 2024-05-06)"
        );
        for want in [
            "the number of photos you store and the age of your oldest photo",
            "stored from 2023-01-02 to 2024-05-06",
            "- CD (700 MB): 140 photos, 700.0 MB",
            "- Blu-ray (25 GB): 1 photo, 3.2 GB",
            "GET /v1/archive/proposals/arp_01JDQ3V6ZK8R2M4N5P6Q7R8S9T",
            "until 2027-01-05",
            "Nothing happens unless you order",
        ] {
            assert!(r.text.contains(want), "{want:?} not in {}", r.text);
        }
        assert!(r.html.contains("140 photos"));
        // It travels to the notifier as JSON, beside the notice's own fields.
        let n = crate::notice::Notice {
            notice_id: crate::notice::NoticeId::parse("archive-proposal:arp_01JDQ3V6ZK8R2M4N5P6Q7R8S9T")
                .unwrap(),
            to: crate::account::Email::parse("a@example.com").unwrap(),
            message: m,
        };
        let json = serde_json::to_string(&n).unwrap();
        assert_eq!(serde_json::from_str::<crate::notice::Notice>(&json).unwrap(), n);
    }

    #[test]
    fn a_restored_original_says_until_when_and_where_its_link_is() {
        let until: Timestamp = "2027-03-17T08:00:00Z".parse().unwrap();
        let r = render(&Message::OriginalRestored {
            image_id: "img_01JDZ7Q3W9XKQ7M4V8R2N5T6YB".into(),
            file_name: Some("浜辺.jpg".into()),
            disc_id: "ord_01JDQ3V6ZK8R2M4N5P6Q7R8S9T".into(),
            until,
        });
        assert!(r.subject.contains("浜辺.jpg") && r.subject.contains("ready to download"));
        assert!(r.text.contains("2027-03-17T08:00:00Z"), "{}", r.text);
        assert!(
            r.text.contains("/v1/images/img_01JDZ7Q3W9XKQ7M4V8R2N5T6YB/urls"),
            "{}",
            r.text
        );
        assert!(r.text.contains("ord_01JDQ3V6ZK8R2M4N5P6Q7R8S9T"), "{}", r.text);
    }
}
