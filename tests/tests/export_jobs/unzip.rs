//! Every part of an export, opened with Python's `zipfile` (a reader
//! nobody here wrote): each original's SHA-256 and size against the
//! manifest, each XMP sidecar through Python's XML parser, and the
//! manifests of all parts.

use serde_json::Value;
use std::io::Write;
use std::process::Command;

const READ: &str = r#"
import hashlib, json, sys, zipfile
import xml.etree.ElementTree as ET
ns = {"x": "adobe:ns:meta/", "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
      "dc": "http://purl.org/dc/elements/1.1/", "exif": "http://ns.adobe.com/exif/1.0/",
      "digiKam": "http://www.digikam.org/ns/1.0/", "pv": "https://printvault.example/ns/xmp/1.0/"}
def facts(text):
    root = ET.fromstring(text.split("?>", 1)[1].rsplit("<?xpacket", 1)[0])
    d = root.find("rdf:RDF/rdf:Description", ns)
    attr = lambda p, n: d.get("{%s}%s" % (ns[p], n))
    items = lambda path: [li.text for li in d.findall(path + "/rdf:li", ns)]
    return {"description": items("dc:description/rdf:Alt"), "subject": items("dc:subject/rdf:Bag"),
            "taken": attr("exif", "DateTimeOriginal"), "lat": attr("exif", "GPSLatitude"),
            "lon": attr("exif", "GPSLongitude"), "tags": items("digiKam:TagsList/rdf:Seq"),
            "class": attr("pv", "Class"), "price_l": attr("pv", "PriceL"), "id": attr("pv", "ImageId")}
out = {"manifests": [], "images": {}, "names": []}
for path in sys.argv[1:]:
    with zipfile.ZipFile(path) as z:
        assert z.testzip() is None, path
        names = [i.filename for i in z.infolist()]
        assert names[-1] == "manifest.json", names
        for i in z.infolist():
            assert i.compress_type == zipfile.ZIP_STORED, i.filename
        m = json.loads(z.read("manifest.json"))
        out["manifests"].append(m)
        out["names"].append(names)
        for img in m["images"]:
            if img["part"] != m["part"]:
                assert img["path"] not in names, img["path"]
                continue
            data = z.read(img["path"])
            assert hashlib.sha256(data).hexdigest() == img["sha256"], img["path"]
            assert len(data) == img["bytes"], img["path"]
            assert img["image_id"] not in out["images"], "an image in two parts"
            out["images"][img["image_id"]] = facts(z.read(img["sidecar"]).decode("utf-8"))
print(json.dumps(out))
"#;

/// What the parts hold: `manifests` (one per part, in order), `images`
/// (each image's sidecar facts, by ID) and `names` (each part's entries).
pub fn read_parts(parts: &[Vec<u8>]) -> Value {
    let files: Vec<tempfile::NamedTempFile> = parts
        .iter()
        .map(|bytes| {
            let mut f = tempfile::NamedTempFile::new().expect("a temporary file");
            f.write_all(bytes).expect("writing a part");
            f
        })
        .collect();
    let out = Command::new(local_runner::moto::default_python())
        .args(["-c", READ])
        .args(files.iter().map(|f| f.path()))
        .output()
        .expect("python runs");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).expect("python's answer is JSON")
}
