//! M15-M21 quotes, orders, points and labs.

use printvault_adapters::ledger::Entry;
use printvault_adapters::orders::LineRecord;
use printvault_adapters::Page;
use printvault_domain::catalogue::{sku, Medium};
use printvault_domain::ids::{ImageId, OrderId, QuoteId};
use printvault_domain::lab::Lab;
use printvault_domain::lab_report::LineStage;
use printvault_domain::money::Yen;
use printvault_domain::order::{Address, ArchiveTerms, Order, OrderStatus, Quote, QuotedLine};
use printvault_domain::pricing::PrintSize;
use serde::Serialize;
use utoipa::ToSchema;

/// One priced line. Whose image it is stays private: only the terms show.
#[derive(Serialize, ToSchema)]
pub struct LineView {
    pub line: u32,
    pub image_id: ImageId,
    pub size: PrintSize,
    pub quantity: u32,
    /// Size and medium, as the lab is sent it: `L-photo_paper`.
    #[schema(example = "L-photo_paper")]
    pub sku: String,
    /// `own` (the buyer's or their group's image, M16) or `market` (a
    /// stranger's printable image at its owner's price, M17).
    #[schema(example = "own")]
    pub terms: &'static str,
    /// The owner's price per print (0 for `own`).
    pub image_price: Yen,
    /// What the line costs, all copies.
    pub amount: Yen,
    /// Points it earns once printed (0 for a guest).
    pub points: i64,
}

fn lines(lines: &[QuotedLine], medium: Medium) -> Vec<LineView> {
    lines
        .iter()
        .map(|l| LineView {
            line: l.line,
            image_id: l.image_id.clone(),
            size: l.size,
            quantity: l.copies,
            sku: sku(l.size, medium),
            terms: if l.market { "market" } else { "own" },
            image_price: l.image_price,
            amount: l.amount,
            points: l.points,
        })
        .collect()
}

/// A quote: each line's fee and points and the totals, until `expires_at`.
#[derive(Serialize, ToSchema)]
pub struct QuoteView {
    pub quote_id: QuoteId,
    #[schema(value_type = String, example = "tokyo-shibuya")]
    pub location: String,
    pub medium: Medium,
    pub lines: Vec<LineView>,
    /// The medium's fee, once per order (a CD or DVD).
    pub medium_fee: Yen,
    pub total: Yen,
    pub points: i64,
    pub expires_at: String,
    /// An archive disc (M30), with no lines: the disc and its images.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub archive: Option<ArchiveTerms>,
}

impl From<&Quote> for QuoteView {
    fn from(q: &Quote) -> Self {
        Self {
            quote_id: q.quote_id.clone(),
            location: q.location.to_string(),
            medium: q.medium,
            lines: lines(&q.lines, q.medium),
            medium_fee: q.medium_fee,
            total: q.total,
            points: q.points,
            expires_at: q.expires_at.to_string(),
            archive: q.archive.clone(),
        }
    }
}

/// An order, as its buyer sees it.
#[derive(Serialize, ToSchema)]
pub struct OrderView {
    pub order_id: OrderId,
    pub quote_id: QuoteId,
    pub status: OrderStatus,
    /// `customer` or `guest`.
    #[schema(example = "customer")]
    pub buyer: &'static str,
    #[schema(value_type = String, format = Email)]
    pub email: String,
    pub address: Address,
    #[schema(value_type = String, example = "tokyo-shibuya")]
    pub location: String,
    pub medium: Medium,
    pub lines: Vec<LineView>,
    pub medium_fee: Yen,
    pub total: Yen,
    /// Points spent as a discount (1 point = ¥1).
    pub points_redeemed: i64,
    /// What is paid in money: the total less the points spent.
    pub amount_due: Yen,
    /// Points it earns, credited line by line as the lab ships them.
    pub points_earned: i64,
    /// Points given back (a cancelled order gives back all it spent; a
    /// failed line what its money did not cover).
    pub points_returned: i64,
    /// Money received for it: every payment, once each.
    pub received: Yen,
    /// Money to be refunded: everything received that the order does not
    /// keep (a cancelled order's, a failed line's, a duplicate payment).
    pub refund_due: Yen,
    pub created_at: String,
    /// Where each line stands, on a single order only (reading it, placing,
    /// cancelling, a guest's confirm and cancel); absent from the list
    /// `GET /v1/orders`. Once the order is with its lab (`dispatching`,
    /// `dispatched`) every line has one entry, in line order: its stage as
    /// the lab last reported it (`accepted`, `printed`, `shipped` with
    /// carrier and tracking, `failed` with the reason: that line is
    /// refunded), or `dispatched`, since `at`, until the lab reports on it.
    /// Before that it is empty: `status` tells where the order stands. An
    /// order cancelled because none of its lines could be printed lists
    /// them `failed`.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub stages: Option<Vec<LineReportView>>,
    /// An archive disc (M30), with no lines.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub archive: Option<ArchiveTerms>,
}

