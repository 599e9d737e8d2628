//! The disc job's checks, and the sidecars and page printlab writes.

use super::check;
use super::files::{esc, index_html, sidecar, MAX_SIDECAR_BYTES};
use printvault_domain::dispatch::disc::{DiscJob, DiscManifest};
use serde_json::{json, Value};

const SHA: &str = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
const ORDER: &str = "ord_01JDQ3V6ZK8R2M4N5P6Q7R8S9T";

fn fetch(url: &str, bytes: u64) -> Value {
    json!({"url": url, "url_expires_at": "2026-12-07T06:00:00Z", "bytes": bytes, "sha256": SHA})
}

fn job() -> Value {
    json!({
        "version": 1, "kind": "disc", "job_id": format!("{ORDER}:disc"), "merchant_reference": ORDER,
        "lab_id": "disc-lab", "location": "tokyo-shibuya", "sku": "disc-cd", "medium": "cd",
        "disc": {"disc_id": ORDER, "volume_id": "PV_01JDQ3V6ZK8R2M4N5P6Q7R8S9T",
                 "capacity_bytes": 737_280_000u64, "files": 2, "bytes": 30},
        "manifest": fetch("https://photos.s3.amazonaws.com/discs/m.json", 100),
        "recipient": {"name": "Ann <Sato> & co", "postal_code": "150-0002", "region": "Tokyo",
                      "locality": "Shibuya", "street": "1-1", "country": "JP"},
        "packaging": "disc_case", "created_at": "2026-12-07T00:00:00Z"
    })
}

fn file(path: &str, bytes: u64) -> Value {
    let mut f = fetch("https://photos.s3.amazonaws.com/originals/x", bytes);
    f["image_id"] = json!("img_01JDQ3V6ZK8R2M4N5P6Q7R8S9T");
    f["path"] = json!(path);
    f["format"] = json!("jpeg");
    f["stored_at"] = json!("2020-05-01T10:00:00Z");
    f["attributes"] = json!({"taken_at": "2020-05-01T10:00:00", "people": ["Ann"], "keywords": ["富士山"],
                             "place": {"name": "Mt. Fuji", "latitude": 35.3606, "longitude": -138.7274},
                             "event": "Summer <trip>", "camera": "Canon \"EOS\""});
    f
}

fn manifest() -> Value {
    json!({
        "version": 1, "job_id": format!("{ORDER}:disc"), "disc_id": ORDER,
        "files": [file("photos/2020-05/IMG_0001.jpg", 10), file("photos/2020-05/富士山の朝.jpg", 20)],
        "sheet": {"pdf": fetch("https://s3/sheet.pdf", 5), "pages": [fetch("https://s3/p1.png", 5)]},
        "label": fetch("https://s3/label.png", 5)
    })
}

fn parse(job: Value, m: Value) -> (DiscJob, DiscManifest) {
    (
        serde_json::from_value(job).unwrap(),
        serde_json::from_value(m).unwrap(),
    )
}

#[test]
fn a_disc_job_as_print_dispatch_makes_it_passes() {
    let (j, m) = parse(job(), manifest());
    check::job(&j, false).unwrap();
    check::manifest(&m, &j, false).unwrap();
}

