//! print-dispatch (M21): each paid order's lines become jobs on the FIFO
//! queue of the lab at its output location, exactly once.
//!
//! Every message on the dispatch queue names an order (`order.paid`). For a
//! paid order the dispatcher builds one job per line (the documented JSON of
//! `docs/lab-job.schema.json`: presigned URLs of the originals with their
//! size and SHA-256, sku, copies, sizing, the delivery address and the
//! packaging) and sends them to the lab's queue ten a request.
//!
//! Exactly once, although any message may arrive twice:
//! - first the order moves `paid` → `dispatching` by a conditional write:
//!   from then on it cannot be cancelled, so no lab gets a cancelled order;
//! - an order that is neither `paid` nor `dispatching` (dispatched already,
//!   or cancelled) is skipped: a redelivered message makes nothing;
//! - then the jobs go out, and then `dispatching` → `dispatched`. A
//!   dispatcher that dies in between leaves the order `dispatching`, and the
//!   retry sends the same jobs with the same deduplication IDs
//!   (`<order>-<line>`), which SQS drops within its five-minute window;
//! - past that window a job can reach the lab twice; its `job_id` says so,
//!   and the lab client (`printlab`) keeps one.
//!
//! A dead end becomes a refund, never a stuck order (issue 18). A line whose
//! image is gone (deleted by its owner since the order was paid) or whose
//! owner is in arrears (M24) cannot be printed: it fails here as a lab's
//! failure would, in one transaction with its refund (money first, then
//! points spent; the medium's fee too when no line is left), and the buyer
//! is emailed through the notifier. An order none of whose lines can be
//! printed ends `cancelled` with everything refunded; otherwise the other
//! lines go to the lab and it ends `dispatched`.
//!
//! A lab gets another customer's original as the copy without its location
//! (made once, as the api makes it for others): only the buyer's own images
//! go out as uploaded.

mod config;

pub use config::Config;

use anyhow::Context;
use aws_lambda_events::sqs::{SqsBatchResponse, SqsEvent, SqsMessage};
use printvault_adapters::aws::Clients;
use printvault_adapters::billing::BillingStore;
use printvault_adapters::dispatch::LabQueues;
use printvault_adapters::images::ImageStore;
use printvault_adapters::keys;
use printvault_adapters::labs::LabStore;
use printvault_adapters::lambda;
use printvault_adapters::ledger::LedgerStore;
use printvault_adapters::notices::NoticeQueue;
use printvault_adapters::objects::ObjectStore;
use printvault_adapters::orders::{LineRecord, OrderStore};
use printvault_domain::dispatch::{Asset, DispatchMessage, LabJob};
use printvault_domain::ids::OrderId;
use printvault_domain::image::{Image, ImageStatus};
use printvault_domain::lab_report::LabReport;
use printvault_domain::notice::{Message, Notice, NoticeId};
use printvault_domain::order::{Order, OrderStatus};
use printvault_domain::when::rfc3339;
use std::collections::HashMap;
use std::time::Duration;
use time::OffsetDateTime;
use tracing::{info, instrument, warn};

/// The function's dependencies, built once per cold start.
#[derive(Clone)]
pub struct Dispatcher {
    orders: OrderStore,
    labs: LabStore,
    images: ImageStore,
    ledger: LedgerStore,
    billing: BillingStore,
    objects: ObjectStore,
    /// Presigns the labs' URLs: `objects` itself, unless the labs reach the
    /// bucket at another address (a local TLS front).
    presigner: ObjectStore,
    lab_queues: LabQueues,
    notices: NoticeQueue,
    url_ttl: Duration,
    max_original_bytes: u64,
}

/// What one message did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// This many jobs went to the lab; the order is `dispatched`. Lines that
    /// could not be printed were refunded instead.
    Dispatched(usize),
    /// No line could be printed: each was refunded, and the order is
    /// `cancelled`.
    Cancelled,
    /// The order is neither `paid` nor `dispatching` (dispatched before, or
    /// cancelled): nothing sent.
    Skipped(OrderStatus),
}

/// Tries of one line's refund when another write to the order lands first.
const FAIL_ATTEMPTS: usize = 5;

impl Dispatcher {
    pub fn new(clients: &Clients, config: Config) -> Self {
        let db = || clients.dynamodb.clone();
        Self {
            orders: OrderStore::new(db(), config.orders_table.clone()),
            labs: LabStore::new(db(), config.orders_table),
            images: ImageStore::new(db(), config.images_table.clone()),
            ledger: LedgerStore::new(db(), config.ledger_table),
            billing: BillingStore::new(db(), config.billing_table, config.images_table, &config.settings),
            objects: ObjectStore::new(clients.s3.clone(), config.photos_bucket.clone()),
            presigner: ObjectStore::new(clients.s3.clone(), config.photos_bucket),
            lab_queues: LabQueues::new(clients.sqs.clone()),
            notices: NoticeQueue::new(clients.sqs.clone(), config.notices_queue_url),
            url_ttl: Duration::from_secs(u64::from(config.settings.orders.asset_url_ttl_hours) * 3600),
            max_original_bytes: config.settings.uploads.max_bytes,
        }
    }

