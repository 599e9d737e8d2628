//! M22: printlab against the lab's real queue and the api: each job fetched
//! into the hot folder, checked, reported and deleted, once; a job that
//! comes back keeps its finished files; a job seen again is only deleted.
//! Over HTTPS (issue 18): the downloads and the reports through TLS fronts
//! with a test CA, and a server printlab does not trust refused. A download
//! longer than its job leaves nothing; a job outside the schema writes
//! nothing.

use super::*;
use ::printlab::tls::HttpOptions;
use ::printlab::{Handled, PrintLab};
use integration_tests::tls::{TestCa, TlsFront};
use printvault_domain::order::Slug;
use sha2::{Digest, Sha256};
use std::path::Path;

/// Ann orders two lines at the hot lab's store and pays; returns the order
/// and a printlab for the lab, once print-dispatch has sent the jobs.
async fn dispatched_to_hot_lab(s: &Shop, hot: &Path) -> (String, PrintLab) {
    let key = s.env.lab("hot-lab", &["hot-store"]).await;
    let mine = s.image(&s.ann, 871, "private").await;
    let theirs = s.image(&s.olive, 872, "printable").await;
    let (st, q) = s
        .env
        .quote(&s.ann, &[(&mine, "L", 2), (&theirs, "2L", 1)], "hot-store")
        .await;
    assert_eq!(st, StatusCode::CREATED, "{q}");
    let o = s
        .env
        .order(
            &s.ann,
            Some("hot"),
            &Shop::order_body(q["quote_id"].as_str().unwrap(), 0),
        )
        .await;
    let order = o.body["order_id"].as_str().unwrap().to_owned();
    s.pay(&order, o.body["amount_due"].as_i64().unwrap()).await;
    s.wait_dispatched(&order).await;
    let lab = Slug::parse("hot-lab", "lab").unwrap();
    let queue_url = s
        .env
        .stack
        .api_state
        .stores
        .labs
        .lab(&lab)
        .await
        .unwrap()
        .unwrap()
        .queue_url;
    // The local stack speaks plain HTTP; the HTTPS tests swap in their own.
    let client = PrintLab {
        sqs: s.env.stack.clients.sqs.clone(),
        http: ::printlab::tls::http_client(&HttpOptions {
            insecure_http: true,
            ca_cert: None,
        })
        .unwrap(),
        insecure_http: true,
        queue_url,
        api: s.env.stack.api_url.clone(),
        key,
        hot_folder: hot.to_owned(),
        progress: false,
        extend_every: ::printlab::EXTEND_EVERY,
    };
    (order, client)
}

async fn stages(s: &Shop, order: &str) -> Vec<String> {
    let id = printvault_domain::ids::OrderId::parse(order).unwrap();
    let lines = s.env.stack.api_state.stores.orders.lines(&id).await.unwrap();
    lines.iter().map(|l| l.stage.as_str().to_owned()).collect()
}

#[tokio::test]
async fn printlab_fetches_checks_reports_and_deletes_each_job_once() {
    let s = shop().await;
    let hot = tempfile::tempdir().unwrap();
    let (order, lab) = dispatched_to_hot_lab(&s, hot.path()).await;
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
    assert_eq!(stages(&s, &order).await, ["accepted", "accepted"]);
    for line in ["01", "02"] {
        let dir = hot.path().join(&order).join(line);
        let job: Value =
            serde_json::from_str(&std::fs::read_to_string(dir.join("job.json")).unwrap()).unwrap();
        let asset = &job["assets"][0];
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
        let sheet = std::fs::read_to_string(dir.join("JOB.txt")).unwrap();
        assert!(
            sheet.contains("Ann Example") && sheet.contains(job["sku"].as_str().unwrap()),
            "{sheet}"
        );
        assert!(dir.join("DONE").exists());
    }
    // The lab reports on from there, with the same client.
    lab.report(&order, 1, json!({"stage": "printed"})).await.unwrap();
    assert_eq!(stages(&s, &order).await, ["printed", "accepted"]);
}

