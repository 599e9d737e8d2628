//! The event notice (M28): an event a week ahead, with thumbnails of that
//! day's photos from earlier years, and how to stop such notices.

use super::body::{bodies, html_escape};
use super::{Message, Rendered};

pub(super) fn render(m: &Message) -> Rendered {
    let Message::Anniversary {
        key,
        title,
        on,
        years,
        thumbnails,
        photos,
    } = m
    else {
        return Rendered::default();
    };
    let when = match years {
        Some(1) => format!("{on}, a year since the first"),
        Some(n) if *n > 1 => format!("{on}, {n} years since the first"),
        _ => on.to_string(),
    };
    let mut p = vec![format!("Coming up: {title}, on {when}.")];
    if *photos > 0 {
        p.push(format!(
            "You have {photos} photo{} from this day in earlier years{}",
            if *photos == 1 { "" } else { "s" },
            if thumbnails.is_empty() { "." } else { ":" }
        ));
    }
    let links_at = p.len();
    p.extend(thumbnails.iter().cloned());
    p.push(format!(
        "Not interested? Stop notices of this event by adding \"{key}\" to \"muted\" (PUT /v1/profile/anniversary-notices), \
         or turn them all off with \"enabled\": false."
    ));
    let (text, _) = bodies(&p, None);
    let mut html = String::from("<!doctype html><html><body style=\"font-family:sans-serif\">");
    for (n, para) in p.iter().enumerate() {
        if (links_at..links_at + thumbnails.len()).contains(&n) {
            let l = html_escape(para);
            html.push_str(&format!(
                "<a href=\"{l}\"><img src=\"{l}\" alt=\"a photo from this day\" width=\"128\"></a> "
            ));
        } else {
            html.push_str(&format!("<p>{}</p>", html_escape(para)));
        }
    }
    html.push_str("<p>&mdash; printvault</p></body></html>");
    Rendered {
        subject: format!("Coming up on {on}: {title}"),
        text,
        html,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_notice_names_the_event_shows_the_photos_and_how_to_stop_it() {
        let m = Message::Anniversary {
            key: "named:wedding <anniversary>".into(),
            title: "Wedding <anniversary>".into(),
            on: time::macros::date!(2027 - 06 - 20),
            years: Some(12),
            thumbnails: vec!["https://x/v1/notice-links/t/images/0".into()],
            photos: 3,
        };
        let r = render(&m);
        assert_eq!(r.subject, "Coming up on 2027-06-20: Wedding <anniversary>");
        assert!(r.text.contains("12 years since the first"), "{}", r.text);
        assert!(r.text.contains("3 photos from this day"));
        assert!(r.text.contains("https://x/v1/notice-links/t/images/0"));
        assert!(r.text.contains("\"named:wedding <anniversary>\""));
        assert!(r
            .html
            .contains("<img src=\"https://x/v1/notice-links/t/images/0\""));
        assert!(r.html.contains("Wedding &lt;anniversary&gt;") && !r.html.contains("<anniversary>"));
    }
}
