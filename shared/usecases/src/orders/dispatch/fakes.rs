//! In-memory ports for the unit tests of `dispatch`: orders with their line
//! records, a lab's FIFO queue that drops a job ID it has seen (SQS's
//! deduplication), the notifier (one email per notice ID), and a call that
//! fails before it writes (a crash).

use printvault_domain::dispatch::disc::{DiscJob, DiscManifest, Fetch};
use printvault_domain::dispatch::{LabJob, Version};
use printvault_domain::ids::{CustomerId, ImageId, OrderId};
use printvault_domain::image::Image;
use printvault_domain::lab::Lab;
use printvault_domain::lab_report::{LineRecord, LineStage};
use printvault_domain::notice::Notice;
use printvault_domain::order::money::line_failure;
use printvault_domain::order::OrderStatus;
use printvault_domain::order::{Order, Slug, StatusMove};
use printvault_domain::when::Timestamp;
use printvault_domain::Error;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::time::Duration;
use time::OffsetDateTime;

use super::ports::{DispatchPorts, Fetchable, LineFailed};
use super::{Matter, OnDisc};

#[derive(Default)]
pub(crate) struct World {
    pub orders: HashMap<OrderId, Order>,
    pub records: BTreeMap<(OrderId, u32), LineRecord>,
    pub lab: Option<Lab>,
    pub images: HashMap<ImageId, Image>,
    pub arrears: HashSet<CustomerId>,
    /// Images whose bytes are gone from the bucket.
    pub no_bytes: HashSet<ImageId>,
    /// What the lab's queue delivered, after deduplication.
    pub delivered: Vec<LabJob>,
    pub dedup: BTreeSet<String>,
    /// The disc jobs the lab's queue delivered, after deduplication.
    pub discs: Vec<DiscJob>,
    /// Each disc's printed matter, by order: the names it lists.
    pub matter: BTreeMap<OrderId, Vec<String>>,
    /// The manifests stored, by their URL.
    pub manifests: BTreeMap<String, DiscManifest>,
    /// The emails sent, one per notice ID.
    pub mailed: BTreeMap<String, Notice>,
    /// The port call (counted from 1) that fails before it writes.
    pub crash_at_call: Option<usize>,
    pub calls: usize,
}

/// The ports over a [`World`].
pub(crate) type Fake = crate::crashing::Fake<World>;
crate::crashing::counts_calls!(World);

