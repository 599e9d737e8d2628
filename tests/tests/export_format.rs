//! The export's ZIP parts (X3), read by a reader nobody here wrote:
//! Python's `zipfile` opens what `printvault_domain::export::zip` writes,
//! streamed in chunks and handed over between entries, in plain and in
//! ZIP64 form, and every entry's CRC and SHA-256 match.

use printvault_domain::export::zip::{ZipState, ZipWriter};
use sha2::{Digest, Sha256};
use std::io::Write;
use std::process::Command;
use time::macros::datetime;

/// Writes `entries` streamed in 64 KiB chunks, handing the writer over
/// (through JSON) after every second entry.
fn zip(entries: &[(String, Vec<u8>)], zip64: bool) -> Vec<u8> {
    let mut w = if zip64 {
        ZipWriter::zip64_always()
    } else {
        ZipWriter::new()
    };
    let mut out = Vec::new();
    for (n, (name, content)) in entries.iter().enumerate() {
        if n % 2 == 1 {
            let saved = serde_json::to_vec(w.state().unwrap()).unwrap();
            w = ZipWriter::resume(serde_json::from_slice::<ZipState>(&saved).unwrap());
        }
        let when = datetime!(2024-05-03 10:00:00);
        out.extend(w.start(name, when, Some(content.len() as u64)).unwrap());
        for chunk in content.chunks(64 << 10) {
            w.data(chunk).unwrap();
            out.extend_from_slice(chunk);
        }
        out.extend(w.end().unwrap());
    }
    out.extend(w.finish().unwrap());
    out
}

const CHECK: &str = r#"
import hashlib, json, sys, zipfile
path, expected = sys.argv[1], json.loads(sys.argv[2])
with zipfile.ZipFile(path) as z:
    bad = z.testzip()
    assert bad is None, f"bad CRC: {bad}"
    names = [i.filename for i in z.infolist()]
    assert names == [e[0] for e in expected], names
    for (name, sha), info in zip(expected, z.infolist()):
        assert info.compress_type == zipfile.ZIP_STORED, info
        assert hashlib.sha256(z.read(name)).hexdigest() == sha, name
    print(len(names), "entries ok")
"#;

