//! The emails about a full export (X3): ready, with the link to the route
//! that mints its download URLs, or stopped, and why.

use serde::{Deserialize, Serialize};

use super::body::bodies;
use super::{Message, Notice, NoticeId, Rendered};
use crate::account::Email;
use crate::export::job::ExportJob;
use crate::when::Timestamp;
use crate::Error;

/// A full export is ready: `link` is the api route that mints fresh
/// download URLs for its parts (it carries no secret).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ready {
    pub export_id: String,
    pub parts: u32,
    pub images: u32,
    pub bytes: u64,
    pub link: String,
    pub expires_at: Timestamp,
}

/// A full export stopped for good, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Failed {
    pub export_id: String,
    pub reason: String,
}

/// The email that `job` is ready, to `to`: the link goes to the route that
/// mints fresh URLs (`GET /v1/exports/{id}/urls`, behind the customer's
/// login), so the email itself opens nothing. Sent once per export.
pub fn ready_notice(job: &ExportJob, to: Email, expires_at: Timestamp) -> Result<Notice, Error> {
    Ok(Notice {
        notice_id: NoticeId::parse(&format!("export-ready:{}", job.export_id))?,
        to,
        message: Message::ExportReady(Ready {
            export_id: job.export_id.to_string(),
            parts: job.parts.len() as u32,
            images: job.images_total.unwrap_or_default(),
            bytes: job.parts_written().map(|p| p.bytes).sum(),
            link: format!(
                "{}/v1/exports/{}/urls",
                job.link_base.trim_end_matches('/'),
                job.export_id
            ),
            expires_at,
        }),
    })
}

/// The email that `job` stopped for good, and why.
pub fn failed_notice(job: &ExportJob, to: Email, reason: &str) -> Result<Notice, Error> {
    Ok(Notice {
        notice_id: NoticeId::parse(&format!("export-failed:{}", job.export_id))?,
        to,
        message: Message::ExportFailed(Failed {
            export_id: job.export_id.to_string(),
            reason: reason.to_owned(),
        }),
    })
}

pub(super) fn render(m: &Message) -> Rendered {
    match m {
        Message::ExportReady(Ready {
            export_id,
            parts,
            images,
            bytes,
            link,
            expires_at,
        }) => {
            let mib = bytes.div_ceil(1 << 20);
            let p = [
                format!(
                    "Your printvault export {export_id} is ready: {images} photos with their details and your \
                     account's records, in {parts} ZIP file{} ({mib} MiB in all).",
                    if *parts == 1 { "" } else { "s" }
                ),
                "Log in, then open this page for the download links (each works for an hour; open the page again for fresh ones):"
                    .to_owned(),
                link.clone(),
                format!("The files are removed at {expires_at}. Ask for a new export any time."),
            ];
            let (text, html) = bodies(&p, Some(link));
            Rendered {
                subject: "Your printvault export is ready".into(),
                text,
                html,
            }
        }
        Message::ExportFailed(Failed { export_id, reason }) => {
            let p = [
                format!("Your printvault export {export_id} could not be finished: {reason}."),
                "Nothing in your account changed. Ask for a new export when you are ready.".to_owned(),
            ];
            let (text, html) = bodies(&p, None);
            Rendered {
                subject: "Your printvault export could not be finished".into(),
                text,
                html,
            }
        }
        _ => Rendered::default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::job::{part_slot, ExportPart};
    use crate::ids::CustomerId;

    #[test]
    fn the_ready_email_links_to_the_route_that_mints_urls_and_carries_no_secret() {
        let at: Timestamp = "2027-01-01T00:00:00Z".parse().unwrap();
        let mut job = ExportJob::new(CustomerId::generate(), "https://api.example/".into(), at);
        job.images_total = Some(3);
        job.parts.insert(
            part_slot(1),
            ExportPart {
                part: 1,
                key: "exports/x/part-001.zip".into(),
                bytes: 3 << 20,
            },
        );
        let n = ready_notice(&job, Email::parse("ann@example.com").unwrap(), at).unwrap();
        assert_eq!(Notice::from_body(&n.to_body()).unwrap(), n);
        let r = n.render();
        let link = format!("https://api.example/v1/exports/{}/urls", job.export_id);
        assert!(r.text.contains(&link), "{}", r.text);
        assert!(r.html.contains(&format!("href=\"{link}\"")));
        assert!(r.text.contains("3 photos") && r.text.contains("1 ZIP file (3 MiB"));
        assert!(!r.text.contains("X-Amz"), "no presigned URL in the email");
        let f = failed_notice(
            &job,
            Email::parse("ann@example.com").unwrap(),
            "an <original> was deleted",
        )
        .unwrap();
        assert!(f.render().html.contains("&lt;original&gt;"));
    }
}