impl OrderView {
    /// A single order, with each line's stage.
    pub fn with_stages(o: &Order, stages: Vec<LineRecord>) -> Self {
        let stages = Some(stages.into_iter().map(LineReportView::from).collect());
        Self {
            stages,
            ..Self::from(o)
        }
    }
}

impl From<&Order> for OrderView {
    fn from(o: &Order) -> Self {
        Self {
            order_id: o.order_id.clone(),
            quote_id: o.quote_id.clone(),
            status: o.status,
            buyer: if o.buyer.customer().is_some() {
                "customer"
            } else {
                "guest"
            },
            email: o.email.to_string(),
            address: o.address.clone(),
            location: o.location.to_string(),
            medium: o.medium,
            lines: lines(&o.lines, o.medium),
            medium_fee: o.medium_fee,
            total: o.total,
            points_redeemed: o.points_redeemed,
            amount_due: o.amount_due,
            points_earned: o.points_earned,
            points_returned: o.points_returned,
            received: o.received,
            refund_due: o.refund_due,
            created_at: o.created_at.to_string(),
            stages: None,
            archive: o.archive.clone(),
        }
    }
}

/// A page of the caller's orders, newest first, without `stages` (one read
/// per page): `GET /v1/orders/{order_id}` has each line's stage.
#[derive(Serialize, ToSchema)]
pub struct OrderList {
    pub orders: Vec<OrderView>,
    /// Pass back as `cursor` for the next page; null on the last.
    pub next_cursor: Option<String>,
}

impl From<&Page<Order>> for OrderList {
    fn from(p: &Page<Order>) -> Self {
        Self {
            orders: p.items.iter().map(OrderView::from).collect(),
            next_cursor: p.next_cursor.clone(),
        }
    }
}

/// One entry of the caller's points ledger.
#[derive(Serialize, ToSchema)]
pub struct EntryView {
    /// The journal it belongs to: `order:<order>:redeem`, `order:<order>:line-2`, …
    pub journal_id: String,
    pub memo: String,
    /// Credits positive, debits negative.
    pub points: i64,
    pub at: String,
}

/// The caller's points: the balance (the sum of every entry) and a page of
/// entries, newest first.
#[derive(Serialize, ToSchema)]
pub struct PointsView {
    pub balance: i64,
    pub entries: Vec<EntryView>,
    /// Pass back as `cursor` for the next page; null on the last.
    pub next_cursor: Option<String>,
}

impl PointsView {
    pub fn new(balance: i64, page: Page<Entry>) -> Self {
        Self {
            balance,
            entries: page
                .items
                .into_iter()
                .map(|e| EntryView {
                    journal_id: e.journal_id,
                    memo: e.memo,
                    points: e.points,
                    at: e.at.to_string(),
                })
                .collect(),
            next_cursor: page.next_cursor,
        }
    }
}

/// A lab. `key` is shown once, when the lab is made; only its hash is kept.
#[derive(Serialize, ToSchema)]
pub struct LabView {
    #[schema(value_type = String, example = "shibuya-lab")]
    pub lab_id: String,
    pub name: String,
    #[schema(value_type = Vec<String>)]
    pub locations: Vec<String>,
    pub created_at: String,
    /// The lab's reporting key (header `x-lab-key`), on creation and on a
    /// rotation only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
}

impl LabView {
    pub fn new(lab: &Lab, key: Option<String>) -> Self {
        Self {
            lab_id: lab.lab_id.to_string(),
            name: lab.name.clone(),
            locations: lab.locations.iter().map(ToString::to_string).collect(),
            created_at: lab.created_at.to_string(),
            key,
        }
    }
}

/// Where a line stands: its stage as its lab last reported it, since `at`,
/// with the carrier and tracking number of a shipped line or the reason of
/// a failed one. On a buyer's order, a line its lab has not reported on
/// yet is `dispatched`, since the order was sent.
#[derive(Serialize, ToSchema)]
pub struct LineReportView {
    pub line: u32,
    pub stage: LineStage,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub carrier: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tracking: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    pub at: String,
}

impl From<LineRecord> for LineReportView {
    fn from(r: LineRecord) -> Self {
        Self {
            line: r.line,
            stage: r.stage,
            carrier: r.carrier,
            tracking: r.tracking,
            reason: r.reason,
            at: r.at.to_string(),
        }
    }
}