impl DispatchPorts for Fake {
    async fn order(&self, id: &OrderId) -> Result<Option<Order>, Error> {
        Ok(self.call("order")?.orders.get(id).cloned())
    }
    async fn advance(&self, id: &OrderId, m: &StatusMove) -> Result<bool, Error> {
        let mut w = self.call("advance")?;
        let order = w.orders.get_mut(id).unwrap();
        if order.status != m.from() {
            return Ok(false);
        }
        order.status = m.to();
        Ok(true)
    }
    async fn lab(&self, _id: &Slug) -> Result<Option<Lab>, Error> {
        Ok(self.call("lab")?.lab.clone())
    }
    async fn line_records(&self, id: &OrderId) -> Result<Vec<LineRecord>, Error> {
        let w = self.call("line_records")?;
        Ok(w.records
            .iter()
            .filter(|((o, _), _)| o == id)
            .map(|(_, r)| r.clone())
            .collect())
    }
    async fn images(&self, ids: &[ImageId]) -> Result<Vec<Image>, Error> {
        let w = self.call("images")?;
        Ok(ids.iter().filter_map(|i| w.images.get(i).cloned()).collect())
    }
    async fn in_arrears(&self, customers: &[CustomerId]) -> Result<HashSet<CustomerId>, Error> {
        let w = self.call("in_arrears")?;
        Ok(customers
            .iter()
            .filter(|c| w.arrears.contains(*c))
            .cloned()
            .collect())
    }
    async fn fetchable(
        &self,
        image: &Image,
        version: Version,
        _ttl: Duration,
    ) -> Result<Option<Fetchable>, Error> {
        let w = self.call("fetchable")?;
        if image.finalised.is_none() {
            return Err(anyhow::anyhow!("image {} has no original", image.id).into());
        }
        Ok((!w.no_bytes.contains(&image.id)).then(|| Fetchable {
            url: format!("https://bucket.example/{}/{version:?}", image.id),
            bytes: 1,
            sha256: "00".into(),
        }))
    }
    async fn send_jobs(&self, _lab: &Lab, jobs: &[LabJob]) -> Result<(), Error> {
        let mut w = self.call("send_jobs")?;
        for job in jobs {
            if w.dedup.insert(job.job_id.clone()) {
                w.delivered.push(job.clone());
            }
        }
        Ok(())
    }
    async fn fail_line(
        &self,
        order: &Order,
        record: &LineRecord,
        lines: &[LineRecord],
    ) -> Result<LineFailed, Error> {
        let mut w = self.call("fail_line")?;
        let key = (order.order_id.clone(), record.line);
        if w.records.contains_key(&key) {
            return Ok(LineFailed::HasRecord);
        }
        let now = &w.orders[&order.order_id];
        if (now.line_refunds, now.points_returned) != (order.line_refunds, order.points_returned) {
            return Ok(LineFailed::OrderMoved);
        }
        let failed: Vec<u32> = lines
            .iter()
            .filter(|r| r.stage == LineStage::Failed)
            .map(|r| r.line)
            .collect();
        let refund = line_failure(order, record.line, &failed);
        let o = w.orders.get_mut(&order.order_id).unwrap();
        o.line_refunds.0 += refund.yen;
        o.refund_due.0 += refund.yen;
        o.points_returned += refund.points;
        let record = LineRecord {
            refund: Some(refund),
            ..record.clone()
        };
        w.records.insert(key, record);
        Ok(LineFailed::Refunded(refund))
    }
    async fn notify(&self, notice: &Notice) -> Result<(), Error> {
        let mut w = self.call("notify")?;
        w.mailed
            .entry(notice.notice_id.to_string())
            .or_insert_with(|| notice.clone());
        Ok(())
    }
    async fn disc_matter(
        &self,
        order: &Order,
        files: &[OnDisc],
        _ttl: Duration,
        now: OffsetDateTime,
    ) -> Result<Matter, Error> {
        let mut w = self.call("disc_matter")?;
        let names = w
            .matter
            .entry(order.order_id.clone())
            .or_insert_with(|| files.iter().map(|f| f.file_name().to_owned()).collect());
        let fetch = |what: &str| Fetch {
            url: format!("https://bucket.example/{}/{what}", order.order_id),
            url_expires_at: Timestamp::at(now),
            bytes: names.len() as u64,
            sha256: "00".into(),
        };
        Ok(Matter {
            sheet_pdf: fetch("sheet.pdf"),
            sheet_pages: vec![fetch("sheet-01.png")],
            label: fetch("label.png"),
        })
    }
    async fn put_manifest(
        &self,
        order: &OrderId,
        manifest: &DiscManifest,
        _ttl: Duration,
        now: OffsetDateTime,
    ) -> Result<Fetch, Error> {
        let mut w = self.call("put_manifest")?;
        let url = format!("https://bucket.example/{order}/manifest-{}", w.manifests.len());
        w.manifests.insert(url.clone(), manifest.clone());
        Ok(Fetch {
            url,
            url_expires_at: Timestamp::at(now),
            bytes: 1,
            sha256: "00".into(),
        })
    }
    async fn send_disc_job(&self, _lab: &Lab, job: &DiscJob) -> Result<(), Error> {
        let mut w = self.call("send_disc_job")?;
        if w.dedup.insert(job.job_id.clone()) {
            w.discs.push(job.clone());
        }
        Ok(())
    }
    async fn cancel_whole(&self, order: &Order, _at: Timestamp) -> Result<(), Error> {
        let mut w = self.call("cancel_whole")?;
        let o = w.orders.get_mut(&order.order_id).unwrap();
        if o.status == order.status {
            o.status = OrderStatus::Cancelled;
            o.refund_due = o.received;
        }
        let notice_id = format!("order-cancelled:{}", order.order_id);
        w.mailed.entry(notice_id).or_insert_with(|| Notice {
            notice_id: printvault_domain::notice::NoticeId::parse(&format!(
                "order-cancelled:{}",
                order.order_id
            ))
            .unwrap(),
            to: order.email.clone(),
            message: printvault_domain::notice::Message::OrderCancelled {
                order_id: order.order_id.to_string(),
                points_returned: order.points_redeemed,
                refund: order.received.0,
            },
        });
        Ok(())
    }
}
