//! The points ledger (M18), double-entry.
//!
//! Points move only as a [`Journal`]: postings to accounts that sum to zero,
//! under a deterministic ID, so writing the same journal twice is one write
//! (entries are immutable and idempotent by ID). Each account keeps its
//! balance beside its entries, changed only in the transaction that writes
//! them. Customer accounts must never go below zero (TigerBeetle's
//! `debits_must_not_exceed_credits`); the operator's *source* accounts
//! (rewards issued, sales collected) go negative by design, as control
//! accounts do.
//!
//! The journals of one order:
//! - `redeem`: the buyer spends points as a discount (1 point = ¥1, M18):
//!   buyer −R, operator redemptions +R. Written when the order is placed,
//!   so two orders cannot spend the same points.
//! - `redeem-reversal`: a cancelled order, or a refunded line, gives them
//!   back: buyer +r, operator redemptions −r. Never an edit.
//! - `line-<n>`: when a line is printed, the buyer earns its points
//!   (rewards −E, buyer +E) and a stranger's image pays out its price
//!   (sales −P, owner +share, operator commission +(P − share)).

use crate::Rule;
use std::collections::BTreeMap;
use std::fmt;

use crate::ids::{CustomerId, OrderId};
use crate::pricing::LinePrice;
use crate::Error;

/// Operator accounts are spread over this many shards each, picked by the
/// order, so that no single balance item takes every order's write.
pub const OPERATOR_SHARDS: u32 = 8;

/// The operator's accounts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum OperatorAccount {
    /// Points issued as rewards (a source: its balance is minus all issued).
    Rewards,
    /// Image prices collected from buyers on owners' behalf (a source).
    Sales,
    /// Points buyers spent as a discount.
    Redemptions,
    /// The operator's part of images' prices (M17).
    Commission,
}

impl OperatorAccount {
    fn as_str(self) -> &'static str {
        match self {
            Self::Rewards => "rewards",
            Self::Sales => "sales",
            Self::Redemptions => "redemptions",
            Self::Commission => "commission",
        }
    }
}

/// Whose points.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Account {
    Customer(CustomerId),
    Operator(OperatorAccount, u32),
}

impl Account {
    /// An operator account's shard for `order`.
    pub fn operator(kind: OperatorAccount, order: &OrderId) -> Self {
        let h = order
            .as_str()
            .bytes()
            .fold(0u32, |h, b| h.wrapping_mul(31).wrapping_add(u32::from(b)));
        Self::Operator(kind, h % OPERATOR_SHARDS)
    }

    /// The balance may not go below zero: every account but the sources.
    pub fn must_stay_non_negative(&self) -> bool {
        !matches!(
            self,
            Self::Operator(OperatorAccount::Rewards | OperatorAccount::Sales, _)
        )
    }

    /// Parses [`Account`]'s `Display` form back.
    pub fn parse(s: &str) -> Option<Self> {
        if let Ok(c) = CustomerId::parse(s) {
            return Some(Self::Customer(c));
        }
        let mut parts = s.strip_prefix("operator:")?.split(':');
        let kind = match parts.next()? {
            "rewards" => OperatorAccount::Rewards,
            "sales" => OperatorAccount::Sales,
            "redemptions" => OperatorAccount::Redemptions,
            "commission" => OperatorAccount::Commission,
            _ => return None,
        };
        let shard = parts.next()?.parse().ok().filter(|n| *n < OPERATOR_SHARDS)?;
        parts.next().is_none().then_some(Self::Operator(kind, shard))
    }
}

impl fmt::Display for Account {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Customer(c) => f.write_str(c.as_str()),
            Self::Operator(k, shard) => write!(f, "operator:{}:{shard}", k.as_str()),
        }
    }
}

/// One account's side of a journal: positive credits, negative debits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Posting {
    pub account: Account,
    pub points: i64,
}

/// Postings that sum to zero, at most one per account, none zero.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Journal {
    /// Deterministic: `order:<order>:redeem`, `order:<order>:line-3`, …
    pub id: String,
    /// What it was for, shown in the customer's statement.
    pub memo: String,
    pub postings: Vec<Posting>,
}

