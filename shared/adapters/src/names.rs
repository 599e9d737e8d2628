//! The one place where AWS resource names are made.
//!
//! The SAM template (`infra/template.yaml`) builds the same names from its
//! `AppName` and `Stage` parameters; `tests/tests/template_names.rs` checks
//! that the two agree, key schemas and queue settings included.

/// Names of every AWS resource in one deployment (`<app>-<stage>-…`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResourceNames {
    /// The S3 bucket holding `incoming/`, `originals/`, `thumbs/` and `previews/`.
    pub photos_bucket: String,
    /// The customer web page (`web/dist`), read only by the stack's CloudFront
    /// distribution (deployed only: locally the runner serves `web/dist`).
    pub web_bucket: String,
    /// Customers, email claims and sessions.
    pub accounts_table: String,
    /// Images (one item per upload) and per-customer content-hash claims.
    pub images_table: String,
    /// The screening blocklist (M6): exact and perceptual-hash entries.
    pub blocklist_table: String,
    /// Who may see what: party groups, invitations, grants, share links.
    pub sharing_table: String,
    /// Quotes, orders, idempotency keys, labs and output locations (M15-M21).
    pub orders_table: String,
    /// Points accounts and their entries (M18).
    pub ledger_table: String,
    /// Storage meters, invoices and arrears (M23-M25), with the `due` index.
    pub billing_table: String,
    /// S3 ObjectCreated events for `incoming/`, consumed by upload-finalise.
    pub uploads_queue: String,
    /// Where upload events go after `UPLOADS_MAX_RECEIVE_COUNT` failed receives.
    pub uploads_dlq: String,
    /// `image.ready` messages from upload-finalise, consumed by classify (M12).
    pub image_events_queue: String,
    /// Where image events go after `IMAGE_EVENTS_MAX_RECEIVE_COUNT` failed receives.
    pub image_events_dlq: String,
    /// Emails to send (notices), consumed by the notifier.
    pub notices_queue: String,
    /// Where notices go after `NOTICES_MAX_RECEIVE_COUNT` failed receives.
    pub notices_dlq: String,
    /// SES's events about sent mail (delivery, bounce, complaint), through
    /// SNS; consumed by the notifier.
    pub mail_events_queue: String,
    /// Where mail events go after `MAIL_EVENTS_MAX_RECEIVE_COUNT` failed receives.
    pub mail_events_dlq: String,
    /// The SES configuration set every notice is sent through, whose events
    /// reach the mail-events queue (deployed only: moto sends no events,
    /// and the local notifier plays SES's mailbox simulator instead).
    pub mail_configuration_set: String,
    /// Paid orders (`order.paid`), consumed by print-dispatch (M21).
    pub dispatch_queue: String,
    /// Where dispatch messages go after `DISPATCH_MAX_RECEIVE_COUNT` failed receives.
    pub dispatch_dlq: String,
    /// Export jobs' steps (X3), consumed by the export function.
    pub exports_queue: String,
    /// Where export steps go after `EXPORTS_MAX_RECEIVE_COUNT` failed receives.
    pub exports_dlq: String,
    /// Where EventBridge Scheduler parks a sweep's event after its retries
    /// (deployed only: locally the runner fires the sweeps itself).
    pub sweeps_dlq: String,
    /// Each lab's FIFO job queue is this and `<lab>-jobs.fifo`; they are
    /// made when the operator registers the lab ([`lab_jobs_queue`](Self::lab_jobs_queue)).
    pub lab_queue_prefix: String,
    /// The Secrets Manager secret holding the operator key.
    pub operator_key_secret: String,
    /// The Secrets Manager secret holding the payment provider's webhook
    /// secret(s) (`whsec_…`, space-separated during a rotation; M20).
    pub payment_webhook_secret: String,
    /// The Secrets Manager secret the CloudFront distribution sends to the
    /// api as `x-origin-verify` (deployed only, and in the tests that play
    /// the distribution).
    pub origin_verify_secret: String,
}

/// Receives before an uploads message is parked in the DLQ.
pub const UPLOADS_MAX_RECEIVE_COUNT: i32 = 3;
/// upload-finalise's `MemorySize` in the template (MB), which its memory
/// budget is a share of where Lambda does not say (`make run`, tests).
pub const UPLOAD_FINALISE_MEMORY_MB: u64 = 1536;
/// upload-finalise's glibc allocator settings (`GLIBC_TUNABLES` in the
/// template). By default glibc maps each buffer over its (adaptive) mmap
/// threshold afresh and gives it back on free, so every upload paid page
/// faults and zeroing for its decode and resize buffers again: 25–40 % of a
/// 2–5 MP photo's time (`docs/benchmarks.md`). Up to 64 MiB they now come
/// from the heap and stay, in at most two arenas: at most 128 MiB kept
/// free, within the memory budget's headroom (`docs/deploy.md`).
pub const UPLOAD_FINALISE_GLIBC_TUNABLES: &str =
    "glibc.malloc.mmap_threshold=67108864:glibc.malloc.trim_threshold=67108864:glibc.malloc.arena_max=2";
