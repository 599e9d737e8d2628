//! The ledger table: points accounts and their immutable entries (M18).
//!
//! | pk                | sk                 | holds                              |
//! |-------------------|--------------------|------------------------------------|
//! | `ACCT#<account>`  | `BALANCE`          | the balance, changed only with entries |
//! | `ACCT#<account>`  | `ENTRY#<journal>`  | one posting of a journal (immutable) |
//!
//! A journal is written as transaction items ([`journal_items`]) that the
//! caller puts in the same transaction as the state change it pays for (an
//! order placed, a line printed). Each entry is put only if absent, so a
//! journal is written once; each balance is changed by `ADD`, and a debit
//! of an account that must stay non-negative carries the condition that the
//! balance covers it. Positions in [`JournalItems::guarded`] say which
//! failed condition meant "not enough points".

use anyhow::Context;
use aws_sdk_dynamodb::types::{AttributeValue, Put, TransactWriteItem, Update};
use printvault_domain::ids::CustomerId;
use printvault_domain::ledger::{Account, Journal};
use printvault_domain::when::Timestamp;
use printvault_domain::Error;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

use crate::dynamo::{item_with_key, key};
use crate::Page;

const BALANCE_SK: &str = "BALANCE";
const ENTRY_PREFIX: &str = "ENTRY#";

fn account_pk(a: &Account) -> String {
    format!("ACCT#{a}")
}

/// One posting as stored, and as a customer's statement shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    pub journal_id: String,
    pub memo: String,
    /// Credits positive, debits negative.
    pub points: i64,
    pub at: Timestamp,
}

#[derive(Clone, Debug)]
pub struct LedgerStore {
    db: aws_sdk_dynamodb::Client,
    table: String,
}

/// A journal's transaction items, and which of them may fail for want of
/// points (by position among them).
pub struct JournalItems {
    pub items: Vec<TransactWriteItem>,
    pub guarded: Vec<usize>,
}

impl LedgerStore {
    pub fn new(db: aws_sdk_dynamodb::Client, table: impl Into<String>) -> Self {
        Self {
            db,
            table: table.into(),
        }
    }

    /// The items that write `journal` at `at`.
    pub fn journal_items(&self, journal: &Journal, at: Timestamp) -> Result<JournalItems, Error> {
        let mut out = JournalItems {
            items: Vec::with_capacity(journal.postings.len() * 2),
            guarded: Vec::new(),
        };
        for p in &journal.postings {
            let pk = account_pk(&p.account);
            let entry = Entry {
                journal_id: journal.id.clone(),
                memo: journal.memo.clone(),
                points: p.points,
                at,
            };
            let put = Put::builder()
                .table_name(&self.table)
                .set_item(Some(item_with_key(
                    &entry,
                    pk.clone(),
                    format!("{ENTRY_PREFIX}{}", journal.id),
                )?))
                .condition_expression("attribute_not_exists(pk)")
                .build()
                .context("building a ledger entry")?;
            out.items.push(TransactWriteItem::builder().put(put).build());
            let mut update = Update::builder()
                .table_name(&self.table)
                .set_key(Some(key(pk, BALANCE_SK)))
                .update_expression("ADD balance :d")
                .expression_attribute_values(":d", AttributeValue::N(p.points.to_string()));
            if p.points < 0 && p.account.must_stay_non_negative() {
                update = update
                    .condition_expression("balance >= :need")
                    .expression_attribute_values(":need", AttributeValue::N((-p.points).to_string()));
                out.guarded.push(out.items.len());
            }
            let update = update.build().context("building a balance change")?;
            out.items
                .push(TransactWriteItem::builder().update(update).build());
        }
        Ok(out)
    }

    /// Writes `journal` on its own. False when it was written before (its
    /// entries exist) or a debit is not covered.
    pub async fn post(&self, journal: &Journal, at: Timestamp) -> Result<bool, Error> {
        let items = self.journal_items(journal, at)?.items;
        crate::dynamo::transact(&self.db, items, "posting a journal").await
    }

