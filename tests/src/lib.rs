//! Test harness: one moto server per test binary (started on first use, on a
//! free port, gone when the binary exits) and, per test, a whole printvault
//! stack with uniquely named resources, so tests never share state.
//!
//! - [`TestEnv::start`] runs on moto's ordinary threaded server.
//! - [`TestEnv::serialised`] runs on a second moto server of the binary that
//!   handles one request at a time (`infra/moto_server.py --serialised`), so
//!   each DynamoDB call is atomic, as it is on AWS. Race tests use it: on the
//!   threaded server two concurrent conditional transactions on one item can
//!   both succeed, or fail with a 500 from moto itself, so a race test there
//!   would measure moto.
//!
//! The helpers are split by what they touch: [`api`] calls the api as a
//! client would, [`images`] uploads and reads images, [`albums`] reads
//! albums, [`storage`] looks into the bucket and the queues, [`mail`] reads
//! the emails sent.

pub mod albums;
pub mod api;
pub mod archive;
pub mod iam;
pub mod images;
pub mod mail;
pub mod orders;
pub mod recorded;
pub mod storage;
pub mod template;
pub mod tls;

use anyhow::bail;
use local_runner::moto::{default_python, MotoServer};
use local_runner::provision::{AllQueues, QueueSettings};
use local_runner::{Stack, StackOptions};
use rand::Rng;
use std::sync::OnceLock;
use std::time::{Duration, Instant};

pub use albums::page_ids;
pub use api::{Caller, Customer, NO_BODY};
pub use images::{image_id, jpeg_taken_at, ready_image_record};
pub use printvault_imaging::testkit;
pub use storage::{account_item, bench_size, sqs_event};

static MOTO: OnceLock<MotoServer> = OnceLock::new();
static SERIALISED_MOTO: OnceLock<MotoServer> = OnceLock::new();

/// The endpoint of this binary's moto server.
pub fn moto_endpoint() -> String {
    MOTO.get_or_init(|| MotoServer::start(&default_python()).expect("moto must start (run `make venv`)"))
        .endpoint
        .clone()
}

/// The endpoint of this binary's serialised moto server (one request at a
/// time), started on first use.
pub fn serialised_moto_endpoint() -> String {
    SERIALISED_MOTO
        .get_or_init(|| {
            MotoServer::start_serialised(&default_python()).expect("moto must start (run `make venv`)")
        })
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

    /// A stack adjusted by `f` before it starts. Every stack runs on the
    /// serialised moto server: the background pollers write the same items
    /// as the api, and threaded moto, rolling back a cancelled transaction,
    /// puts back a copy of the table taken when it began, undoing writes
    /// that landed meanwhile (seen as a deleted image found again by search).
    pub async fn with(f: impl FnOnce(&mut StackOptions)) -> Self {
        Self::on(serialised_moto_endpoint(), f).await
    }

    /// A stack on the serialised moto server, for tests that run requests in
    /// parallel and check what DynamoDB's isolation guarantees.
    pub async fn serialised() -> Self {
        Self::serialised_with(|_| {}).await
    }

    /// [`TestEnv::serialised`], adjusted by `f` before it starts.
    pub async fn serialised_with(f: impl FnOnce(&mut StackOptions)) -> Self {
        Self::on(serialised_moto_endpoint(), f).await
    }

    pub(crate) async fn on(endpoint: String, f: impl FnOnce(&mut StackOptions)) -> Self {
        // `RUST_LOG=info` shows what the stack's functions log, to debug a test.
        if std::env::var_os("RUST_LOG").is_some() {
            let _ = tracing_subscriber::fmt()
                .with_env_filter(tracing_subscriber::EnvFilter::from_default_env())
                .with_test_writer()
                .try_init();
        }
        // reqwest brings no rustls crypto provider of its own (Cargo.toml):
        // the tests' clients use the AWS SDK's, as printlab does.
        printlab::tls::install_crypto_provider();
        let mut opts = StackOptions::new(endpoint, unique_stage());
        opts.operator_key = OPERATOR_KEY.into();
        // Retries within a second, so failure paths finish quickly.
        let fast = || QueueSettings {
            visibility_timeout_secs: 1,
            max_receive_count: 3,
        };
        opts.queues = AllQueues {
            uploads: fast(),
            image_events: fast(),
            notices: fast(),
            dispatch: fast(),
            exports: fast(),
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