#[test]
fn pythons_zipfile_reads_every_entry_in_plain_and_zip64_form() {
    let mut photo = vec![0u8; 5 << 20];
    for (i, b) in photo.iter_mut().enumerate() {
        *b = (i * 31 % 251) as u8;
    }
    let entries = vec![
        ("2024/05/kyoto.jpg".to_owned(), photo),
        (
            "2024/05/kyoto.xmp".to_owned(),
            b"<x:xmpmeta xmlns:x=\"adobe:ns:meta/\"/>".to_vec(),
        ),
        ("写真/猫 & <dog>.jpg".to_owned(), b"\xff\xd8 tiny".to_vec()),
        ("empty".to_owned(), Vec::new()),
        ("manifest.json".to_owned(), b"{\"images\": []}".to_vec()),
    ];
    let expected: Vec<(String, String)> = entries
        .iter()
        .map(|(n, c)| (n.clone(), hex::encode(Sha256::digest(c))))
        .collect();
    let python = local_runner::moto::default_python();
    for zip64 in [false, true] {
        let mut f = tempfile::NamedTempFile::new().unwrap();
        f.write_all(&zip(&entries, zip64)).unwrap();
        let out = Command::new(&python)
            .args(["-c", CHECK])
            .arg(f.path())
            .arg(serde_json::to_string(&expected).unwrap())
            .output()
            .expect("python runs");
        assert!(
            out.status.success(),
            "zip64 {zip64}: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "5 entries ok");
    }
}

const READ_XMP: &str = r#"
import json, sys
import xml.etree.ElementTree as ET
ns = {"x": "adobe:ns:meta/", "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
      "dc": "http://purl.org/dc/elements/1.1/", "exif": "http://ns.adobe.com/exif/1.0/",
      "digiKam": "http://www.digikam.org/ns/1.0/", "pv": "https://printvault.example/ns/xmp/1.0/"}
root = ET.fromstring(sys.stdin.read().split("?>", 1)[1].rsplit("<?xpacket", 1)[0])
d = root.find("rdf:RDF/rdf:Description", ns)
attr = lambda p, n: d.get("{%s}%s" % (ns[p], n))
items = lambda path: [li.text for li in d.findall(path + "/rdf:li", ns)]
print(json.dumps({
    "description": items("dc:description/rdf:Alt"),
    "subject": items("dc:subject/rdf:Bag"),
    "taken": attr("exif", "DateTimeOriginal"),
    "lat": attr("exif", "GPSLatitude"),
    "lon": attr("exif", "GPSLongitude"),
    "tags": items("digiKam:TagsList/rdf:Seq"),
    "class": attr("pv", "Class"),
    "price_l": attr("pv", "PriceL"),
}))
"#;

/// An XMP sidecar parses with Python's XML parser, hostile strings and
/// all, and says what the attributes say.
#[test]
fn an_xmp_sidecar_parses_and_holds_the_attributes() {
    use printvault_domain::attributes::{Attributes, Place};
    use printvault_domain::xmp::Sidecar;
    let a = Attributes {
        taken_at: Some("2024-05-03T10:00:00".into()),
        place: Some(Place {
            name: Some("Gion & \"Pontochō\"".into()),
            latitude: Some(-33.8568),
            longitude: Some(151.2153),
        }),
        people: vec!["Ann <script>".into(), "Bob\u{7}".into()],
        event: Some("]]> Hanami".into()),
        keywords: vec!["桜".into(), "a/b".into()],
        camera: Some("Canon".into()),
    };
    let prices = printvault_domain::classification::Prices {
        l: printvault_domain::money::Yen(150),
        two_l: printvault_domain::money::Yen(400),
    };
    let xmp = Sidecar {
        image_id: "img_1",
        stored_at: printvault_domain::when::Timestamp::EPOCH,
        attributes: &a,
        class: Some((printvault_domain::access::Class::Printable, Some(&prices))),
    }
    .render();
    let mut child = Command::new(local_runner::moto::default_python())
        .args(["-c", READ_XMP])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(xmp.as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{}\n{xmp}",
        String::from_utf8_lossy(&out.stderr)
    );
    let read: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        read,
        serde_json::json!({
            "description": ["]]> Hanami · Gion & \"Pontochō\" · Ann <script>, Bob "],
            "subject": ["桜", "a/b"],
            "taken": "2024-05-03T10:00:00",
            "lat": "33,51.408000S",
            "lon": "151,12.918000E",
            "tags": ["People/Ann <script>", "People/Bob ", "Events/]]> Hanami", "Places/Gion & \"Pontochō\"", "桜", "a|b"],
            "class": "printable",
            "price_l": "150",
        })
    );
}

const VALIDATE: &str = r#"
import json, sys, jsonschema
schema = json.load(open(sys.argv[1]))
jsonschema.Draft202012Validator.check_schema(schema)
v = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
errors = {}
for name, doc in json.loads(sys.stdin.read()).items():
    errors[name] = sorted(e.message for e in v.iter_errors(doc))
print(json.dumps(errors))
"#;

