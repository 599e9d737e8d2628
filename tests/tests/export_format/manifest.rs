//! `manifest.json` against `docs/export.schema.json`.

use std::io::Write;
use std::process::Command;

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
