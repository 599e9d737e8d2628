//! Export jobs (X3), in the accounts table beside their customer, and the
//! `exports` queue that feeds the `export` function.
//!
//! | pk               | sk                   | holds                                  |
//! |------------------|----------------------|----------------------------------------|
//! | `CUST#<customer>`| `EXPORT#<export>`    | the job ([`ExportJob`])                |
//! | `CUST#<customer>`| `EXPORT-RUNNING`     | the one export running, `stale_at`     |
//! | `CUST#<customer>`| `EXPORT-KEY#<key>`   | an `Idempotency-Key`'s export, `expires_at` (TTL) |
//!
//! Starting an export writes all three in one transaction: the running
//! marker only where none is (or the one there is past `stale_at`,
//! abandoned), the key only where it is new (or lapsed). The marker goes
//! when the job is done or failed, in the transaction that says so.

mod queue;
mod steps;

pub use queue::ExportQueue;
pub use steps::Claimed;

use printvault_domain::export::job::ExportJob;
use printvault_domain::ids::{CustomerId, ExportId};
use printvault_domain::order::IdempotencyKey;
use printvault_domain::Error;

use crate::dynamo::{self, failed_conditions, item_with_key, s, write_failed};
use crate::keys;

const RUNNING_SK: &str = "EXPORT-RUNNING";
/// The sort keys of the jobs (and of nothing else).
const JOB_PREFIX: &str = "EXPORT#exp_";

fn n(v: i64) -> aws_sdk_dynamodb::types::AttributeValue {
    aws_sdk_dynamodb::types::AttributeValue::N(v.to_string())
}

fn job_sk(id: &ExportId) -> String {
    format!("EXPORT#{id}")
}

fn key_sk(k: &IdempotencyKey) -> String {
    format!("EXPORT-KEY#{}", k.as_str())
}

/// The export jobs of every customer.
#[derive(Clone)]
pub struct ExportStore {
    db: aws_sdk_dynamodb::Client,
    table: String,
}

/// What starting an export did.
#[derive(Debug)]
pub enum Started {
    /// A new job, written.
    New,
    /// The key was used before: its job.
    Replay(Box<ExportJob>),
    /// Another export of the customer's is running.
    Running(ExportId),
}

impl ExportStore {
    /// The store in the accounts table `table`.
    pub fn new(db: aws_sdk_dynamodb::Client, table: impl Into<String>) -> Self {
        Self {
            db,
            table: table.into(),
        }
    }

    /// Writes `job`, with its key and the running marker, unless the key
    /// was used (within its `ttl_secs`) or another export runs. `stale_secs`:
    /// how long the marker holds before an abandoned export stops counting.
    pub async fn start(
        &self,
        job: &ExportJob,
        key: &IdempotencyKey,
        ttl_secs: i64,
        stale_secs: i64,
    ) -> Result<Started, Error> {
        let pk = keys::customer_pk(&job.customer_id);
        let now = job.created_at.unix();
        let mut marker = dynamo::key(pk.clone(), RUNNING_SK);
        marker.insert("export_id".into(), s(job.export_id.as_str()));
        marker.insert("stale_at".into(), n(now + stale_secs));
        let mut claim = dynamo::key(pk.clone(), key_sk(key));
        claim.insert("export_id".into(), s(job.export_id.as_str()));
        claim.insert(crate::names::TTL_EXPIRES_AT.into(), n(now + ttl_secs));
        let items = vec![
            self.put_unless_live(claim, crate::names::TTL_EXPIRES_AT, now)?,
            self.put_unless_live(marker, "stale_at", now)?,
            dynamo::put(
                &self.table,
                item_with_key(job, pk.clone(), job_sk(&job.export_id))?,
                Some("attribute_not_exists(pk)"),
            )?,
        ];
        let out = self
            .db
            .transact_write_items()
            .set_transact_items(Some(items))
            .send()
            .await;
        let failed = match out {
            Ok(_) => return Ok(Started::New),
            Err(e) => match failed_conditions(&e) {
                Some(failed) => failed,
                None => return Err(write_failed(e, "starting an export")),
            },
        };
        if failed.first() == Some(&true) {
            let held: Option<KeyHeld> =
                dynamo::get_one(&self.db, &self.table, pk, &key_sk(key), "an export's key").await?;
            if let Some(job) = match held {
                Some(h) => self.get(&job.customer_id, &h.export_id).await?,
                None => None,
            } {
                return Ok(Started::Replay(Box::new(job)));
            }
            return Err(Error::Conflict(printvault_domain::Clash::Raced));
        }
        let running: Option<KeyHeld> =
            dynamo::get_one(&self.db, &self.table, pk, RUNNING_SK, "the running export").await?;
        match running {
            Some(r) => Ok(Started::Running(r.export_id)),
            None => Err(Error::Conflict(printvault_domain::Clash::Raced)),
        }
    }

    /// A transaction's put of `item` where none is, or where the one there
    /// lapsed (its `until`, unix seconds, is before `now`). DynamoDB takes
    /// no literals in an expression: `now` goes as a value.
    fn put_unless_live(
        &self,
        item: dynamo::Item,
        until: &str,
        now: i64,
    ) -> anyhow::Result<aws_sdk_dynamodb::types::TransactWriteItem> {
        let p = aws_sdk_dynamodb::types::Put::builder()
            .table_name(&self.table)
            .set_item(Some(item))
            .condition_expression(format!("attribute_not_exists(pk) OR {until} < :now"))
            .expression_attribute_values(":now", n(now))
            .build()?;
        Ok(aws_sdk_dynamodb::types::TransactWriteItem::builder()
            .put(p)
            .build())
    }

    /// The export the customer's `key` started, if it is still kept.
    pub async fn keyed(
        &self,
        owner: &CustomerId,
        key: &IdempotencyKey,
        now: i64,
    ) -> Result<Option<ExportJob>, Error> {
        let held: Option<KeyHeld> = dynamo::get_one(
            &self.db,
            &self.table,
            keys::customer_pk(owner),
            &key_sk(key),
            "an export's key",
        )
        .await?;
        match held.filter(|h| h.expires_at >= now) {
            Some(h) => self.get(owner, &h.export_id).await,
            None => Ok(None),
        }
    }

    /// The customer's export `id`, if it is theirs.
    pub async fn get(&self, owner: &CustomerId, id: &ExportId) -> Result<Option<ExportJob>, Error> {
        dynamo::get_one(
            &self.db,
            &self.table,
            keys::customer_pk(owner),
            &job_sk(id),
            "an export",
        )
        .await
    }

    /// The customer's exports, newest first, a page at a time.
    pub async fn list(
        &self,
        owner: &CustomerId,
        page: dynamo::PageOf<'_>,
    ) -> Result<crate::Page<ExportJob>, Error> {
        let pk = keys::customer_pk(owner);
        dynamo::page_newest_first(
            &self.db,
            &self.table,
            &pk,
            JOB_PREFIX,
            page,
            |sk| {
                sk.strip_prefix("EXPORT#")
                    .is_some_and(|id| ExportId::parse(id).is_ok())
            },
            "exports",
        )
        .await
    }
}

#[derive(serde::Deserialize)]
struct KeyHeld {
    export_id: ExportId,
    #[serde(default = "forever")]
    expires_at: i64,
}

fn forever() -> i64 {
    i64::MAX
}
