//! The retention warning (M26, M27): which images go, when, and how to
//! keep them.

use super::body::bodies;
use super::Rendered;
use serde::{Deserialize, Serialize};
use time::Date;

/// One image a retention warning names.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WarnedImage {
    pub image_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file_name: Option<String>,
    /// `storage_period`, `too_few_prints` or `keep_period`.
    pub cause: String,
    #[serde(with = "crate::when::day")]
    pub delete_on: Date,
    /// Days it then waits in the trash, restorable, before it is purged
    /// (absent from warnings sent before the trash).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trash_days: Option<u32>,
}

/// How many images one email names; the rest are counted.
const LISTED: usize = 20;

pub(super) fn render(images: &[WarnedImage]) -> Rendered {
    let first = images
        .iter()
        .map(|i| i.delete_on)
        .min()
        .map_or_else(|| "-".to_owned(), |d| d.to_string());
    let mut p = vec![format!(
        "{} of your photos will be deleted from printvault, the first on {first}, unless you keep them:",
        images.len()
    )];
    for i in images.iter().take(LISTED) {
        let why = match i.cause.as_str() {
            "storage_period" => "stored 90 days without being selected or given attributes",
            "too_few_prints" => "offered for printing, but not printed this year",
            _ => "its keeping period ends",
        };
        p.push(format!(
            "- {} ({}): {why}; deleted on {}",
            i.file_name.as_deref().unwrap_or("an untitled photo"),
            i.image_id,
            i.delete_on
        ));
    }
    if images.len() > LISTED {
        p.push(format!(
            "…and {} more (GET /v1/images lists them all).",
            images.len() - LISTED
        ));
    }
    p.push(
        "To keep one, select it (PATCH /v1/images/{id} with \"selected\": true), edit its attributes, or order a print of it before that day. \
         Selected photos are never deleted automatically."
            .to_owned(),
    );
    if let Some(days) = images.iter().find_map(|i| i.trash_days) {
        p.push(format!(
            "A deleted photo first goes to your trash (GET /v1/trash), where you can still restore it for {days} days \
             (POST /v1/trash/{{id}}/restore) before it is deleted for good. It is billed while it is there."
        ));
    }
    let (text, html) = bodies(&p, None);
    Rendered {
        subject: format!(
            "{} of your printvault photos will be deleted from {first}",
            images.len()
        ),
        text,
        html,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_warning_names_each_image_its_day_and_how_to_keep_it() {
        let images: Vec<WarnedImage> = (0..25)
            .map(|n| WarnedImage {
                image_id: format!("img_{n}"),
                file_name: (n == 0).then(|| "kyoto <1>.jpg".to_owned()),
                cause: "storage_period".into(),
                delete_on: time::macros::date!(2027 - 05 - 10) + time::Duration::days(n % 3),
                trash_days: Some(30),
            })
            .collect();
        let r = render(&images);
        assert_eq!(
            r.subject,
            "25 of your printvault photos will be deleted from 2027-05-10"
        );
        assert!(r.text.contains("kyoto <1>.jpg (img_0)"), "{}", r.text);
        assert!(r.html.contains("kyoto &lt;1&gt;.jpg"));
        assert!(r.text.contains("and 5 more"));
        assert!(r.text.contains("select it"));
        assert!(
            r.text.contains(
                "first goes to your trash (GET /v1/trash), where you can still restore it for 30 days"
            ),
            "{}",
            r.text
        );
    }
}
