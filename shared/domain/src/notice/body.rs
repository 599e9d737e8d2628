//! The shape every notice's two bodies share: paragraphs as plain text, and
//! the same as escaped HTML.

/// Escapes text for HTML element content and attribute values.
pub fn html_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Paragraphs as plain text (blank line between) and as HTML `<p>`s.
pub(super) fn bodies(paragraphs: &[String], link: Option<&str>) -> (String, String) {
    let text = paragraphs.join("\n\n") + "\n\n-- printvault\n";
    let mut html = String::from("<!doctype html><html><body style=\"font-family:sans-serif\">");
    for p in paragraphs {
        match link {
            Some(l) if p == l => {
                let l = html_escape(l);
                html.push_str(&format!("<p><a href=\"{l}\">{l}</a></p>"));
            }
            _ => html.push_str(&format!("<p>{}</p>", html_escape(p))),
        }
    }
    html.push_str("<p>&mdash; printvault</p></body></html>");
    (text, html)
}