/// Visibility timeout of the uploads queue, in seconds: six times the
/// upload-finalise timeout, as AWS recommends for event source mappings.
pub const UPLOADS_VISIBILITY_TIMEOUT_SECS: i32 = 180;
/// Receives before an image-events message is parked in its DLQ.
pub const IMAGE_EVENTS_MAX_RECEIVE_COUNT: i32 = 3;
/// Visibility timeout of the image-events queue, in seconds: six times the
/// classify timeout.
pub const IMAGE_EVENTS_VISIBILITY_TIMEOUT_SECS: i32 = 120;
/// Receives before a dispatch message is parked in its DLQ.
pub const DISPATCH_MAX_RECEIVE_COUNT: i32 = 5;
/// Visibility timeout of the dispatch queue: six times print-dispatch's timeout.
pub const DISPATCH_VISIBILITY_TIMEOUT_SECS: i32 = 720;
/// Receives before an export step is parked in its DLQ.
pub const EXPORTS_MAX_RECEIVE_COUNT: i32 = 5;
/// The export function's timeout, in seconds (Lambda's most): a step
/// starts an entry only with [`EXPORT_RESERVE_SECS`] left, then hands over.
pub const EXPORT_TIMEOUT_SECS: i32 = 900;
/// The time one entry of a part (an original of at most `uploads.max_bytes`,
/// streamed from S3 into the part's upload) may take at most.
pub const EXPORT_RESERVE_SECS: u64 = 60;
/// Visibility timeout of the exports queue: six times the export timeout.
pub const EXPORTS_VISIBILITY_TIMEOUT_SECS: i32 = 6 * EXPORT_TIMEOUT_SECS;
/// Receives of a lab job before it is parked in the lab's DLQ.
pub const LAB_JOBS_MAX_RECEIVE_COUNT: i32 = 10;
/// Visibility timeout of a lab's job queue: how long a lab has for a job
/// before it comes back (printlab extends it while a big job downloads).
pub const LAB_JOBS_VISIBILITY_TIMEOUT_SECS: i32 = 300;
/// Receives before a notice is parked in its DLQ.
pub const NOTICES_MAX_RECEIVE_COUNT: i32 = 5;
/// Visibility timeout of the notices queue, in seconds: six times the
/// notifier timeout.
pub const NOTICES_VISIBILITY_TIMEOUT_SECS: i32 = 60;
/// Receives before a mail event is parked in its DLQ (the notifier's queue,
/// so the notices queue's timings).
pub const MAIL_EVENTS_MAX_RECEIVE_COUNT: i32 = NOTICES_MAX_RECEIVE_COUNT;
/// Visibility timeout of the mail-events queue: six times the notifier timeout.
pub const MAIL_EVENTS_VISIBILITY_TIMEOUT_SECS: i32 = NOTICES_VISIBILITY_TIMEOUT_SECS;
/// How long a DLQ keeps a parked message: 14 days, the SQS maximum.
pub const DLQ_RETENTION_SECS: i32 = 1_209_600;
/// The S3 prefix whose ObjectCreated events go to the uploads queue.
pub const INCOMING_PREFIX: &str = "incoming/";
/// The S3 prefix whose ObjectRestore:Completed events (M32: an archived
/// original readable again) go to the dispatch queue.
pub const ORIGINALS_PREFIX: &str = "originals/";
/// The global secondary index the sweeps Query, keyed by due date: its
/// partition key is `<what>#<day or month>#<shard>`, its sort key the
/// item's own ID. Items leave it when their `due_pk` is removed (sparse).
pub const DUE_INDEX: &str = "due";
pub const DUE_PK: &str = "due_pk";
pub const DUE_SK: &str = "due_sk";

/// The images table's index of anniversaries (M28), keyed by month-day:
/// `ANNIV#<MM-DD>#<shard>`, sort key `<owner>#<image ID or PROFILE>`.
/// It holds the images taken on that day and the customers whose profile
/// has a date on it, with only what the anniversary sweep reads.
pub const ANNIV_INDEX: &str = "anniv";
pub const ANNIV_PK: &str = "anniv_pk";
pub const ANNIV_SK: &str = "anniv_sk";
/// The attributes the [`ANNIV_INDEX`] carries besides the keys.
pub const ANNIV_PROJECTED: [&str; 4] = ["owner", "attributes", "status", "deleting"];

/// A global secondary index, as the template and the local runner make it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IndexSpec {
    pub name: &'static str,
    pub pk: &'static str,
    pub sk: &'static str,
    /// `None`: every attribute (`ALL`); else `INCLUDE` these.
    pub include: Option<&'static [&'static str]>,
}

pub const DUE: IndexSpec = IndexSpec {
    name: DUE_INDEX,
    pk: DUE_PK,
    sk: DUE_SK,
    include: None,
};
pub const ANNIV: IndexSpec = IndexSpec {
    name: ANNIV_INDEX,
    pk: ANNIV_PK,
    sk: ANNIV_SK,
    include: Some(&ANNIV_PROJECTED),
};

