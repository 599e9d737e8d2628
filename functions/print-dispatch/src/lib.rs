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

mod config;

pub use config::Config;

use anyhow::Context;
use aws_lambda_events::sqs::{SqsBatchResponse, SqsEvent, SqsMessage};
use printvault_adapters::aws::Clients;
use printvault_adapters::dispatch::LabQueues;
use printvault_adapters::images::ImageStore;
use printvault_adapters::keys;
use printvault_adapters::labs::LabStore;
use printvault_adapters::lambda;
use printvault_adapters::objects::ObjectStore;
use printvault_adapters::orders::OrderStore;
use printvault_domain::dispatch::{Asset, DispatchMessage, LabJob};
use printvault_domain::ids::OrderId;
use printvault_domain::image::ImageStatus;
use printvault_domain::order::OrderStatus;
use printvault_domain::when::rfc3339;
use std::collections::HashMap;
use std::time::Duration;
use time::OffsetDateTime;
use tracing::{info, instrument};

/// The function's dependencies, built once per cold start.
#[derive(Clone)]
pub struct Dispatcher {
    orders: OrderStore,
    labs: LabStore,
    images: ImageStore,
    objects: ObjectStore,
    lab_queues: LabQueues,
    url_ttl: Duration,
}

/// What one message did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// This many jobs went to the lab; the order is `dispatched`.
    Dispatched(usize),
    /// The order is neither `paid` nor `dispatching` (dispatched before, or
    /// cancelled): nothing sent.
    Skipped(OrderStatus),
}

impl Dispatcher {
    pub fn new(clients: &Clients, config: Config) -> Self {
        let db = || clients.dynamodb.clone();
        Self {
            orders: OrderStore::new(db(), config.orders_table.clone()),
            labs: LabStore::new(db(), config.orders_table),
            images: ImageStore::new(db(), config.images_table),
            objects: ObjectStore::new(clients.s3.clone(), config.photos_bucket),
            lab_queues: LabQueues::new(clients.sqs.clone()),
            url_ttl: Duration::from_secs(u64::from(config.settings.orders.asset_url_ttl_hours) * 3600),
        }
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

    /// Sends `order`'s jobs to its lab and marks it dispatched, if it is paid.
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
        // One key per image: a line per size may print the same one.
        let mut ids: Vec<_> = order.lines.iter().map(|l| l.image_id.clone()).collect();
        ids.sort();
        ids.dedup();
        let images: HashMap<_, _> = self
            .images
            .find_many(&ids)
            .await?
            .into_iter()
            .map(|i| (i.id.clone(), i))
            .collect();
        let expires = now + self.url_ttl;
        let mut jobs = Vec::with_capacity(order.lines.len());
        for line in &order.lines {
            // The order's own condition checks held when it was placed; an
            // image deleted since cannot be printed (its bytes are gone).
            let image = images
                .get(&line.image_id)
                .filter(|i| i.status == ImageStatus::Ready && !i.deleting)
                .with_context(|| format!("line {}: image {} is gone", line.line, line.image_id))?;
            let f = image
                .finalised
                .as_ref()
                .with_context(|| format!("image {} has no original", image.id))?;
            let url = self
                .objects
                .presign_get(&keys::original_key(&image.owner, &image.id), self.url_ttl)
                .await?;
            let asset = Asset {
                image_id: image.id.clone(),
                url,
                url_expires_at: rfc3339(expires),
                bytes: f.bytes,
                sha256: f.sha256.clone(),
                format: f.format.clone(),
            };
            jobs.push(LabJob::new(&order, line, asset, at.clone()));
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
        info!(jobs = jobs.len(), lab = %lab.lab_id, "dispatched");
        Ok(Outcome::Dispatched(jobs.len()))
    }
}
