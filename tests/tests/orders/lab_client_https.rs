//! printlab over HTTPS (issue 18): the downloads and the reports through
//! TLS fronts with a test CA it is given, and servers whose certificate it
//! does not trust refused, downloads and reports alike.

use super::lab_client::{dispatched_to_hot_lab, files_under, stages};
use super::*;
use ::printlab::tls::HttpOptions;
use ::printlab::{Handled, PrintLab};
use integration_tests::tls::{TestCa, TlsFront};
use sha2::{Digest, Sha256};
use std::path::Path;

/// A shop whose lab jobs name a TLS front before moto (print-dispatch
/// presigns with it), and a TLS front before its api; both fronts have
/// certificates of `ca`. Returns the shop, the S3 front and the api front.
async fn shop_behind_tls(ca: &TestCa) -> (Shop, TlsFront, TlsFront) {
    let s3 = TlsFront::start(ca, &integration_tests::serialised_moto_endpoint()).await;
    let s = shop_with(|o| o.lab_download_endpoint = Some(s3.url.clone())).await;
    let api = TlsFront::start(ca, &s.env.stack.api_url).await;
    (s, s3, api)
}

/// `lab` as the `printlab` binary makes it: HTTPS only, trusting the
/// platform's roots and `ca_cert`, reporting to `api`.
fn over_https(lab: &mut PrintLab, ca_cert: &Path, api: &str) {
    lab.http = ::printlab::tls::http_client(&HttpOptions {
        insecure_http: false,
        ca_cert: Some(ca_cert.to_owned()),
    })
    .unwrap();
    lab.insecure_http = false;
    lab.api = ::printlab::tls::check_api(api, false).unwrap();
}

#[tokio::test]
async fn printlab_fetches_and_reports_over_https_trusting_a_ca_it_is_given() {
    let ca = TestCa::new("printvault test CA");
    let (s, s3, api) = shop_behind_tls(&ca).await;
    let hot = tempfile::tempdir().unwrap();
    let certs = tempfile::tempdir().unwrap();
    let (order, mut lab) = dispatched_to_hot_lab(&s, hot.path()).await;
    over_https(&mut lab, &ca.write_pem(certs.path(), "ca.pem"), &api.url);
    for _ in 0..2 {
        let handled = lab.poll_once(1).await.unwrap();
        assert!(
            matches!(
                handled,
                Some(Handled::Done {
                    downloaded: 1,
                    kept: 0,
                    ..
                })
            ),
            "{handled:?}"
        );
    }
    assert_eq!(lab.poll_once(1).await.unwrap(), None, "both jobs are deleted");
    // Reported `accepted` through the api's TLS front.
    assert_eq!(stages(&s, &order).await, ["accepted", "accepted"]);
    for line in ["01", "02"] {
        let dir = hot.path().join(&order).join(line);
        let job: Value =
            serde_json::from_str(&std::fs::read_to_string(dir.join("job.json")).unwrap()).unwrap();
        let asset = &job["assets"][0];
        let url = asset["url"].as_str().unwrap();
        assert!(
            url.starts_with(&format!("{}/", s3.url)),
            "the job's image URL is the S3 front's: {url}"
        );
        let file = dir.join(format!(
            "{}.{}",
            asset["image_id"].as_str().unwrap(),
            asset["format"].as_str().unwrap()
        ));
        let bytes = std::fs::read(&file).unwrap();
        assert_eq!(
            hex::encode(Sha256::digest(&bytes)),
            asset["sha256"].as_str().unwrap()
        );
        assert!(dir.join("DONE").exists());
    }
    lab.report(&order, 1, json!({"stage": "printed"})).await.unwrap();
    assert_eq!(stages(&s, &order).await, ["printed", "accepted"]);
    assert!(
        s3.handshakes() >= 1 && api.handshakes() >= 1,
        "the downloads ({}) and the reports ({}) went over TLS",
        s3.handshakes(),
        api.handshakes()
    );
}

#[tokio::test]
async fn printlab_refuses_servers_whose_certificate_it_does_not_trust() {
    // The fronts' certificates come from a CA printlab is not given.
    let given = TestCa::new("the CA printlab is given");
    let unknown = TestCa::new("a CA printlab does not know");
    let (s, s3, api) = shop_behind_tls(&unknown).await;
    let hot = tempfile::tempdir().unwrap();
    let certs = tempfile::tempdir().unwrap();
    let (order, mut lab) = dispatched_to_hot_lab(&s, hot.path()).await;
    over_https(&mut lab, &given.write_pem(certs.path(), "ca.pem"), &api.url);
    let before = stages(&s, &order).await;
    // The download is refused: no file, no report, no fallback to HTTP.
    let e = format!("{:#}", lab.poll_once(1).await.unwrap_err());
    assert!(e.contains("certificate"), "{e}");
    assert_eq!(files_under(hot.path()), Vec::<std::path::PathBuf>::new());
    // So is a report.
    let e = format!(
        "{:#}",
        lab.report(&order, 1, json!({"stage": "accepted"}))
            .await
            .unwrap_err()
    );
    assert!(e.contains("certificate"), "{e}");
    assert_eq!(stages(&s, &order).await, before, "nothing was reported");
    assert_eq!(
        (s3.handshakes(), api.handshakes()),
        (0, 0),
        "no TLS session was ever completed"
    );
}