    /// Presigns the labs' URLs with `s3` (its endpoint is where the labs
    /// reach the bucket); everything else still goes to the bucket itself.
    pub fn presigning_through(mut self, s3: aws_sdk_s3::Client) -> Self {
        self.presigner = self.presigner.with_client(s3);
        self
    }

    /// Handles one SQS batch; only the failed messages are reported.
    pub async fn handle_batch(&self, event: SqsEvent) -> SqsBatchResponse {
        lambda::each_message(&event, "dispatching an order", |m| async move {
            self.handle_message(m).await.map(|_| ())
        })
        .await
    }

    async fn handle_message(&self, m: &SqsMessage) -> anyhow::Result<Outcome> {
        let body = m.body.as_deref().unwrap_or_default();
        match DispatchMessage::from_body(body).map_err(anyhow::Error::msg)? {
            DispatchMessage::OrderPaid { order_id } => {
                self.dispatch(&order_id, printvault_domain::when::now()).await
            }
        }
    }

    /// Sends `order`'s jobs to its lab and marks it dispatched, if it is
    /// paid; refunds the lines that cannot be printed.
    #[instrument(skip_all, fields(order = %order_id))]
    pub async fn dispatch(&self, order_id: &OrderId, now: OffsetDateTime) -> anyhow::Result<Outcome> {
        let order = self
            .orders
            .get(order_id)
            .await?
            .with_context(|| format!("no order {order_id}"))?;
        let at = rfc3339(now);
        match order.status {
            OrderStatus::Dispatching => info!("taken before and not finished: sending again"),
            OrderStatus::Paid => {
                let taken = self
                    .orders
                    .advance(
                        order_id,
                        OrderStatus::Paid,
                        OrderStatus::Dispatching,
                        "dispatching_at",
                        &at,
                    )
                    .await?;
                anyhow::ensure!(
                    taken,
                    "order {order_id} changed while being taken; it is tried again"
                );
            }
            other => {
                info!(status = other.as_str(), "not paid: nothing to dispatch");
                return Ok(Outcome::Skipped(other));
            }
        }
        let lab = self
            .labs
            .lab(&order.lab_id)
            .await?
            .with_context(|| format!("no lab {}", order.lab_id))?;
        // A line a lab reported on, or that failed here before, is not sent again.
        let reported = self.orders.lines(order_id).await?;
        let open: Vec<_> = order
            .lines
            .iter()
            .filter(|l| !reported.iter().any(|r| r.line == l.line))
            .collect();
        let images = self.printable_images(&order, &open).await?;
        let expires = now + self.url_ttl;
        let mut jobs = Vec::with_capacity(open.len());
        let mut dead = Vec::new();
        for line in open {
            let Some(image) = images.get(&line.image_id) else {
                dead.push(line.line);
                continue;
            };
            let Some(asset) = self.asset(&order, image, expires).await? else {
                dead.push(line.line);
                continue;
            };
            jobs.push(LabJob::new(&order, line, asset, at.clone()));
        }
        for line in &dead {
            self.fail_line(order_id, *line, &at).await?;
        }
        if jobs.is_empty() && reported.is_empty() {
            // Nothing could be printed and nothing went to the lab: every
            // line is refunded (the medium's fee with the last).
            self.orders
                .advance(
                    order_id,
                    OrderStatus::Dispatching,
                    OrderStatus::Cancelled,
                    "cancelled_at",
                    &at,
                )
                .await?;
            warn!(
                lines = dead.len(),
                "no line could be printed: the order is cancelled and refunded"
            );
            return Ok(Outcome::Cancelled);
        }
        self.lab_queues.send(&lab.queue_url, &jobs).await?;
        // False only if another dispatcher finished first: the same jobs,
        // the same IDs.
        self.orders
            .advance(
                order_id,
                OrderStatus::Dispatching,
                OrderStatus::Dispatched,
                "dispatched_at",
                &at,
            )
            .await?;
        info!(jobs = jobs.len(), refunded = dead.len(), lab = %lab.lab_id, "dispatched");
        Ok(Outcome::Dispatched(jobs.len()))
    }