#[tokio::test]
async fn a_job_that_comes_back_keeps_its_files_and_a_done_job_is_only_deleted() {
    let s = shop().await;
    let hot = tempfile::tempdir().unwrap();
    let (order, lab) = dispatched_to_hot_lab(&s, hot.path()).await;
    // A printlab that died after fetching line 1's image: the file is in
    // place, nothing was reported, and the message comes back.
    let out = lab
        .sqs
        .receive_message()
        .queue_url(&lab.queue_url)
        .max_number_of_messages(1)
        .send()
        .await
        .unwrap();
    let m = out.messages.unwrap().remove(0);
    let job: printvault_domain::dispatch::LabJob = serde_json::from_str(m.body.as_deref().unwrap()).unwrap();
    let dir = lab.job_dir(&job);
    std::fs::create_dir_all(&dir).unwrap();
    let asset = &job.assets[0];
    let bytes = reqwest::get(&asset.url).await.unwrap().bytes().await.unwrap();
    std::fs::write(
        ::printlab::asset_path(&dir, asset.image_id.as_str(), &asset.format),
        &bytes,
    )
    .unwrap();
    // Its visibility timeout passes.
    lab.sqs
        .change_message_visibility()
        .queue_url(&lab.queue_url)
        .receipt_handle(m.receipt_handle.unwrap())
        .visibility_timeout(0)
        .send()
        .await
        .unwrap();
    let mut kept = 0;
    while let Some(h) = lab.poll_once(1).await.unwrap() {
        if let Handled::Done {
            job_id,
            downloaded,
            kept: k,
        } = h
        {
            if job_id == job.job_id {
                assert_eq!((downloaded, k), (0, 1), "the finished file is kept");
                kept += 1;
            }
        }
    }
    assert_eq!(kept, 1);
    // The same job delivered again (past SQS's five-minute deduplication):
    // recognised as done, deleted, nothing fetched or reported.
    lab.sqs
        .send_message()
        .queue_url(&lab.queue_url)
        .message_body(serde_json::to_string(&job).unwrap())
        .message_group_id(order.as_str())
        .message_deduplication_id("again")
        .send()
        .await
        .unwrap();
    let again = lab.poll_once(1).await.unwrap();
    assert_eq!(
        again,
        Some(Handled::Duplicate {
            job_id: job.job_id.clone()
        })
    );
    assert_eq!(lab.poll_once(1).await.unwrap(), None);
    assert_eq!(stages(&s, &order).await, ["accepted", "accepted"]);
}

/// Serves `bytes` once per connection, slowly: ten pieces 150 ms apart.
async fn slow_server(bytes: Vec<u8>) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((mut conn, _)) = listener.accept().await {
            let bytes = bytes.clone();
            tokio::spawn(async move {
                let mut request = [0u8; 4096];
                let _ = conn.read(&mut request).await;
                let head = format!(
                    "HTTP/1.1 200 OK\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
                    bytes.len()
                );
                conn.write_all(head.as_bytes()).await.unwrap();
                for piece in bytes.chunks(bytes.len().div_ceil(10)) {
                    tokio::time::sleep(std::time::Duration::from_millis(150)).await;
                    conn.write_all(piece).await.unwrap();
                }
            });
        }
    });
    format!("http://{addr}/slow")
}

#[tokio::test]
async fn a_slow_job_keeps_its_message_hidden_while_it_downloads() {
    let s = shop().await;
    let hot = tempfile::tempdir().unwrap();
    let (_, mut lab) = dispatched_to_hot_lab(&s, hot.path()).await;
    // Line 1's job, its image served slowly (1.5 s) from a server of our own.
    let out = lab
        .sqs
        .receive_message()
        .queue_url(&lab.queue_url)
        .max_number_of_messages(10)
        .send()
        .await
        .unwrap();
    let mut jobs = Vec::new();
    for m in out.messages.unwrap_or_default() {
        let job: printvault_domain::dispatch::LabJob =
            serde_json::from_str(m.body.as_deref().unwrap()).unwrap();
        lab.sqs
            .delete_message()
            .queue_url(&lab.queue_url)
            .receipt_handle(m.receipt_handle.unwrap())
            .send()
            .await
            .unwrap();
        jobs.push(job);
    }
    let mut job = jobs.into_iter().find(|j| j.line == 1).expect("line 1's job");
    let bytes = reqwest::get(&job.assets[0].url)
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap()
        .to_vec();
    job.assets[0].url = slow_server(bytes).await;
    lab.sqs
        .send_message()
        .queue_url(&lab.queue_url)
        .message_body(serde_json::to_string(&job).unwrap())
        .message_group_id(job.merchant_reference.as_str())
        .message_deduplication_id("slow")
        .send()
        .await
        .unwrap();
    lab.extend_every = std::time::Duration::from_millis(200);
    let calls = format!("{}/_printvault/calls", s.env.stack.endpoint);
    s.env.http.delete(&calls).send().await.unwrap();
    let handled = lab.poll_once(1).await.unwrap();
    assert!(
        matches!(handled, Some(Handled::Done { downloaded: 1, .. })),
        "{handled:?}"
    );
    let counts: Value = s.env.http.get(&calls).send().await.unwrap().json().await.unwrap();
    let extended = counts["AmazonSQS.ChangeMessageVisibility"].as_u64().unwrap_or(0);
    assert!(
        extended >= 3,
        "the message was kept hidden while the image downloaded: {counts}"
    );
}

/// Every file under `dir`, however deep.
fn files_under(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut files = Vec::new();
    let mut todo = vec![dir.to_owned()];
    while let Some(d) = todo.pop() {
        for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            if e.path().is_dir() {
                todo.push(e.path());
            } else {
                files.push(e.path());
            }
        }
    }
    files
}