#[test]
fn paths_and_fields_printlab_relies_on_are_checked() {
    let cases: [(&str, Value, &str); 9] = [
        (
            "/files/0/path",
            json!("../../etc/cron.d/x.jpg"),
            "photos/<month>/<name>",
        ),
        (
            "/files/0/path",
            json!("photos/2020-05/../x.jpg"),
            "photos/<month>/<name>",
        ),
        (
            "/files/0/path",
            json!("/photos/2020-05/x.jpg"),
            "photos/<month>/<name>",
        ),
        (
            "/files/0/path",
            json!("photos/2020-05/a:b.jpg"),
            "photos/<month>/<name>",
        ),
        (
            "/files/0/path",
            json!(format!("photos/2020-05/{}.jpg", "x".repeat(70))),
            "UTF-16",
        ),
        ("/files/1/path", json!("photos/2020-05/img_0001.JPG"), "twice"),
        ("/files/0/sha256", json!("ABC"), "64 lowercase hex"),
        ("/files/0/url", json!("http://photos/x"), "plain HTTP"),
        ("/label/url", json!("file:///etc/passwd"), "file://"),
    ];
    for (field, value, says) in cases {
        let mut m = manifest();
        *m.pointer_mut(field).unwrap() = value;
        let (j, m) = parse(job(), m);
        let e = format!("{:#}", check::manifest(&m, &j, false).unwrap_err());
        assert!(e.contains(says), "{field}: {e}");
    }
    let mut m = manifest();
    m["files"][0]["bytes"] = json!(11);
    let (j, m) = parse(job(), m);
    assert!(check::manifest(&m, &j, false)
        .unwrap_err()
        .to_string()
        .contains("the job says"));
    for (field, value, says) in [
        (
            "/job_id",
            json!(format!("{ORDER}:1")),
            "<merchant_reference>:disc",
        ),
        ("/disc/volume_id", json!("pv-lower"), "d-characters"),
        ("/disc/files", json!(0), "1 to 1000"),
        ("/disc/bytes", json!(737_280_001u64), "do not fit"),
        ("/manifest/url", json!("http://s3/m.json"), "plain HTTP"),
    ] {
        let mut j = job();
        *j.pointer_mut(field).unwrap() = value;
        let (j, _) = parse(j, manifest());
        let e = format!("{:#}", check::job(&j, false).unwrap_err());
        assert!(e.contains(says), "{field}: {e}");
    }
    let mut j = job();
    j["manifest"]["url"] = json!("http://127.0.0.1:5000/m.json");
    let (j, _) = parse(j, manifest());
    check::job(&j, true).expect("--insecure-http allows HTTP");
}

#[test]
fn a_sidecar_holds_the_attributes_escaped_and_fits_its_budget() {
    let (_, m) = parse(job(), manifest());
    let xmp = sidecar(&m.files[0]);
    for has in [
        "exif:DateTimeOriginal=\"2020-05-01T10:00:00\"",
        "exif:GPSLatitude=\"35,21.636000N\"",
        "exif:GPSLongitude=\"138,43.644000W\"",
        "tiff:Model=\"Canon &quot;EOS&quot;\"",
        "Iptc4xmpExt:Event=\"Summer &lt;trip&gt;\"",
        "<rdf:li>Ann</rdf:li>",
        "<rdf:li>富士山</rdf:li>",
        "Mt. Fuji",
        "printvault:ImageId=\"img_01JDQ3V6ZK8R2M4N5P6Q7R8S9T\"",
    ] {
        assert!(xmp.contains(has), "{has}\n{xmp}");
    }
    let mut big = m.files[0].clone();
    big.attributes.keywords = (0..50).map(|i| format!("{i}{}", "k".repeat(98))).collect();
    big.attributes.people = (0..50).map(|i| format!("{i}{}", "p".repeat(98))).collect();
    let xmp = sidecar(&big);
    assert!(xmp.len() <= MAX_SIDECAR_BYTES, "{}", xmp.len());
    assert!(xmp.contains("<rdf:li>0kkk") && xmp.ends_with("<?xpacket end=\"r\"?>\n"));
}

#[test]
fn index_html_lists_every_photo_with_links_that_work_and_text_escaped() {
    let (j, m) = parse(job(), manifest());
    let html = index_html(&j, &m.files, 1);
    assert!(html.contains("2 photos for Ann &lt;Sato&gt; &amp; co"), "{html}");
    assert!(html.contains("href=\"photos/2020-05/IMG_0001.jpg\""), "{html}");
    assert!(
        html.contains("photos/2020-05/%E5%AF%8C"),
        "a Japanese name, percent-encoded: {html}"
    );
    assert!(html.contains(">富士山の朝.jpg<"), "{html}");
    assert!(html.contains("index-sheet/page-01.png") && html.contains("index-sheet.pdf"));
    assert_eq!(esc("a\u{7}b"), "a b");
}
