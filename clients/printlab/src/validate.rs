//! A job is checked against `docs/lab-job.schema.json` before anything is
//! written: its fields name files in the hot folder (`<image>.<format>`)
//! and say what the downloads must be, so a job outside the schema could
//! write elsewhere or under a name the lab's software misreads.

use anyhow::{bail, ensure};
use printvault_domain::dispatch::{LabJob, JOB_VERSION};

/// The image formats the schema allows (`assets[].format`), which are also
/// the files' extensions.
pub const FORMATS: [&str; 3] = ["jpeg", "png", "webp"];

/// The highest line number the schema allows.
const MAX_LINE: u32 = 40;

/// Checks what printlab relies on: the version, the job ID, the line, and
/// each asset's format, length, SHA-256 and URL (`https://`, or `http://`
/// with `insecure_http`). The error names the job, the field and what the
/// schema allows.
pub fn validate(job: &LabJob, insecure_http: bool) -> anyhow::Result<()> {
    let id = &job.job_id;
    ensure!(
        job.version == JOB_VERSION,
        "job {id:?} is version {}; this printlab reads version {JOB_VERSION}",
        job.version
    );
    ensure!(
        (1..=MAX_LINE).contains(&job.line),
        "job {id:?}: line {} is outside 1..={MAX_LINE} (docs/lab-job.schema.json)",
        job.line
    );
    let expected = printvault_domain::dispatch::job_id(&job.merchant_reference, job.line);
    ensure!(
        *id == expected,
        "job {id:?}: its ID must be <merchant_reference>:<line>, {expected:?} (docs/lab-job.schema.json)"
    );
    ensure!(!job.assets.is_empty(), "job {id}: no assets");
    for a in &job.assets {
        let image = &a.image_id;
        if !FORMATS.contains(&a.format.as_str()) {
            bail!(
                "job {id}: image {image} has format {:?}; docs/lab-job.schema.json allows {}",
                a.format,
                FORMATS.join(", ")
            );
        }
        ensure!(a.bytes >= 1, "job {id}: image {image} is 0 bytes long");
        ensure!(
            printvault_domain::lab_report::disc::is_sha256(&a.sha256),
            "job {id}: image {image}'s sha256 {:?} is not 64 lowercase hex digits",
            a.sha256
        );
        check_url(id, &format!("image {image}"), &a.url, insecure_http)?;
    }
    Ok(())
}

/// `url` is `https://`, or `http://` with `insecure_http`; the error names
/// job `id` and `what` the URL fetches.
pub(crate) fn check_url(id: &str, what: &str, url: &str, insecure_http: bool) -> anyhow::Result<()> {
    match reqwest::Url::parse(url).as_ref().map(|u| u.scheme()) {
        Ok("https") => Ok(()),
        Ok("http") if insecure_http => Ok(()),
        Ok("http") => bail!(
            "job {id}: {what}'s URL is plain HTTP; printlab downloads over HTTPS only \
             (--insecure-http allows HTTP, for a local stack)"
        ),
        Ok(other) => bail!("job {id}: {what}'s URL is {other}://, not https://"),
        Err(e) => bail!("job {id}: {what}'s URL is not a URL ({e})"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{json, Value};

    fn job() -> Value {
        json!({
            "version": 1,
            "job_id": "ord_01JDQ3V6ZK8R2M4N5P6Q7R8S9T:2",
            "merchant_reference": "ord_01JDQ3V6ZK8R2M4N5P6Q7R8S9T",
            "line": 2,
            "lab_id": "hot-lab",
            "location": "hot-store",
            "sku": "L-photo_paper",
            "medium": "photo_paper",
            "copies": 1,
            "sizing": {"size": "L", "width_mm": 89, "height_mm": 127, "fit": "fill"},
            "assets": [{
                "image_id": "img_01JDQ3V6ZK8R2M4N5P6Q7R8S9T",
                "url": "https://photos.s3.amazonaws.com/o/img?X-Amz-Signature=0",
                "url_expires_at": "2026-12-07T00:00:00Z",
                "bytes": 10,
                "sha256": "0".repeat(64),
                "format": "jpeg"
            }],
            "recipient": {"name": "Ann", "postal_code": "150-0002", "region": "Tokyo",
                          "locality": "Shibuya", "street": "1-1", "country": "JP"},
            "packaging": "print_envelope",
            "created_at": "2026-12-06T00:00:00Z"
        })
    }

    fn check(v: Value, insecure_http: bool) -> anyhow::Result<()> {
        let job: LabJob = serde_json::from_value(v).unwrap();
        validate(&job, insecure_http)
    }

    #[test]
    fn a_job_as_print_dispatch_makes_it_passes() {
        check(job(), false).unwrap();
        for f in FORMATS {
            let mut j = job();
            j["assets"][0]["format"] = json!(f);
            check(j, false).unwrap();
        }
    }

    #[test]
    fn a_format_outside_the_schema_is_refused_by_name() {
        for bad in [
            "",
            "JPEG",
            "jpg",
            "gif",
            "exe",
            "jpeg/../../x",
            "../../../etc/cron.d/x",
            "png\n",
        ] {
            let mut j = job();
            j["assets"][0]["format"] = json!(bad);
            let e = format!("{:#}", check(j, false).unwrap_err());
            assert!(
                e.contains("format")
                    && e.contains("jpeg, png, webp")
                    && e.contains("img_01JDQ3V6ZK8R2M4N5P6Q7R8S9T"),
                "{bad:?}: {e}"
            );
        }
    }

    #[test]
    fn the_formats_are_the_schemas() {
        let schema: Value = serde_json::from_str(include_str!("../../../docs/lab-job.schema.json")).unwrap();
        let print = &schema["$defs"]["print_job"]["properties"]["assets"]["items"]["properties"];
        assert_eq!(print["format"]["enum"], json!(FORMATS));
        let disc = &schema["$defs"]["disc_manifest"]["properties"]["files"]["items"]["properties"];
        assert_eq!(disc["format"]["enum"], json!(FORMATS));
    }

    #[test]
    fn other_fields_printlab_relies_on_are_checked() {
        let cases: [(&str, Value, &str); 7] = [
            ("/line", json!(41), "line 41"),
            (
                "/job_id",
                json!("ord_01JDQ3V6ZK8R2M4N5P6Q7R8S9T:3"),
                "<merchant_reference>:<line>",
            ),
            ("/assets/0/bytes", json!(0), "0 bytes"),
            ("/assets/0/sha256", json!("ABC"), "64 lowercase hex"),
            ("/assets/0/url", json!("http://photos/x"), "plain HTTP"),
            ("/assets/0/url", json!("file:///etc/passwd"), "file://"),
            ("/assets/0/url", json!("not a url"), "not a URL"),
        ];
        for (field, value, says) in cases {
            let mut j = job();
            *j.pointer_mut(field).unwrap() = value;
            let e = format!("{:#}", check(j, false).unwrap_err());
            assert!(e.contains(says), "{field}: {e}");
        }
        let mut j = job();
        j["assets"] = json!([]);
        assert!(check(j, false).is_err());
        let mut j = job();
        j["version"] = json!(2);
        assert!(check(j, false).is_err());
        let mut j = job();
        j["assets"][0]["url"] = json!("http://127.0.0.1:5000/photos/x");
        check(j, true).expect("--insecure-http allows HTTP image URLs");
    }
}
