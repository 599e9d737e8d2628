//! Metering an image in and out (see the parent): optimistic concurrency
//! on the meter's `rev`, in one transaction with the image's `metered` mark.

use anyhow::Context;
use aws_sdk_dynamodb::types::{AttributeValue, TransactWriteItem, Update};
use printvault_domain::billing::{day_of, CloseFirst, Invoice, Meter};
use printvault_domain::ids::{CustomerId, ImageId};
use printvault_domain::Clash;
use printvault_domain::Error;

use super::{BillingStore, MeterRecord};
use crate::dynamo::{key, s, transact};
use crate::keys;

/// Which way an image's bytes move on the meter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// The image became ready: its bytes count from `t`.
    In,
    /// The image is being deleted: its bytes stop counting at `t`.
    Out,
}

/// Tries before a meter change gives up under contention.
const ATTEMPTS: usize = 25;

impl BillingStore {
    /// Moves image `id`'s `bytes` on its owner's meter at unix second `t`,
    /// once: metering in needs the image ready, not being deleted and not
    /// metered yet; metering out needs it metered. `Ok(false)` when there
    /// was nothing to do (metered before, or never). A change in a month
    /// after the meter's closes that month first (its invoice issued on the
    /// day of `t`); those invoices are returned, for the caller to follow up.
    pub async fn meter_image(
        &self,
        owner: &CustomerId,
        id: &ImageId,
        bytes: u64,
        t: i64,
        way: Direction,
    ) -> Result<(bool, Vec<Invoice>), Error> {
        let mut closed = Vec::new();
        let delta = match way {
            Direction::In => bytes as i64,
            Direction::Out => -(bytes as i64),
        };
        for _ in 0..ATTEMPTS {
            let put = self.changed_meter(owner, t, delta, &mut closed).await?;
            let items = vec![
                put,
                TransactWriteItem::builder()
                    .update(self.mark_image(owner, id, t, way)?)
                    .build(),
            ];
            if transact(&self.db, items, "metering an image").await? {
                return Ok((true, closed));
            }
            if !self.image_needs(owner, id, way).await? {
                return Ok((false, closed));
            }
            // Another change moved the meter: read it again.
            tokio::time::sleep(std::time::Duration::from_millis(5 + rand_ms())).await;
        }
        Err(Error::Conflict(Clash::Raced))
    }

    /// The meter's write that puts `bytes` on `owner`'s meter at unix
    /// second `t`, for a transaction that also marks the image metered (an
    /// upload settling as ready: `ready` and metered are one write). A month
    /// the change falls after is closed first; its invoices are returned.
    /// The write lands only over the revision read: a transaction that
    /// fails on it reads the meter again.
    pub async fn meter_in_item(
        &self,
        owner: &CustomerId,
        bytes: u64,
        t: i64,
    ) -> Result<(TransactWriteItem, Vec<Invoice>), Error> {
        let mut closed = Vec::new();
        let put = self.changed_meter(owner, t, bytes as i64, &mut closed).await?;
        Ok((put, closed))
    }

    /// The put of `owner`'s meter changed by `delta` bytes at `t` (one
    /// image in, or out when negative), over the revision read. A meter whose month `t` is past is closed first (its
    /// invoice, if any, added to `closed`) and read again.
    async fn changed_meter(
        &self,
        owner: &CustomerId,
        t: i64,
        delta: i64,
        closed: &mut Vec<Invoice>,
    ) -> Result<TransactWriteItem, Error> {
        for _ in 0..ATTEMPTS {
            let stored = self.meter(owner).await?;
            let mut meter = Meter::for_change(stored.as_ref().map(|r| &r.meter), t);
            let rec = stored.unwrap_or_else(|| MeterRecord {
                customer: owner.clone(),
                meter: meter.clone(),
                rev: 0,
            });
            if let Err(CloseFirst(_)) = meter.change(t, delta) {
                if let Some(Some(inv)) = self.close_month(&rec, day_of(t)).await? {
                    closed.push(inv);
                }
                continue;
            }
            meter.count_image(delta >= 0);
            return self.meter_put(owner, &meter, rec.rev);
        }
        Err(Error::Conflict(Clash::Raced))
    }

    fn mark_image(&self, owner: &CustomerId, id: &ImageId, t: i64, way: Direction) -> Result<Update, Error> {
        let u = Update::builder()
            .table_name(&self.images_table)
            .set_key(Some(key(keys::customer_pk(owner), keys::image_sk(id))));
        let u = match way {
            Direction::In => u
                .condition_expression(
                    "#st = :ready AND attribute_not_exists(deleting) AND attribute_not_exists(metered)",
                )
                .update_expression("SET metered = :t")
                .expression_attribute_names("#st", "status")
                .expression_attribute_values(":ready", s("ready"))
                .expression_attribute_values(":t", AttributeValue::N(t.to_string())),
            Direction::Out => u
                .condition_expression("attribute_exists(metered)")
                .update_expression("REMOVE metered"),
        };
        Ok(u.build().context("building an image's meter mark")?)
    }

    /// Whether the image still needs metering `way` (read consistently).
    async fn image_needs(&self, owner: &CustomerId, id: &ImageId, way: Direction) -> Result<bool, Error> {
        let out = self
            .db
            .get_item()
            .table_name(&self.images_table)
            .set_key(Some(key(keys::customer_pk(owner), keys::image_sk(id))))
            .consistent_read(true)
            .send()
            .await
            .context("reading an image's meter mark")?;
        let Some(item) = out.item else { return Ok(false) };
        let metered = item.contains_key("metered");
        let ready = item.get("status").and_then(|v| v.as_s().ok()).map(String::as_str) == Some("ready");
        Ok(match way {
            Direction::In => ready && !metered && !item.contains_key("deleting"),
            Direction::Out => metered,
        })
    }
}

/// A few milliseconds of jitter, so that contending writers spread out.
fn rand_ms() -> u64 {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    u64::from(nanos % 20)
}