    /// A customer's balance (0 before their first entry).
    pub async fn balance(&self, c: &CustomerId) -> Result<i64, Error> {
        self.balance_of(&Account::Customer(c.clone())).await
    }

    pub async fn balance_of(&self, a: &Account) -> Result<i64, Error> {
        let out = self
            .db
            .get_item()
            .table_name(&self.table)
            .set_key(Some(key(account_pk(a), BALANCE_SK)))
            .consistent_read(true)
            .send()
            .await
            .context("reading a balance")?;
        Ok(out
            .item
            .and_then(|i| {
                i.get("balance")
                    .and_then(|v| v.as_n().ok())
                    .and_then(|n| n.parse().ok())
            })
            .unwrap_or(0))
    }

    /// A customer's entries, newest first.
    pub async fn entries(
        &self,
        c: &CustomerId,
        limit: u32,
        cursor: Option<&str>,
    ) -> Result<Page<Entry>, Error> {
        let pk = account_pk(&Account::Customer(c.clone()));
        let valid = |sk: &str| sk.starts_with(ENTRY_PREFIX) && sk.len() < 300;
        crate::dynamo::page_newest_first(
            &self.db,
            &self.table,
            &pk,
            ENTRY_PREFIX,
            crate::dynamo::PageOf { limit, cursor },
            valid,
            "ledger entries",
        )
        .await
    }

    /// The invariant check: recomputes every account's balance from its
    /// entries and compares it with the stored balance, and checks that all
    /// entries together sum to zero. Scans the whole table: for tests and
    /// operators (`local-runner ledger check`), never for a request.
    pub async fn audit(&self) -> anyhow::Result<Audit> {
        let mut sums: HashMap<String, i64> = HashMap::new();
        let mut balances: HashMap<String, i64> = HashMap::new();
        let mut journals: HashMap<String, i64> = HashMap::new();
        let mut start = None;
        loop {
            let page = self
                .db
                .scan()
                .table_name(&self.table)
                .consistent_read(true)
                .set_exclusive_start_key(start)
                .send()
                .await
                .context("scanning the ledger")?;
            for item in page.items.unwrap_or_default() {
                let text = |k: &str| {
                    item.get(k)
                        .and_then(|v| v.as_s().ok())
                        .cloned()
                        .unwrap_or_default()
                };
                let num = |k: &str| {
                    item.get(k)
                        .and_then(|v| v.as_n().ok())
                        .and_then(|n| n.parse::<i64>().ok())
                        .unwrap_or(0)
                };
                let (pk, sk) = (text("pk"), text("sk"));
                if sk == BALANCE_SK {
                    balances.insert(pk, num("balance"));
                } else if sk.starts_with(ENTRY_PREFIX) {
                    *sums.entry(pk).or_default() += num("points");
                    *journals.entry(text("journal_id")).or_default() += num("points");
                }
            }
            start = page.last_evaluated_key;
            if start.is_none() {
                break;
            }
        }
        let mut problems = Vec::new();
        for (account, sum) in &sums {
            let stored = balances.get(account).copied().unwrap_or(0);
            if stored != *sum {
                problems.push(format!("{account}: balance {stored}, entries sum to {sum}"));
            }
            let customer = account.strip_prefix("ACCT#").and_then(Account::parse);
            if customer.is_some_and(|a| a.must_stay_non_negative()) && stored < 0 {
                problems.push(format!("{account}: balance {stored} is below zero"));
            }
        }
        for (journal, sum) in &journals {
            if *sum != 0 {
                problems.push(format!("journal {journal} sums to {sum}, not zero"));
            }
        }
        Ok(Audit {
            accounts: sums.len(),
            journals: journals.len(),
            problems,
        })
    }
}

/// What [`LedgerStore::audit`] found.
#[derive(Debug)]
pub struct Audit {
    pub accounts: usize,
    pub journals: usize,
    /// Empty when every balance is the sum of its entries, none that must
    /// stay non-negative is below zero, and every journal sums to zero.
    pub problems: Vec<String>,
}
