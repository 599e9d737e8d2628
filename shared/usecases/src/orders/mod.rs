//! Quotes, orders, points and labs (M15-M21).

mod disc_reports;
pub mod dispatch;
mod payment;
mod place;
mod quote;
pub(crate) use quote::terms as quote_terms;
mod reports;
mod stages;

pub use disc_reports::report_disc;
pub use payment::{confirm_payment, PaymentOutcome};
pub use place::{place, PlaceOrder, Placed};
pub use quote::quote;
pub use reports::report;
pub use stages::{order_with_stages, stages};

use printvault_adapters::ledger::Entry;
use printvault_adapters::Page;
use printvault_domain::account::SessionToken;
use printvault_domain::ids::{CustomerId, OrderId};
use printvault_domain::lab::{Lab, LabRequest};
use printvault_domain::ledger::redemption_reversal;
use printvault_domain::notice::{Message, Notice, NoticeId};
use printvault_domain::order::{Order, OrderStatus, Slug};
use printvault_domain::settings::Settings;
use printvault_domain::when::Timestamp;
use printvault_domain::Error;
use printvault_domain::Thing;
use printvault_domain::{Clash, Rule};
use time::OffsetDateTime;

use crate::Stores;

/// Who is asking about an order.
pub enum Holder<'a> {
    Customer(&'a CustomerId),
    /// A guest, by the token emailed to them.
    Guest(&'a str),
}

/// The order `holder` may see; 404 for anyone else's, as for none.
pub async fn order_of(st: &Stores, holder: &Holder<'_>, id: Option<&OrderId>) -> Result<Order, Error> {
    let id = match (holder, id) {
        (Holder::Customer(_), Some(id)) => id.clone(),
        (Holder::Guest(token), _) => {
            let t = SessionToken::from_presented(token).ok_or(Error::NotFound(Thing::Order))?;
            st.orders
                .order_of_guest(&t.digest())
                .await?
                .ok_or(Error::NotFound(Thing::Order))?
        }
        (Holder::Customer(_), None) => return Err(Error::NotFound(Thing::Order)),
    };
    let order = st.orders.get(&id).await?.ok_or(Error::NotFound(Thing::Order))?;
    match holder {
        Holder::Customer(c) if order.buyer.customer() != Some(*c) => Err(Error::NotFound(Thing::Order)),
        _ => Ok(order),
    }
}

pub async fn list(
    st: &Stores,
    caller: &CustomerId,
    limit: u32,
    cursor: Option<&str>,
) -> Result<Page<Order>, Error> {
    st.orders.list_for(caller, limit, cursor).await
}

/// The guest opened their emailed link and confirmed: the order goes ahead
/// (`awaiting_email` → `placed`). Confirming again changes nothing.
pub async fn confirm_guest(
    st: &Stores,
    settings: &Settings,
    token: &str,
    now: OffsetDateTime,
) -> Result<Order, Error> {
    let order = order_of(st, &Holder::Guest(token), None).await?;
    if order.status == OrderStatus::AwaitingEmail {
        let deadline = order.created_at.time()
            + time::Duration::minutes(i64::from(settings.orders.guest_confirm_ttl_minutes));
        if deadline <= now {
            return Err(Error::Conflict(Clash::NotConfirmedInTime));
        }
        st.orders.confirm_guest(&order.order_id).await?;
        return st
            .orders
            .get(&order.order_id)
            .await?
            .ok_or(Error::NotFound(Thing::Order));
    }
    Ok(order)
}

/// Cancels an order until it is dispatched (M15): the points spent on it
/// come back by a reversal entry, never by an edit, and a paid order's
/// money is marked for refund. Cancelling a cancelled order changes nothing.
pub async fn cancel(
    st: &Stores,
    holder: &Holder<'_>,
    id: Option<&OrderId>,
    now: OffsetDateTime,
) -> Result<Order, Error> {
    let order = order_of(st, holder, id).await?;
    if order.status == OrderStatus::Cancelled {
        // Asked again: finish what a cancellation does after its write.
        release_proposal(st, &order).await?;
        return Ok(order);
    }
    if !order.status.cancellable() {
        return Err(Error::Conflict(Clash::OrderCannotBecome {
            is: order.status,
            to: OrderStatus::Cancelled,
        }));
    }
    let reversal = cancel_reversal(&st.ledger, &order, Timestamp::at(now))?;
    if !st.orders.cancel(&order, reversal).await? {
        // It moved on meanwhile (paid, dispatched or cancelled): answer
        // from where it is now.
        let now_order = st
            .orders
            .get(&order.order_id)
            .await?
            .ok_or(Error::NotFound(Thing::Order))?;
        if now_order.status == OrderStatus::Cancelled {
            return Ok(now_order);
        }
        return Err(Error::Conflict(Clash::OrderMoved {
            now: now_order.status,
        }));
    }
    let cancelled = st
        .orders
        .get(&order.order_id)
        .await?
        .ok_or(Error::NotFound(Thing::Order))?;
    tracing::info!(order = %order.order_id, points_returned = cancelled.points_returned, "order cancelled");
    release_proposal(st, &cancelled).await?;
    st.notices.send(&cancelled_notice(&cancelled)?).await?;
    Ok(cancelled)
}

/// The journal that gives back the points `order` redeemed, when it is
/// cancelled whole.
pub(crate) fn cancel_reversal(
    ledger: &printvault_adapters::ledger::LedgerStore,
    order: &Order,
    at: Timestamp,
) -> Result<Option<printvault_adapters::ledger::JournalItems>, Error> {
    match order.buyer.customer() {
        Some(c) if order.points_redeemed > 0 => Ok(Some(ledger.journal_items(
            &redemption_reversal(&order.order_id, c, order.points_redeemed, "cancel")?,
            at,
        )?)),
        _ => Ok(None),
    }
}

/// The buyer's email that `cancelled` (as it is now) is cancelled, with
/// what came back: one per order.
pub(crate) fn cancelled_notice(cancelled: &Order) -> Result<Notice, Error> {
    Ok(Notice {
        notice_id: NoticeId::parse(&format!("order-cancelled:{}", cancelled.order_id))?,
        to: cancelled.email.clone(),
        message: Message::OrderCancelled {
            order_id: cancelled.order_id.to_string(),
            points_returned: cancelled.points_returned,
            refund: cancelled.refund_due.0,
        },
    })
}

/// A customer's points: the balance, and a page of entries, newest first.
pub async fn points(
    st: &Stores,
    caller: &CustomerId,
    limit: u32,
    cursor: Option<&str>,
) -> Result<(i64, Page<Entry>), Error> {
    let balance = st.ledger.balance(caller).await?;
    Ok((balance, st.ledger.entries(caller, limit, cursor).await?))
}

/// Registers lab `id` for its output locations, or changes its name and
/// locations. A new lab gets a reporting key, shown this once; only its
/// SHA-256 is kept.
pub async fn register_lab(
    st: &Stores,
    id: Slug,
    req: LabRequest,
    now: OffsetDateTime,
) -> Result<(Lab, Option<String>), Error> {
    req.validate()?;
    let before = st.labs.lab(&id).await?;
    let (key, key_digest) = match &before {
        Some(b) => (None, b.key_digest.clone()),
        None => {
            let k = SessionToken::generate();
            let d = k.digest();
            (Some(k), d)
        }
    };
    use printvault_adapters::names::{lab_jobs_dlq, lab_jobs_queue, MAX_QUEUE_NAME};
    let queue = lab_jobs_queue(&st.lab_queue_prefix, id.as_str());
    let dlq = lab_jobs_dlq(&st.lab_queue_prefix, id.as_str());
    if dlq.len() > MAX_QUEUE_NAME {
        return Err(Error::rule(
            "lab",
            Rule::LabIdTooLong {
                queue: dlq,
                max: MAX_QUEUE_NAME,
            },
        ));
    }
    let queue_url = st.lab_queues.ensure(&queue, &dlq).await?;
    let lab = Lab {
        queue_url,
        lab_id: id,
        name: req.name.trim().to_owned(),
        locations: req.locations,
        key_digest,
        created_at: before
            .as_ref()
            .map_or_else(|| Timestamp::at(now), |b| b.created_at),
    };
    st.labs.register(&lab, before.as_ref()).await?;
    Ok((lab, key.map(|k| k.as_str().to_owned())))
}

/// Issues lab `id` a new reporting key, shown this once, and retires the
/// old one at once (no grace period: a lab whose key leaked must lose it
/// now; printlab takes the new key and goes on, its reports are
/// idempotent). Only the new key's SHA-256 is kept. An unknown lab is 404.
pub async fn rotate_lab_key(st: &Stores, id: &Slug) -> Result<(Lab, String), Error> {
    let before = st.labs.lab(id).await?.ok_or(Error::NotFound(Thing::Lab))?;
    let key = SessionToken::generate();
    let lab = Lab {
        key_digest: key.digest(),
        ..before.clone()
    };
    st.labs.rotate_key(&lab, &before.key_digest).await?;
    tracing::info!(lab = %id, "lab key rotated; the old key is retired");
    Ok((lab, key.as_str().to_owned()))
}

/// A cancelled archive order lets its proposal go (M30): it can be ordered
/// again while it is open. Safe to repeat.
async fn release_proposal(st: &Stores, order: &Order) -> Result<(), Error> {
    if let (Some(a), Some(c)) = (&order.archive, order.buyer.customer()) {
        st.archive.release(c, &a.proposal_id, &order.order_id).await?;
    }
    Ok(())
}