/// Serves `bytes` to every request, with their length in `content-length`
/// or, if `announce` is false, none (the body ends when the connection
/// does).
async fn fixed_server(bytes: Vec<u8>, announce: bool) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((mut conn, _)) = listener.accept().await {
            let bytes = bytes.clone();
            tokio::spawn(async move {
                let mut request = [0u8; 4096];
                let _ = conn.read(&mut request).await;
                let length = if announce {
                    format!("content-length: {}\r\n", bytes.len())
                } else {
                    String::new()
                };
                let head = format!("HTTP/1.1 200 OK\r\n{length}connection: close\r\n\r\n");
                // printlab may hang up before the end: that is the point.
                let _ = conn.write_all(head.as_bytes()).await;
                let _ = conn.write_all(&bytes).await;
                let _ = conn.shutdown().await;
            });
        }
    });
    format!("http://{addr}/image")
}

/// Takes every job off `lab`'s queue; returns them.
async fn take_jobs(lab: &PrintLab) -> Vec<printvault_domain::dispatch::LabJob> {
    let out = lab
        .sqs
        .receive_message()
        .queue_url(&lab.queue_url)
        .max_number_of_messages(10)
        .send()
        .await
        .unwrap();
    let mut jobs = Vec::new();
    for m in out.messages.unwrap_or_default() {
        jobs.push(serde_json::from_str(m.body.as_deref().unwrap()).unwrap());
        lab.sqs
            .delete_message()
            .queue_url(&lab.queue_url)
            .receipt_handle(m.receipt_handle.unwrap())
            .send()
            .await
            .unwrap();
    }
    jobs
}

/// Puts `job` on `lab`'s queue in message group `group`.
async fn put_job(lab: &PrintLab, job: &printvault_domain::dispatch::LabJob, group: &str) {
    lab.sqs
        .send_message()
        .queue_url(&lab.queue_url)
        .message_body(serde_json::to_string(job).unwrap())
        .message_group_id(group)
        .message_deduplication_id(group)
        .send()
        .await
        .unwrap();
}

/// How many of `lab`'s jobs are taken and not yet deleted.
async fn in_flight(lab: &PrintLab) -> String {
    let a = lab
        .sqs
        .get_queue_attributes()
        .queue_url(&lab.queue_url)
        .attribute_names(aws_sdk_sqs::types::QueueAttributeName::ApproximateNumberOfMessagesNotVisible)
        .send()
        .await
        .unwrap();
    a.attributes
        .and_then(|a| {
            a.get(&aws_sdk_sqs::types::QueueAttributeName::ApproximateNumberOfMessagesNotVisible)
                .cloned()
        })
        .unwrap_or_default()
}

#[tokio::test]
async fn a_download_longer_than_its_job_leaves_no_part_file_and_the_job_stays() {
    let s = shop().await;
    let hot = tempfile::tempdir().unwrap();
    let (order, lab) = dispatched_to_hot_lab(&s, hot.path()).await;
    let jobs = take_jobs(&lab).await;
    let before = stages(&s, &order).await;
    let job = jobs.into_iter().find(|j| j.line == 1).expect("line 1's job");
    let mut longer = reqwest::get(&job.assets[0].url)
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap()
        .to_vec();
    longer.extend_from_slice(b"and then some more bytes than the job says");
    // A server that says how long the file is, and one that does not (the
    // excess shows only as it arrives).
    for (announce, says) in [(true, "the server sends"), (false, "longer than the job says")] {
        let mut j = job.clone();
        j.assets[0].url = fixed_server(longer.clone(), announce).await;
        put_job(&lab, &j, &format!("long-{announce}")).await;
        let e = format!("{:#}", lab.poll_once(1).await.unwrap_err());
        assert_eq!(
            files_under(hot.path()),
            Vec::<std::path::PathBuf>::new(),
            "no .part file, no image, no DONE ({e})"
        );
        assert!(
            e.contains(says) && e.contains(j.assets[0].image_id.as_str()),
            "{e}"
        );
        assert_eq!(
            in_flight(&lab).await,
            if announce { "1" } else { "2" },
            "the job is not deleted: it comes back, and after the queue's receive limit goes to the DLQ"
        );
    }
    assert_eq!(stages(&s, &order).await, before, "nothing was reported");
}

#[tokio::test]
async fn a_job_with_a_format_outside_the_schema_is_refused_and_writes_nothing() {
    let s = shop().await;
    let hot = tempfile::tempdir().unwrap();
    let (order, lab) = dispatched_to_hot_lab(&s, hot.path()).await;
    let jobs = take_jobs(&lab).await;
    let before = stages(&s, &order).await;
    let mut job = jobs.into_iter().find(|j| j.line == 1).expect("line 1's job");
    job.assets[0].format = "jpeg/../../../escaped".into();
    put_job(&lab, &job, "bad-format").await;
    let e = format!("{:#}", lab.poll_once(1).await.unwrap_err());
    assert!(
        e.contains("format")
            && e.contains("jpeg/../../../escaped")
            && e.contains("docs/lab-job.schema.json")
            && e.contains("jpeg, png, webp"),
        "{e}"
    );
    assert_eq!(
        std::fs::read_dir(hot.path()).unwrap().count(),
        0,
        "nothing is written, not even the job's folder"
    );
    assert_eq!(stages(&s, &order).await, before, "nothing was reported");
    assert_eq!(in_flight(&lab).await, "1", "the job is not deleted");
}

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