/// `docs/export.schema.json` accepts a manifest with every section (and
/// hostile text), and refuses one without a SHA-256 or with a field the
/// format does not have (a link's digest).
#[test]
fn a_manifest_with_every_section_validates_against_the_schema() {
    use printvault_domain::attributes::{Attributes, Place};
    use printvault_domain::export::manifest::*;
    use printvault_domain::ids::{AlbumId, CustomerId, ImageId};
    let at: printvault_domain::when::Timestamp = "2026-12-07T10:00:00Z".parse().unwrap();
    let image = ImageId::generate();
    let album = AlbumId::generate();
    let m = Manifest {
        format: FORMAT.into(),
        export_id: "exp_1".into(),
        customer_id: CustomerId::generate(),
        email: "ann@example.com".into(),
        made_at: at,
        part: 1,
        parts: 2,
        images: vec![ManifestImage {
            image_id: image.clone(),
            part: 1,
            path: "2024/05/猫 <1>.jpg".into(),
            sidecar: "2024/05/猫 <1>.xmp".into(),
            sha256: "ab".repeat(32),
            bytes: 12345,
            format: "jpeg".into(),
            file_name: Some("猫 <1>.JPG\"".into()),
            stored_at: at,
            selected: true,
            class: "printable".into(),
            prices: Some(printvault_domain::classification::Prices {
                l: printvault_domain::money::Yen(150),
                two_l: printvault_domain::money::Yen(400),
            }),
            location_shared: false,
            attributes: Attributes {
                taken_at: Some("2024-05-03T10:00:00".into()),
                place: Some(Place {
                    name: Some("Kyoto".into()),
                    latitude: Some(35.0),
                    longitude: Some(135.7),
                }),
                people: vec!["Ann".into()],
                event: Some("Hanami".into()),
                keywords: vec!["sakura".into()],
                camera: Some("Canon".into()),
            },
        }],
        albums: vec![ManifestAlbum {
            album_id: album.clone(),
            name: "Kyoto".into(),
            kind: "manual".into(),
            created_at: at,
            images: vec![image.clone()],
        }],
        grants: vec![ManifestGrant {
            target: ManifestTarget {
                image_id: Some(image.clone()),
                album_id: None,
            },
            grantee_email: "bob@example.com".into(),
            created_at: at,
        }],
        links: vec![ManifestLink {
            link_id: "lnk_1".into(),
            target: ManifestTarget {
                image_id: None,
                album_id: Some(album),
            },
            created_at: at,
            expires_at: at,
            allow_original: false,
        }],
        groups: vec![ManifestGroup {
            group_id: "grp_1".into(),
            name: "Family".into(),
            owner: true,
            members: vec!["bob@example.com".into()],
        }],
        orders: vec![ManifestOrder {
            order_id: "ord_1".into(),
            status: "dispatched".into(),
            created_at: at,
            location: "tokyo-ginza".into(),
            medium: "photo_paper".into(),
            total: 190,
            points_redeemed: 30,
            amount_due: 160,
            refund_due: 0,
            lines: vec![ManifestLine {
                line: 1,
                image_id: image,
                size: "L".into(),
                copies: 2,
                amount: 190,
                points: 4,
            }],
        }],
        points: vec![ManifestPoints {
            journal_id: "storage:inv_1".into(),
            at,
            amount: 2,
            what: "storage points".into(),
        }],
        invoices: vec![ManifestInvoice {
            invoice_id: "inv_1".into(),
            month: "2026-11".into(),
            status: "paid".into(),
            amount: 60,
            gib_months: "2.000000".into(),
            paid_at: Some(at),
        }],
    };
    let good = serde_json::to_value(&m).unwrap();
    let mut no_sha = good.clone();
    no_sha["images"][0].as_object_mut().unwrap().remove("sha256");
    let mut digest = good.clone();
    digest["links"][0]["digest"] = "secret".into();
    let docs = serde_json::json!({"good": good, "no_sha": no_sha, "digest": digest});
    let schema = local_runner::moto::repo_root().join("docs/export.schema.json");
    let mut child = Command::new(local_runner::moto::default_python())
        .args(["-c", VALIDATE])
        .arg(schema)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(docs.to_string().as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let errors: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(errors["good"], serde_json::json!([]), "{errors}");
    assert_eq!(
        errors["no_sha"],
        serde_json::json!(["'sha256' is a required property"]),
        "{errors}"
    );
    assert_eq!(
        errors["digest"],
        serde_json::json!(["Additional properties are not allowed ('digest' was unexpected)"]),
        "{errors}"
    );
    // The manifest reads back as the type it was written from.
    assert_eq!(
        serde_json::from_value::<Manifest>(serde_json::to_value(&m).unwrap()).unwrap(),
        m
    );
}
