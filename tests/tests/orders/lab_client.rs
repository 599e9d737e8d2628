//! M22: printlab against the lab's real queue and the api: each job fetched
//! into the hot folder, checked, reported and deleted, once; a job that
//! comes back keeps its finished files; a job seen again is only deleted.
//! The HTTPS tests are in `lab_client_https`, the jobs printlab refuses in
//! `lab_client_refusals`.

use super::*;
use ::printlab::tls::HttpOptions;
use ::printlab::{Handled, PrintLab};
use sha2::{Digest, Sha256};
use std::path::Path;

/// Ann orders two lines at the hot lab's store and pays; returns the order
/// and a printlab for the lab, once print-dispatch has sent the jobs.
pub(super) async fn dispatched_to_hot_lab(s: &Shop, hot: &Path) -> (String, PrintLab) {
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
    let queue_url = s.queue_of("hot-lab").await;
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
        burn_command: None,
    };
    (order, client)
}

pub(super) async fn stages(s: &Shop, order: &str) -> Vec<String> {
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
pub(super) fn files_under(dir: &Path) -> Vec<std::path::PathBuf> {
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
