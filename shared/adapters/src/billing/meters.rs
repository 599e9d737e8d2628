//! Metering an image in and out (see the parent): optimistic concurrency
//! on the meter's `rev`, in one transaction with the image's `metered` mark.

use anyhow::Context;
use aws_sdk_dynamodb::types::{AttributeValue, TransactWriteItem, Update};
use printvault_domain::billing::{day_of, Change, CloseFirst, Invoice, Meter, Tier};
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
pub(super) const ATTEMPTS: usize = 25;

impl BillingStore {
    /// Moves image `id`'s `bytes` on its owner's meter at unix second `t`,
    /// once: metering in needs the image ready, not being deleted and not
    /// metered yet; metering out needs it metered, and takes its bytes
    /// from the tier its record says (online, or archived: M32). `Ok(false)`
    /// when there was nothing to do (metered before, or never). A change in
    /// a month after the meter's closes that month first (its invoice
    /// issued on the day of `t`); those invoices are returned, for the
    /// caller to follow up.
    pub async fn meter_image(
        &self,
        owner: &CustomerId,
        id: &ImageId,
        bytes: u64,
        t: i64,
        way: Direction,
    ) -> Result<(bool, Vec<Invoice>), Error> {
        let mut closed = Vec::new();
        for _ in 0..ATTEMPTS {
            let change = match way {
                Direction::In => Change::In(bytes),
                Direction::Out => match self.image_mark(owner, id).await? {
                    Some(mark) if mark.metered => Change::Out(mark.tier, bytes),
                    _ => return Ok((false, closed)),
                },
            };
            let put = self.changed_meter(owner, t, change, &mut closed).await?;
            let items = vec![
                put,
                TransactWriteItem::builder()
                    .update(self.mark_image(owner, id, t, change)?)
                    .build(),
            ];
            if transact(&self.db, items, "metering an image").await? {
                return Ok((true, closed));
            }
            if way == Direction::In && !self.image_mark(owner, id).await?.is_some_and(|m| m.needs_in) {
                return Ok((false, closed));
            }
            // Another change moved the meter, or the image moved tier: read
            // them again.
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
        let put = self
            .changed_meter(owner, t, Change::In(bytes), &mut closed)
            .await?;
        Ok((put, closed))
    }

    /// The put of `owner`'s meter with `change` made at `t`, over the
    /// revision read. A meter whose month `t` is past is closed first (its
    /// invoice, if any, added to `closed`) and read again.
    pub(super) async fn changed_meter(
        &self,
        owner: &CustomerId,
        t: i64,
        change: Change,
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
            if let Err(CloseFirst(_)) = meter.apply(t, change) {
                if let Some(Some(inv)) = self.close_month(&rec, day_of(t)).await? {
                    closed.push(inv);
                }
                continue;
            }
            return self.meter_put(owner, &meter, rec.rev);
        }
        Err(Error::Conflict(Clash::Raced))
    }

    /// The image's side of `change`: its `metered` mark, set on the way in
    /// (only if ready, not being deleted and not set), removed on the way
    /// out (only if set, and from the tier the meter takes it from).
    fn mark_image(&self, owner: &CustomerId, id: &ImageId, t: i64, change: Change) -> Result<Update, Error> {
        let out_of = match change {
            Change::In(_) => None,
            Change::Out(tier, _) => Some(tier),
            Change::Archive(_) => {
                return Err(anyhow::anyhow!("an image's archive mark is `archive_image`'s").into())
            }
        };
        let u = Update::builder()
            .table_name(&self.images_table)
            .set_key(Some(key(keys::customer_pk(owner), keys::image_sk(id))));
        let u = match out_of {
            None => u
                .condition_expression(
                    "#st = :ready AND attribute_not_exists(deleting) AND attribute_not_exists(metered)",
                )
                .update_expression("SET metered = :t")
                .expression_attribute_names("#st", "status")
                .expression_attribute_values(":ready", s("ready"))
                .expression_attribute_values(":t", AttributeValue::N(t.to_string())),
            Some(tier) => u
                .condition_expression(match tier {
                    Tier::Online => {
                        "attribute_exists(metered) AND (attribute_not_exists(#arc) OR #arc.#state <> :archived)"
                    }
                    Tier::Archive => "attribute_exists(metered) AND #arc.#state = :archived",
                })
                .update_expression("REMOVE metered")
                .expression_attribute_names("#arc", "archive")
                .expression_attribute_names("#state", "state")
                .expression_attribute_values(":archived", s("archived")),
        };
        Ok(u.build().context("building an image's meter mark")?)
    }

    /// The image's meter mark, read consistently; `None` when it is gone.
    pub(super) async fn image_mark(&self, owner: &CustomerId, id: &ImageId) -> Result<Option<Mark>, Error> {
        let out = self
            .db
            .get_item()
            .table_name(&self.images_table)
            .set_key(Some(key(keys::customer_pk(owner), keys::image_sk(id))))
            .consistent_read(true)
            .send()
            .await
            .context("reading an image's meter mark")?;
        Ok(out.item.map(|item| Mark::of(&item)))
    }
}

/// What an image's record says about its meter.
pub(super) struct Mark {
    pub metered: bool,
    /// Ready, not being deleted, not metered.
    pub needs_in: bool,
    /// The tier its bytes are metered in.
    pub tier: Tier,
    /// Its `archive` claim: disc, state and mover.
    pub claim: Option<(String, String, String)>,
}

impl Mark {
    fn of(item: &crate::dynamo::Item) -> Self {
        let text = |v: Option<&AttributeValue>| v.and_then(|v| v.as_s().ok()).cloned().unwrap_or_default();
        let metered = item.contains_key("metered");
        let ready = text(item.get("status")) == "ready";
        let claim = item
            .get("archive")
            .and_then(|v| v.as_m().ok())
            .map(|m| (text(m.get("disc_id")), text(m.get("state")), text(m.get("mover"))));
        let tier = match &claim {
            Some((_, state, _)) if state == "archived" => Tier::Archive,
            _ => Tier::Online,
        };
        Self {
            metered,
            needs_in: ready && !metered && !item.contains_key("deleting"),
            tier,
            claim,
        }
    }
}

/// A few milliseconds of jitter, so that contending writers spread out.
pub(super) fn rand_ms() -> u64 {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    u64::from(nanos % 20)
}
