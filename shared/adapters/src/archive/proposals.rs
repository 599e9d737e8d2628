//! Proposals (M29, M30): one open per customer, put with the schedule's
//! `open`; lapsed with it cleared; held by an order while one does.

use anyhow::Context;
use aws_sdk_dynamodb::types::{TransactWriteItem, Update};
use printvault_domain::archive::{Proposal, ProposalStatus, ProposalSummary};
use printvault_domain::billing::day_str;
use printvault_domain::ids::{CustomerId, OrderId, ProposalId};
use printvault_domain::Error;
use time::Date;

use super::{status_av, ArchiveStore};
use crate::dynamo::{is_condition_failure, item_with_key, key, put, s, transact, write_failed};
use crate::keys;

impl ArchiveStore {
    /// One of `c`'s proposals.
    pub async fn proposal(&self, c: &CustomerId, id: &ProposalId) -> Result<Option<Proposal>, Error> {
        crate::dynamo::get_one(
            &self.db,
            &self.table,
            keys::customer_pk(c),
            &keys::proposal_sk(id),
            "an archive proposal",
        )
        .await
    }

    /// A page of `c`'s proposals, newest first, without their images.
    pub async fn proposals(
        &self,
        c: &CustomerId,
        limit: u32,
        cursor: Option<&str>,
    ) -> Result<crate::Page<ProposalSummary>, Error> {
        crate::dynamo::page_newest_first_of(
            &self.db,
            &self.table,
            (&keys::customer_pk(c), keys::PROPOSAL_SK_PREFIX),
            crate::dynamo::PageOf { limit, cursor },
            |sk| crate::cursor::is_prefixed_id(sk, keys::PROPOSAL_SK_PREFIX, ProposalId::parse),
            "archive proposals",
            &ProposalSummary::ATTRIBUTES,
        )
        .await
    }

    /// Puts `p` as its owner's open proposal, in one transaction with the
    /// schedule's `open`: `false` (nothing written) when one is open.
    pub async fn open(&self, p: &Proposal) -> Result<bool, Error> {
        let item = item_with_key(p, keys::customer_pk(&p.owner), keys::proposal_sk(&p.proposal_id))?;
        let mark = Update::builder()
            .table_name(&self.table)
            .set_key(Some(key(keys::customer_pk(&p.owner), keys::ARCHIVE_SCHEDULE_SK)))
            .update_expression("SET #open = :id, customer = :c")
            .condition_expression("attribute_not_exists(#open)")
            .expression_attribute_names("#open", "open")
            .expression_attribute_values(":id", s(p.proposal_id.as_str()))
            .expression_attribute_values(":c", s(p.owner.as_str()))
            .build()
            .context("building a proposal's mark")?;
        transact(
            &self.db,
            vec![
                put(&self.table, item, Some("attribute_not_exists(pk)"))?,
                TransactWriteItem::builder().update(mark).build(),
            ],
            "opening an archive proposal",
        )
        .await
    }

    /// The write that lets order `order` hold `owner`'s proposal `id`, for
    /// the order's placement transaction: it lands only while the proposal
    /// is open (not lapsed, not held by another order) on `today`.
    pub fn claim_item(
        &self,
        owner: &CustomerId,
        id: &ProposalId,
        order: &OrderId,
        today: Date,
    ) -> Result<TransactWriteItem, Error> {
        let u = Update::builder()
            .table_name(&self.table)
            .set_key(Some(key(keys::customer_pk(owner), keys::proposal_sk(id))))
            .update_expression("SET #st = :ordered, order_id = :o")
            .condition_expression("#st = :open AND expires_on > :today AND attribute_not_exists(order_id)")
            .expression_attribute_names("#st", "status")
            .expression_attribute_values(":ordered", status_av(ProposalStatus::Ordered)?)
            .expression_attribute_values(":open", status_av(ProposalStatus::Open)?)
            .expression_attribute_values(":o", s(order.as_str()))
            .expression_attribute_values(":today", s(day_str(today)))
            .build()
            .context("building a proposal's claim")?;
        Ok(TransactWriteItem::builder().update(u).build())
    }

    /// Frees `owner`'s proposal `id` from cancelled order `order`: open
    /// again (lapsed at the sweep's next look if past its last day).
    /// `false` when that order did not hold it (released before).
    pub async fn release(&self, owner: &CustomerId, id: &ProposalId, order: &OrderId) -> Result<bool, Error> {
        let out = self
            .db
            .update_item()
            .table_name(&self.table)
            .set_key(Some(key(keys::customer_pk(owner), keys::proposal_sk(id))))
            .update_expression("SET #st = :open REMOVE order_id")
            .condition_expression("order_id = :o")
            .expression_attribute_names("#st", "status")
            .expression_attribute_values(":open", status_av(ProposalStatus::Open)?)
            .expression_attribute_values(":o", s(order.as_str()))
            .send()
            .await;
        match out {
            Ok(_) => Ok(true),
            Err(e) if is_condition_failure(&e) => Ok(false),
            Err(e) => Err(write_failed(e, "releasing an archive proposal")),
        }
    }

    /// Frees `owner`'s schedule of proposal `id` (its disc is written, M32):
    /// a new proposal may be made at a later look. Safe to repeat.
    pub async fn free_schedule(&self, owner: &CustomerId, id: &ProposalId) -> Result<(), Error> {
        let out = self
            .db
            .update_item()
            .table_name(&self.table)
            .set_key(Some(key(keys::customer_pk(owner), keys::ARCHIVE_SCHEDULE_SK)))
            .update_expression("REMOVE #open")
            .condition_expression("#open = :id")
            .expression_attribute_names("#open", "open")
            .expression_attribute_values(":id", s(id.as_str()))
            .send()
            .await;
        match out {
            Ok(_) => Ok(()),
            Err(e) if is_condition_failure(&e) => Ok(()),
            Err(e) => Err(write_failed(e, "freeing an archive schedule")),
        }
    }

    /// Lapses open proposal `p` and frees its owner's schedule, together:
    /// `false` when it was not open any more.
    pub async fn lapse(&self, p: &Proposal) -> Result<bool, Error> {
        let status = Update::builder()
            .table_name(&self.table)
            .set_key(Some(key(
                keys::customer_pk(&p.owner),
                keys::proposal_sk(&p.proposal_id),
            )))
            .update_expression("SET #st = :lapsed")
            .condition_expression("#st = :open")
            .expression_attribute_names("#st", "status")
            .expression_attribute_values(":lapsed", status_av(ProposalStatus::Lapsed)?)
            .expression_attribute_values(":open", status_av(ProposalStatus::Open)?)
            .build()
            .context("building a proposal's lapse")?;
        let free = Update::builder()
            .table_name(&self.table)
            .set_key(Some(key(keys::customer_pk(&p.owner), keys::ARCHIVE_SCHEDULE_SK)))
            .update_expression("REMOVE #open")
            .condition_expression("#open = :id")
            .expression_attribute_names("#open", "open")
            .expression_attribute_values(":id", s(p.proposal_id.as_str()))
            .build()
            .context("building a schedule's release")?;
        transact(
            &self.db,
            vec![
                TransactWriteItem::builder().update(status).build(),
                TransactWriteItem::builder().update(free).build(),
            ],
            "lapsing an archive proposal",
        )
        .await
    }
}
