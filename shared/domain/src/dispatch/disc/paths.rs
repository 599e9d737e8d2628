//! Where each original goes on a disc: `photos/<YYYY-MM>/<name>.<ext>`, by
//! the month it was taken (or stored), under the name it was uploaded
//! with, made safe for every tree of the disc.
//!
//! Joliet (what Windows reads) allows 64 UTF-16 units a name, holds only
//! UCS-2 (no emoji) and forbids `* / : ; ? \`; Windows forbids `" < > |`
//! and control characters too, and compares names ignoring case. So a name keeps at most
//! [`MAX_STEM_UNITS`] units before its suffix and extension, those
//! characters become `_`, and two names in one folder that differ only in
//! case, or in their extension, are told apart by `_2`, `_3`, … (the XMP
//! sidecar beside each, `<stem>.xmp`, must not collide either).

use std::collections::HashSet;

use crate::ids::ImageId;

/// The most UTF-16 units a name on the disc has (Joliet's limit).
pub const MAX_NAME_UNITS: usize = 64;
/// The most a name's stem keeps of its upload's name, leaving room for a
/// `_NNNN` suffix and the longest extension (`.webp`, `.xmp`).
const MAX_STEM_UNITS: usize = 48;

/// One original to name.
#[derive(Debug, Clone)]
pub struct Named<'a> {
    pub image_id: &'a ImageId,
    /// The name it was uploaded with, if any.
    pub file_name: Option<&'a str>,
    /// `jpeg`, `png` or `webp`.
    pub format: &'a str,
    /// `YYYY-MM`: when it was taken, else when it was stored.
    pub month: &'a str,
}

/// Each original's path on the disc, in the order given: unique, ignoring
/// case, with their sidecars.
pub fn disc_paths(files: &[Named<'_>]) -> Vec<String> {
    named_paths(files, |month| format!("photos/{}", safe_month(month)))
}

/// Each original's path under the folder `folder_of` makes of its month
/// (`YYYY-MM`), in the order given: names as [`disc_paths`] makes them
/// (safe on every system), unique ignoring case, with their sidecars.
pub fn named_paths(files: &[Named<'_>], folder_of: impl Fn(&str) -> String) -> Vec<String> {
    let mut taken = HashSet::new();
    files
        .iter()
        .map(|f| {
            let folder = folder_of(f.month);
            let stem = stem(f.file_name).unwrap_or_else(|| f.image_id.to_string());
            let mut n = 1usize;
            let unique = loop {
                let candidate = if n == 1 {
                    stem.clone()
                } else {
                    format!("{stem}_{n}")
                };
                if taken.insert(format!("{folder}/{}", candidate.to_lowercase())) {
                    break candidate;
                }
                n += 1;
            };
            format!("{folder}/{unique}.{}", extension(f.format))
        })
        .collect()
}

/// The XMP sidecar beside the original at `path`: `<stem>.xmp`.
pub fn sidecar_path(path: &str) -> String {
    match path.rsplit_once('.') {
        Some((stem, _)) if !stem.ends_with('/') => format!("{stem}.xmp"),
        _ => format!("{path}.xmp"),
    }
}

fn extension(format: &str) -> &'static str {
    match format {
        "png" => "png",
        "webp" => "webp",
        _ => "jpg",
    }
}

/// `YYYY-MM`, or `undated` for anything else.
pub fn safe_month(month: &str) -> &str {
    let b = month.as_bytes();
    let ok = b.len() == 7 && b[4] == b'-' && b.iter().enumerate().all(|(i, c)| i == 4 || c.is_ascii_digit());
    if ok {
        month
    } else {
        "undated"
    }
}

/// The upload's name without folders or extension, made safe and short;
/// `None` when nothing usable is left.
fn stem(file_name: Option<&str>) -> Option<String> {
    let name = file_name?.rsplit(['/', '\\']).next()?;
    let name = match name.rsplit_once('.') {
        Some((s, _)) if !s.trim().is_empty() => s,
        _ => name,
    };
    let mut out = String::new();
    let mut units = 0;
    for c in name.chars() {
        // Joliet holds UCS-2: a character outside the BMP (an emoji) would
        // become `_` there, and could collide; it does so everywhere.
        let c = if c.is_control() || c.len_utf16() > 1 || "*/:;?\\\"<>|".contains(c) {
            '_'
        } else {
            c
        };
        units += c.len_utf16();
        if units > MAX_STEM_UNITS {
            break;
        }
        out.push(c);
    }
    let out = out.trim_matches(|c: char| c == '.' || c.is_whitespace());
    (!out.is_empty()).then(|| out.to_owned())
}
