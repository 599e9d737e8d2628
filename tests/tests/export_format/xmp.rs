//! The XMP sidecar, read back by Python's XML parser.

use std::io::Write;
use std::process::Command;

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
