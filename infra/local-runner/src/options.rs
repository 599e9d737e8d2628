//! How a local stack is made: where moto is, its names, settings and
//! queue timings, which pollers run, and what tests adjust.

use printvault_domain::settings::Settings;
use std::net::SocketAddr;
use std::path::PathBuf;

use crate::provision::AllQueues;

#[derive(Debug, Clone)]
pub struct StackOptions {
    /// The local AWS endpoint (moto).
    pub endpoint: String,
    pub region: String,
    pub app: String,
    pub stage: String,
    pub operator_key: String,
    pub mail_from: String,
    pub settings: Settings,
    /// Timings of each queue.
    pub queues: AllQueues,
    /// Where the api listens; port 0 picks a free one.
    pub api_addr: SocketAddr,
    /// Poll the queues in the background (off when a test drives them).
    pub run_pollers: bool,
    /// With the pollers, poll the dispatch queue too (off when a test
    /// dispatches paid orders itself, to act on them before the lab does).
    pub run_dispatcher: bool,
    /// With the pollers, poll the exports queue too (off when a test
    /// drives the export function step by step).
    pub run_exporter: bool,
    /// Access keys by user: `admin` makes the resources, and `api`,
    /// `upload-finalise`, `classify`, `notifier`, `print-dispatch` and `export` each run as their own
    /// user, when moto enforces IAM. Empty: fixed test credentials for all.
    pub keys: std::collections::HashMap<String, (String, String)>,
    /// Where the labs' presigned URLs point ([`crate::presign`]); `None`: `endpoint`.
    pub lab_download_endpoint: Option<String>,
    /// The built customer web page, served next to the api ([`crate::web`]);
    /// `None`: no page.
    pub web_dir: Option<PathBuf>,
    /// The CloudFront proof (tests only): [`provision::origin_verify`].
    pub origin_verify: Option<String>,
    /// The export function hands over after this many entries of a part
    /// in each step (tests of the hand-over); `None`: only short of time.
    pub export_entries_per_step: Option<usize>,
}

impl StackOptions {
    pub fn new(endpoint: impl Into<String>, stage: impl Into<String>) -> Self {
        Self {
            endpoint: endpoint.into(),
            region: "us-east-1".into(),
            app: "printvault".into(),
            stage: stage.into(),
            operator_key: "local-operator-key-0123456789abcdef".into(),
            mail_from: "no-reply@printvault.example".into(),
            settings: Settings::default(),
            queues: AllQueues::default(),
            api_addr: SocketAddr::from(([127, 0, 0, 1], 0)),
            run_pollers: true,
            run_dispatcher: true,
            run_exporter: true,
            keys: Default::default(),
            lab_download_endpoint: None,
            web_dir: None,
            origin_verify: None,
            export_entries_per_step: None,
        }
    }
}