impl Journal {
    /// Merges postings per account and drops those that cancel out.
    /// Refuses postings that do not sum to zero.
    pub fn new(id: String, memo: String, postings: Vec<Posting>) -> Result<Self, Error> {
        let mut by_account: BTreeMap<Account, i64> = BTreeMap::new();
        for p in postings {
            *by_account.entry(p.account).or_default() += p.points;
        }
        let sum: i64 = by_account.values().sum();
        if sum != 0 {
            return Err(Error::Unexpected(anyhow::anyhow!(
                "journal {id} does not balance: its postings sum to {sum}"
            )));
        }
        Ok(Self {
            id,
            memo,
            postings: by_account
                .into_iter()
                .filter(|(_, p)| *p != 0)
                .map(|(account, points)| Posting { account, points })
                .collect(),
        })
    }

    pub fn is_empty(&self) -> bool {
        self.postings.is_empty()
    }
}

/// `buyer` spends `points` on `order` (a discount of as many yen).
pub fn redemption(order: &OrderId, buyer: &CustomerId, points: i64) -> Result<Journal, Error> {
    Journal::new(
        format!("order:{order}:redeem"),
        format!("spent on order {order}"),
        vec![
            Posting {
                account: Account::Customer(buyer.clone()),
                points: -points,
            },
            Posting {
                account: Account::operator(OperatorAccount::Redemptions, order),
                points,
            },
        ],
    )
}

/// Gives `points` of a redemption back, under `tag` (`cancel`, `line-3`).
pub fn redemption_reversal(
    order: &OrderId,
    buyer: &CustomerId,
    points: i64,
    tag: &str,
) -> Result<Journal, Error> {
    Journal::new(
        format!("order:{order}:redeem-reversal:{tag}"),
        format!("returned from order {order} ({tag})"),
        vec![
            Posting {
                account: Account::Customer(buyer.clone()),
                points,
            },
            Posting {
                account: Account::operator(OperatorAccount::Redemptions, order),
                points: -points,
            },
        ],
    )
}

/// A printed line: the buyer (none for a guest) earns its points, and the
/// image's price goes to its owner's share and the operator's commission.
pub fn line_settlement(
    order: &OrderId,
    line: u32,
    buyer: Option<&CustomerId>,
    owner: &CustomerId,
    price: &LinePrice,
) -> Result<Journal, Error> {
    let mut postings = Vec::new();
    if let Some(b) = buyer.filter(|_| price.points > 0) {
        postings.push(Posting {
            account: Account::operator(OperatorAccount::Rewards, order),
            points: -price.points,
        });
        postings.push(Posting {
            account: Account::Customer(b.clone()),
            points: price.points,
        });
    }
    let image_price = price.owner_share.0 + price.commission.0;
    if image_price > 0 {
        postings.extend([
            Posting {
                account: Account::operator(OperatorAccount::Sales, order),
                points: -image_price,
            },
            Posting {
                account: Account::Customer(owner.clone()),
                points: price.owner_share.0,
            },
            Posting {
                account: Account::operator(OperatorAccount::Commission, order),
                points: price.commission.0,
            },
        ]);
    }
    Journal::new(
        format!("order:{order}:line-{line}"),
        format!("line {line} of order {order} printed"),
        postings,
    )
}

/// A month's storage points (M25), credited with its invoice `invoice`
/// (deterministic: crediting twice credits once). The operator's rewards
/// shard is the customer's `shard`.
pub fn storage_points(
    invoice: &str,
    customer: &CustomerId,
    points: i64,
    shard: u32,
) -> Result<Journal, Error> {
    if points <= 0 {
        return Err(Error::rule("points", Rule::NotPositive));
    }
    Journal::new(
        format!("storage:{invoice}"),
        format!("storage points for invoice {invoice}"),
        vec![
            Posting {
                account: Account::Operator(OperatorAccount::Rewards, shard % OPERATOR_SHARDS),
                points: -points,
            },
            Posting {
                account: Account::Customer(customer.clone()),
                points,
            },
        ],
    )
}

/// Points the operator gives a customer (customer service, a promotion),
/// under a deterministic `id` so that giving twice gives once.
pub fn goodwill(id: &str, customer: &CustomerId, points: i64, memo: &str) -> Result<Journal, Error> {
    if points <= 0 {
        return Err(Error::rule("points", Rule::NotPositive));
    }
    Journal::new(
        format!("goodwill:{id}"),
        memo.to_owned(),
        vec![
            Posting {
                account: Account::Operator(OperatorAccount::Rewards, 0),
                points: -points,
            },
            Posting {
                account: Account::Customer(customer.clone()),
                points,
            },
        ],
    )
}

#[cfg(test)]
mod tests;
