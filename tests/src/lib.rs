//! Test harness: one moto server per test binary (started on first use, on a
//! free port, gone when the binary exits) and, per test, a whole printvault
//! stack with uniquely named resources, so tests never share state.

use anyhow::{bail, Context};
use local_runner::moto::{default_python, MotoServer};
use local_runner::provision::QueueSettings;
use local_runner::{Stack, StackOptions};
use rand::Rng;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

pub use printvault_imaging::testkit;

static MOTO: OnceLock<MotoServer> = OnceLock::new();

/// The endpoint of this binary's moto server.
pub fn moto_endpoint() -> String {
    MOTO.get_or_init(|| MotoServer::start(&default_python()).expect("moto must start (run `make venv`)"))
        .endpoint
        .clone()
}

pub const OPERATOR_KEY: &str = "test-operator-key-0123456789abcdef0123";

/// A running stack and an HTTP client for its api.
pub struct TestEnv {
    pub stack: Stack,
    pub http: reqwest::Client,
}

/// A unique stage name such as `t3fa9c01b`.
pub fn unique_stage() -> String {
    format!("t{:08x}", rand::thread_rng().gen::<u32>())
}

impl TestEnv {
    /// A stack whose upload-finalise polls in the background.
    pub async fn start() -> Self {
        Self::with(|_| {}).await
    }

    /// A stack adjusted by `f` before it starts.
    pub async fn with(f: impl FnOnce(&mut StackOptions)) -> Self {
        let mut opts = StackOptions::new(moto_endpoint(), unique_stage());
        opts.operator_key = OPERATOR_KEY.into();
        // Retries within a second, so failure paths finish quickly.
        opts.queues = QueueSettings {
            visibility_timeout_secs: 1,
            max_receive_count: 3,
        };
        opts.image_events_queue = QueueSettings {
            visibility_timeout_secs: 1,
            max_receive_count: 3,
        };
        f(&mut opts);
        let stack = Stack::start(opts).await.expect("stack starts");
        Self {
            stack,
            http: reqwest::Client::new(),
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.stack.api_url, path)
    }

