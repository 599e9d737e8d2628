use super::*;
use proptest::prelude::*;
use std::collections::HashSet;

fn named<'a>(id: &'a ImageId, name: Option<&'a str>, format: &'a str, month: &'a str) -> Named<'a> {
    Named {
        image_id: id,
        file_name: name,
        format,
        month,
    }
}

#[test]
fn names_keep_the_upload_safe_and_sorted_by_month() {
    let ids: Vec<_> = (0..6).map(|_| ImageId::generate()).collect();
    let paths = disc_paths(&[
        named(&ids[0], Some("IMG_0001.JPG"), "jpeg", "2019-03"),
        named(&ids[1], Some("富士山の朝.jpg"), "jpeg", "2019-03"),
        named(&ids[2], Some("img_0001.png"), "png", "2019-03"),
        named(&ids[3], Some("C:\\photos\\a:b?.webp"), "webp", "2020-01"),
        named(&ids[4], None, "jpeg", "not a month"),
        named(&ids[5], Some(" ... "), "jpeg", "2020-01"),
    ]);
    assert_eq!(paths[0], "photos/2019-03/IMG_0001.jpg");
    assert_eq!(paths[1], "photos/2019-03/富士山の朝.jpg");
    assert_eq!(
        paths[2], "photos/2019-03/img_0001_2.png",
        "case and extension collide"
    );
    assert_eq!(paths[3], "photos/2020-01/a_b_.webp");
    assert_eq!(paths[4], format!("photos/undated/{}.jpg", ids[4]));
    assert_eq!(paths[5], format!("photos/2020-01/{}.jpg", ids[5]));
    assert_eq!(sidecar_path(&paths[2]), "photos/2019-03/img_0001_2.xmp");
}

#[test]
fn a_disc_job_names_its_order_and_volume() {
    let order = OrderId::parse("ord_01jdq3v6zk8r2m4n5p6q7r8s9t").unwrap_or_else(|_| OrderId::generate());
    assert_eq!(disc_job_id(&order), format!("{order}:disc"));
    let v = volume_id(&order);
    assert!(v.len() <= 32 && v.starts_with("PV_"), "{v}");
    assert!(
        v.bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_'),
        "{v}"
    );
}

proptest! {
    /// Whatever the uploads were called, every path and sidecar on a disc
    /// is unique ignoring case, every name fits Joliet and holds nothing
    /// Joliet or Windows forbids, and the extension is the format's.
    #[test]
    fn paths_are_unique_and_fit_every_tree(
        files in proptest::collection::vec(
            (proptest::option::of("[a-zA-Z0-9 ._:*?/\\\\<>|\"\u{0}-\u{1f}富士山の朝😀-]{0,90}"),
             prop_oneof![Just("jpeg"), Just("png"), Just("webp")],
             prop_oneof![Just("2019-03"), Just("2019-04"), Just("x")]),
            1..60),
    ) {
        let ids: Vec<_> = files.iter().map(|_| ImageId::generate()).collect();
        let named: Vec<_> = files
            .iter()
            .zip(&ids)
            .map(|((n, f, m), id)| named(id, n.as_deref(), f, m))
            .collect();
        let paths = disc_paths(&named);
        prop_assert_eq!(paths.len(), files.len());
        let mut seen = HashSet::new();
        for (p, (_, format, _)) in paths.iter().zip(&files) {
            for q in [p.clone(), sidecar_path(p)] {
                prop_assert!(seen.insert(q.to_lowercase()), "{} twice", q);
                let parts: Vec<_> = q.split('/').collect();
                prop_assert_eq!(parts.len(), 3, "{}", q);
                prop_assert_eq!(parts[0], "photos");
                for part in parts {
                    prop_assert!(!part.is_empty() && part.encode_utf16().count() <= MAX_NAME_UNITS, "{}", q);
                    prop_assert!(!part.chars().any(|c| c.is_control() || c.len_utf16() > 1 || "*:;?\\\"<>|".contains(c)), "{}", q);
                    prop_assert!(!part.starts_with(' ') && !part.starts_with('.'), "{}", q);
                }
            }
            let ext = match *format { "jpeg" => ".jpg", "png" => ".png", _ => ".webp" };
            prop_assert!(p.ends_with(ext), "{}", p);
        }
    }
}