impl ResourceNames {
    /// The tables that carry the [`DUE_INDEX`].
    pub fn tables_with_due_index(&self) -> [&str; 2] {
        [&self.billing_table, &self.images_table]
    }

    /// The attribute DynamoDB's TTL deletes `table`'s lapsed items by, if
    /// any: unix seconds, written on every item that lapses (a pending
    /// upload, a verification, a session, a guessing count, an invitation,
    /// an idempotency key). The template's `TimeToLiveSpecification` and
    /// the local stack's `UpdateTimeToLive` use it.
    pub fn ttl_attribute_of(&self, table: &str) -> Option<&'static str> {
        if table == self.accounts_table || table == self.images_table {
            Some(TTL_EXPIRES_AT)
        } else if table == self.sharing_table || table == self.orders_table {
            Some(TTL_TTL)
        } else {
            None
        }
    }

    /// The global secondary indexes of `table`.
    pub fn indexes_of(&self, table: &str) -> Vec<IndexSpec> {
        let mut out = Vec::new();
        if self.tables_with_due_index().contains(&table) {
            out.push(DUE);
        }
        if table == self.images_table {
            out.push(ANNIV);
        }
        out
    }
}

/// The TTL attribute of the accounts and images tables.
pub const TTL_EXPIRES_AT: &str = "expires_at";
/// The TTL attribute of the sharing and orders tables.
pub const TTL_TTL: &str = "ttl";

/// Partition and sort key attribute names, the same in every table.
pub const PK: &str = "pk";
pub const SK: &str = "sk";

/// Lab `lab`'s FIFO job queue, under `prefix` (`ResourceNames::lab_queue_prefix`).
pub fn lab_jobs_queue(prefix: &str, lab: &str) -> String {
    format!("{prefix}{lab}-jobs.fifo")
}

/// Where lab `lab`'s jobs go after `LAB_JOBS_MAX_RECEIVE_COUNT` receives.
pub fn lab_jobs_dlq(prefix: &str, lab: &str) -> String {
    format!("{prefix}{lab}-jobs-dlq.fifo")
}

/// The longest queue name SQS takes.
pub const MAX_QUEUE_NAME: usize = 80;

impl ResourceNames {
    /// Names for `app` (default `printvault`) and `stage` (`local`, `dev`, `prod`, …).
    pub fn new(app: &str, stage: &str) -> Self {
        let p = format!("{app}-{stage}");
        Self {
            photos_bucket: format!("{p}-photos"),
            web_bucket: format!("{p}-web"),
            accounts_table: format!("{p}-accounts"),
            images_table: format!("{p}-images"),
            blocklist_table: format!("{p}-blocklist"),
            sharing_table: format!("{p}-sharing"),
            orders_table: format!("{p}-orders"),
            ledger_table: format!("{p}-ledger"),
            billing_table: format!("{p}-billing"),
            uploads_queue: format!("{p}-uploads"),
            uploads_dlq: format!("{p}-uploads-dlq"),
            image_events_queue: format!("{p}-image-events"),
            image_events_dlq: format!("{p}-image-events-dlq"),
            notices_queue: format!("{p}-notices"),
            notices_dlq: format!("{p}-notices-dlq"),
            mail_events_queue: format!("{p}-mail-events"),
            mail_events_dlq: format!("{p}-mail-events-dlq"),
            mail_configuration_set: format!("{p}-mail"),
            dispatch_queue: format!("{p}-dispatch"),
            dispatch_dlq: format!("{p}-dispatch-dlq"),
            exports_queue: format!("{p}-exports"),
            exports_dlq: format!("{p}-exports-dlq"),
            sweeps_dlq: format!("{p}-sweeps-dlq"),
            lab_queue_prefix: format!("{p}-lab-"),
            operator_key_secret: format!("{p}-operator-key"),
            payment_webhook_secret: format!("{p}-payment-webhook-secret"),
            origin_verify_secret: format!("{p}-origin-verify"),
        }
    }

    /// Lab `lab`'s FIFO job queue.
    pub fn lab_jobs_queue(&self, lab: &str) -> String {
        lab_jobs_queue(&self.lab_queue_prefix, lab)
    }

    /// Every table name, for provisioning and checks.
    pub fn tables(&self) -> [&str; 7] {
        [
            &self.billing_table,
            &self.accounts_table,
            &self.images_table,
            &self.blocklist_table,
            &self.sharing_table,
            &self.orders_table,
            &self.ledger_table,
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_prefixed_by_app_and_stage() {
        let n = ResourceNames::new("printvault", "dev");
        assert_eq!(n.photos_bucket, "printvault-dev-photos");
        assert_eq!(n.uploads_dlq, "printvault-dev-uploads-dlq");
        assert_eq!(n.image_events_queue, "printvault-dev-image-events");
        assert_eq!(n.image_events_dlq, "printvault-dev-image-events-dlq");
        assert_eq!(n.notices_dlq, "printvault-dev-notices-dlq");
        assert_eq!(n.tables().len(), 7);
    }
}