    /// Calls the api; returns the status and the JSON body (`null` if none).
    pub async fn call(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> (StatusCode, Value) {
        let mut req = self.http.request(method, self.url(path));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        if let Some(b) = body {
            req = req.json(&b);
        }
        let res = req.send().await.expect("api answers");
        let status = res.status();
        let text = res.text().await.expect("body");
        let json = if text.is_empty() {
            Value::Null
        } else {
            serde_json::from_str(&text).unwrap_or_else(|_| panic!("non-JSON body {text:?}"))
        };
        (status, json)
    }

    /// Registers and logs in a new customer; returns the token.
    pub async fn customer(&self) -> String {
        let email = format!("{}@example.com", unique_stage());
        let creds = json!({"email": email, "password": "correct horse battery"});
        let (s, b) = self
            .call(Method::POST, "/v1/accounts", None, Some(creds.clone()))
            .await;
        assert_eq!(s, StatusCode::CREATED, "{b}");
        let (s, b) = self.call(Method::POST, "/v1/sessions", None, Some(creds)).await;
        assert_eq!(s, StatusCode::CREATED, "{b}");
        b["token"].as_str().expect("token").to_owned()
    }

    /// Asks for an upload URL and PUTs `bytes` to it, as a client would.
    /// Returns the image ID.
    pub async fn upload(&self, token: &str, bytes: &[u8], content_type: &str) -> String {
        let (s, b) = self
            .call(
                Method::POST,
                "/v1/uploads",
                Some(token),
                Some(json!({"file_name": "photo", "content_type": content_type, "content_length": bytes.len()})),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{b}");
        self.put_presigned(&b["upload"], bytes).await;
        b["image_id"].as_str().expect("image_id").to_owned()
    }

    /// A real HTTP PUT to a presigned URL with the headers it was signed for.
    pub async fn put_presigned(&self, upload: &Value, bytes: &[u8]) {
        let mut req = self.http.put(upload["url"].as_str().expect("url"));
        for (k, v) in upload["headers"].as_object().expect("headers") {
            if k != "content-length" {
                req = req.header(k, v.as_str().expect("header value"));
            }
        }
        let res = req.body(bytes.to_vec()).send().await.expect("PUT reaches S3");
        assert!(res.status().is_success(), "PUT failed: {}", res.status());
    }

    /// Polls the image until its status is not `pending`, and returns it.
    pub async fn settled(&self, token: &str, image_id: &str) -> Value {
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let (s, b) = self
                .call(Method::GET, &format!("/v1/images/{image_id}"), Some(token), None)
                .await;
            assert_eq!(s, StatusCode::OK, "{b}");
            if b["status"] != "pending" {
                return b;
            }
            assert!(
                Instant::now() < deadline,
                "image {image_id} still pending after 60 s"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Every key in the photos bucket under `prefix`.
    pub async fn keys(&self, prefix: &str) -> Vec<String> {
        let out = self
            .stack
            .clients
            .s3
            .list_objects_v2()
            .bucket(&self.stack.resources.names.photos_bucket)
            .prefix(prefix)
            .send()
            .await
            .expect("list objects");
        out.contents()
            .iter()
            .filter_map(|o| o.key().map(str::to_owned))
            .collect()
    }

    /// Every key in the bucket that belongs to `image_id`.
    pub async fn keys_of(&self, image_id: &str) -> Vec<String> {
        let mut k: Vec<String> = self
            .keys("")
            .await
            .into_iter()
            .filter(|k| k.contains(image_id))
            .collect();
        k.sort();
        k
    }

    /// The image's keys once finalising has finished with them. The record
    /// settles before the incoming object is deleted (so a crash between
    /// the two is replayed), so a caller that has just seen the status
    /// change waits here for the delete to land.
    pub async fn settled_keys_of(&self, image_id: &str) -> Vec<String> {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let keys = self.keys_of(image_id).await;
            if !keys.iter().any(|k| k.starts_with("incoming/")) || Instant::now() > deadline {
                return keys;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Number of messages waiting in a queue (visible and in flight).
    pub async fn queue_depth(&self, url: &str) -> anyhow::Result<u64> {
        use aws_sdk_sqs::types::QueueAttributeName as A;
        let out = self
            .stack
            .clients
            .sqs
            .get_queue_attributes()
            .queue_url(url)
            .attribute_names(A::ApproximateNumberOfMessages)
            .attribute_names(A::ApproximateNumberOfMessagesNotVisible)
            .send()
            .await?;
        let a = out.attributes.context("no attributes")?;
        let n = |k: &A| a.get(k).and_then(|v| v.parse::<u64>().ok()).unwrap_or(0);
        Ok(n(&A::ApproximateNumberOfMessages) + n(&A::ApproximateNumberOfMessagesNotVisible))
    }

    /// Receives (and deletes) everything in a queue; returns the bodies.
    pub async fn drain(&self, url: &str) -> Vec<String> {
        let mut bodies = Vec::new();
        loop {
            let out = self
                .stack
                .clients
                .sqs
                .receive_message()
                .queue_url(url)
                .max_number_of_messages(10)
                .wait_time_seconds(1)
                .send()
                .await
                .expect("receive");
            let msgs = out.messages.unwrap_or_default();
            if msgs.is_empty() {
                return bodies;
            }
            for m in msgs {
                bodies.push(m.body.clone().unwrap_or_default());
                self.stack
                    .clients
                    .sqs
                    .delete_message()
                    .queue_url(url)
                    .receipt_handle(m.receipt_handle.unwrap_or_default())
                    .send()
                    .await
                    .expect("delete");
            }
        }
    }
}

/// Retries `check` until it returns true or `secs` pass.
pub async fn eventually<F, Fut>(secs: u64, what: &str, mut check: F) -> anyhow::Result<()>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let deadline = Instant::now() + Duration::from_secs(secs);
    while Instant::now() < deadline {
        if check().await {
            return Ok(());
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    bail!("timed out after {secs} s waiting for {what}")
}

/// A ready image record of `owner` with `attributes`, for loading the search
/// index directly (benchmarks, paging tests). Printable ones cost 100 and 300 yen.
pub fn ready_image_record(
    owner: &printvault_domain::ids::CustomerId,
    class: printvault_domain::access::Class,
    attributes: printvault_domain::image::Attributes,
) -> printvault_domain::image::Image {
    use printvault_domain::access::Class;
    use printvault_domain::classification::Prices;
    use printvault_domain::image::{Finalised, Image, ImageStatus};
    use printvault_domain::money::Yen;
    Image {
        id: printvault_domain::ids::ImageId::generate(),
        owner: owner.clone(),
        status: ImageStatus::Ready,
        file_name: None,
        declared_type: "image/jpeg".into(),
        declared_bytes: 1,
        created_at: "2026-01-01T00:00:00Z".into(),
        rejection: None,
        duplicate_of: None,
        finalised: Some(Finalised {
            format: "jpeg".into(),
            bytes: 1,
            width: 4000,
            height: 3000,
            sha256: String::new(),
            phash: String::new(),
            finalised_at: String::new(),
        }),
        attributes,
        selected: false,
        prices: (class == Class::Printable).then_some(Prices {
            l: Yen(100),
            two_l: Yen(300),
        }),
        class,
        albums: vec![],
        rev: 0,
        deleting: false,
        own_index_move: None,
    }
}
