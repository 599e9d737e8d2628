//! Jobs printlab refuses (issue 18): a download longer than its job leaves
//! nothing behind, and a job outside `docs/lab-job.schema.json` writes
//! nothing. Neither is reported or deleted.

use super::lab_client::{dispatched_to_hot_lab, files_under, stages};
use super::*;
use ::printlab::PrintLab;

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