    /// The images of `lines` that may still be printed: ready, not being
    /// deleted, and their owner not in arrears (M24). The order's own
    /// condition checks held when it was placed; an image deleted since
    /// has no bytes left, and an owner in arrears sells nothing.
    async fn printable_images(
        &self,
        order: &Order,
        lines: &[&printvault_domain::order::QuotedLine],
    ) -> anyhow::Result<HashMap<printvault_domain::ids::ImageId, Image>> {
        // One key per image: a line per size may print the same one.
        let mut ids: Vec<_> = lines.iter().map(|l| l.image_id.clone()).collect();
        ids.sort();
        ids.dedup();
        let mut owners: Vec<_> = lines
            .iter()
            .map(|l| l.owner.clone())
            .filter(|o| order.buyer.customer() != Some(o))
            .collect();
        owners.sort();
        owners.dedup();
        let in_arrears = self.billing.in_arrears(&owners).await?;
        Ok(self
            .images
            .find_many(&ids)
            .await?
            .into_iter()
            .filter(|i| i.status == ImageStatus::Ready && !i.deleting && !in_arrears.contains(&i.owner))
            .map(|i| (i.id.clone(), i))
            .collect())
    }

    /// What the lab fetches for `image`: the buyer's own original as
    /// uploaded, anyone else's as the copy without its location. `None`
    /// when its bytes are gone.
    async fn asset(
        &self,
        order: &Order,
        image: &Image,
        expires: OffsetDateTime,
    ) -> anyhow::Result<Option<Asset>> {
        let f = image
            .finalised
            .as_ref()
            .with_context(|| format!("image {} has no original", image.id))?;
        let (c, i) = (&image.owner, &image.id);
        let (key, bytes, sha256) = if order.buyer.customer() == Some(c) {
            (keys::original_key(c, i), f.bytes, f.sha256.clone())
        } else {
            let Some(key) = self.location_free_copy(image, &f.format).await? else {
                return Ok(None);
            };
            let (bytes, sha256) = match self.objects.fingerprint(&key).await? {
                Some(fp) => fp,
                None => {
                    // A copy made before copies kept their SHA-256: make it again.
                    self.objects.delete(&key).await?;
                    if self.location_free_copy(image, &f.format).await?.is_none() {
                        return Ok(None);
                    }
                    self.objects
                        .fingerprint(&key)
                        .await?
                        .with_context(|| format!("{key} has no SHA-256 after it was made"))?
                }
            };
            (key, bytes, sha256)
        };
        let url = self.presigner.presign_get(&key, self.url_ttl).await?;
        Ok(Some(Asset {
            image_id: image.id.clone(),
            url,
            url_expires_at: rfc3339(expires),
            bytes,
            sha256,
            format: f.format.clone(),
        }))
    }

    /// The key of `image`'s original without its location, made once.
    /// `None` when the original is gone.
    async fn location_free_copy(&self, image: &Image, format: &str) -> anyhow::Result<Option<String>> {
        self.objects
            .made_once(
                keys::shared_original_key(&image.owner, &image.id),
                keys::original_key(&image.owner, &image.id),
                self.max_original_bytes + 1,
                &format!("image/{format}"),
                |original| printvault_imaging::strip_location(&original).map_err(|e| e.to_string()),
            )
            .await
    }

    /// Fails line `line` of the order (no lab has it): its refund in the
    /// same transaction as its record, then the buyer's email. A line that
    /// has a record by now (failed before, or reported by a lab that got
    /// it from an earlier delivery) is left as it is.
    async fn fail_line(&self, order_id: &OrderId, line: u32, at: &str) -> anyhow::Result<()> {
        let reason = "the image can no longer be printed (deleted by its owner, or its owner's account is on hold); this line is refunded";
        for _ in 0..FAIL_ATTEMPTS {
            let order = self
                .orders
                .get(order_id)
                .await?
                .with_context(|| format!("no order {order_id}"))?;
            let lines = self.orders.lines(order_id).await?;
            if lines.iter().any(|r| r.line == line) {
                return Ok(());
            }
            let report = LabReport::Failed {
                reason: reason.into(),
            };
            let record = LineRecord::new(line, &report, at);
            let (effects, refund) = self
                .orders
                .failure_effects(&self.ledger, &order, line, &lines, at)?;
            match self.orders.report_line(order_id, &record, effects).await {
                Ok(true) => {
                    warn!(
                        line,
                        refund = refund.yen,
                        points_back = refund.points,
                        "line cannot be printed: refunded"
                    );
                    self.notices
                        .send(&Notice {
                            notice_id: NoticeId::parse(&format!("order-line:{order_id}:{line}:failed"))?,
                            to: order.email.clone(),
                            message: Message::LineProgress {
                                order_id: order_id.to_string(),
                                line,
                                stage: "failed".into(),
                                carrier: None,
                                tracking: None,
                                reason: Some(reason.into()),
                                refund: refund.yen,
                                points_returned: refund.points,
                            },
                        })
                        .await?;
                    return Ok(());
                }
                // The line has a record now: someone else settled it.
                Ok(false) => return Ok(()),
                Err(printvault_domain::Error::Conflict(_)) => continue,
                Err(e) => return Err(e.into()),
            }
        }
        anyhow::bail!("line {line} of order {order_id} kept changing; it is tried again")
    }
}
