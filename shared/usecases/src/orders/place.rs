//! Placing an order from a quote (M15-M19), once per `Idempotency-Key`.

use printvault_adapters::orders::{Claim, KeyRef, PlaceRefusal, Placement};
use printvault_domain::account::{Email, SessionToken};
use printvault_domain::ids::{CustomerId, OrderId};
use printvault_domain::ledger::redemption;
use printvault_domain::notice::{Message, Notice, NoticeId};
use printvault_domain::order::{BuyerRef, IdempotencyKey, KeyScope, Order, OrderRequest};
use printvault_domain::settings::Settings;
use printvault_domain::when::Timestamp;
use printvault_domain::Error;
use printvault_domain::Thing;
use printvault_domain::{Clash, Rule};
use time::OffsetDateTime;

use crate::Stores;

/// A guest's order token stays usable (to see and cancel the order) this long.
const GUEST_TOKEN_DAYS: i64 = 90;

/// One POST of an order.
pub struct PlaceOrder<'a> {
    /// None: a guest.
    pub caller: Option<&'a CustomerId>,
    pub key: IdempotencyKey,
    /// SHA-256 of the canonical body (`order::fingerprint`).
    pub fingerprint: String,
    pub request: OrderRequest,
    /// The api's public base URL, for the guest's emailed link.
    pub base: &'a str,
}

/// What the POST did.
#[derive(Debug)]
pub enum Placed {
    /// A new order.
    New(Order),
    /// The same request came again with the same key: the same order.
    Replayed(Order),
}

pub async fn place(
    st: &Stores,
    settings: &Settings,
    p: PlaceOrder<'_>,
    now: OffsetDateTime,
) -> Result<Placed, Error> {
    let o = &settings.orders;
    // Each caller's keys are their own: a customer's, or a guest's by the
    // address they give (so a guest without a valid one is refused here).
    let scope = match p.caller {
        Some(c) => KeyScope::customer(c),
        None => KeyScope::guest(&guest_email(&p.request)?),
    };
    let key = KeyRef {
        scope: scope.as_str(),
        key: &p.key,
    };
    let claim = st
        .orders
        .claim_key(
            &key,
            &p.fingerprint,
            now.unix_timestamp(),
            i64::from(o.idempotency_lease_secs),
            i64::from(o.idempotency_ttl_hours) * 3600,
        )
        .await?;
    let token = match claim {
        Claim::Fresh { token } => token,
        Claim::Replay(id) => {
            let order = st.orders.get(&id).await?.ok_or(Error::NotFound(Thing::Order))?;
            // A replay answers only the caller whose order it is (a key
            // of another scope, such as guests' shared one before keys
            // were per guest, is a mismatch and shows nothing).
            if !made_by(&order, p.caller, &p.request) {
                tracing::warn!(order = %order.order_id, "an Idempotency-Key replay for another caller's order was refused");
                return Err(mismatch());
            }
            return Ok(Placed::Replayed(order));
        }
        Claim::Mismatch => return Err(mismatch()),
        Claim::InFlight => return Err(Error::Conflict(Clash::KeyInFlight)),
    };
    match place_claimed(st, settings, &p, &key, &token, now).await {
        Ok(order) => Ok(Placed::New(order)),
        Err(e) => {
            // A refused request gives its key back, so it can be retried.
            st.orders.release_key(&key, &token).await?;
            Err(e)
        }
    }
}

fn mismatch() -> Error {
    Error::CannotApply(printvault_domain::CannotApply::KeyReused)
}

/// A guest's address, which scopes their keys and receives their link.
fn guest_email(req: &OrderRequest) -> Result<Email, Error> {
    match &req.email {
        Some(e) => Email::parse(e),
        None => Err(Error::rule("email", Rule::GuestGivesEmail)),
    }
}

/// Whether `order` is the caller's: the customer's own, or a guest order
/// for the address this guest gives.
fn made_by(order: &Order, caller: Option<&CustomerId>, req: &OrderRequest) -> bool {
    match (&order.buyer, caller) {
        (BuyerRef::Customer { customer_id }, Some(c)) => customer_id == c,
        (BuyerRef::Guest, None) => guest_email(req).is_ok_and(|e| e == order.email),
        _ => false,
    }
}

async fn place_claimed(
    st: &Stores,
    settings: &Settings,
    p: &PlaceOrder<'_>,
    key: &KeyRef<'_>,
    token: &str,
    now: OffsetDateTime,
) -> Result<Order, Error> {
    let req = &p.request;
    req.address.validate()?;
    let quote = st
        .orders
        .quote(&req.quote_id)
        .await?
        .filter(|q| q.buyer.customer() == p.caller)
        .ok_or_else(|| Error::rule("quote_id", Rule::NotYourQuote))?;
    if quote.expires_at.time() <= now {
        return Err(Error::Conflict(Clash::QuoteExpired { at: quote.expires_at }));
    }
    let email = match (&quote.buyer, &req.email) {
        (BuyerRef::Customer { customer_id }, None) => {
            crate::sharing::profiles::customer(st, customer_id).await?.email
        }
        (BuyerRef::Customer { .. }, Some(_)) => return Err(Error::rule("email", Rule::CustomerGivesNoEmail)),
        (BuyerRef::Guest, _) => guest_email(req)?,
    };
    let order = Order::from_quote(
        OrderId::generate(),
        quote,
        email,
        req.address.clone(),
        req.points,
        Timestamp::at(now),
    )?;
    let redemption = match order.buyer.customer() {
        Some(c) if order.points_redeemed > 0 => Some(st.ledger.journal_items(
            &redemption(&order.order_id, c, order.points_redeemed)?,
            order.created_at,
        )?),
        _ => None,
    };
    // One check per image (a transaction touches an item once), naming the
    // first line that prints it.
    let mut check_lines: Vec<u32> = Vec::new();
    let mut checks = Vec::new();
    // An archive disc holds its proposal, in the same transaction: one
    // order per proposal, and only while it is open (check 1, line 0).
    if let (Some(a), Some(c)) = (&order.archive, order.buyer.customer()) {
        checks.push(
            st.archive
                .claim_item(c, &a.proposal_id, &order.order_id, now.date())?,
        );
        check_lines.push(0);
    }
    let mut seen = std::collections::HashSet::new();
    for l in &order.lines {
        if seen.insert(&l.image_id) {
            let market = order.lines.iter().any(|m| m.image_id == l.image_id && m.market);
            checks.push(st.images.print_check(&l.owner, &l.image_id, market)?);
            check_lines.push(l.line);
        }
    }
    // And one per other owner that they are not in arrears (M24): an owner
    // in arrears sells nothing, whatever was quoted.
    let mut owners = std::collections::HashSet::new();
    for l in &order.lines {
        if order.buyer.customer() != Some(&l.owner) && owners.insert(&l.owner) {
            checks.push(st.billing.standing_check(&l.owner)?);
            check_lines.push(l.line);
        }
    }
    let guest_token = order.buyer.customer().is_none().then(SessionToken::generate);
    let digest = guest_token.as_ref().map(SessionToken::digest);
    let lapses = (now + time::Duration::days(GUEST_TOKEN_DAYS)).unix_timestamp();
    let refused = st
        .orders
        .place(Placement {
            order: &order,
            key: KeyRef {
                scope: key.scope,
                key: key.key,
            },
            token,
            redemption,
            checks,
            guest_token: digest.as_deref().map(|d| (d, lapses)),
        })
        .await?;
    if let Err(why) = refused {
        return Err(match why {
            PlaceRefusal::NotEnoughPoints => {
                let have = match order.buyer.customer() {
                    Some(c) => st.ledger.balance(c).await?,
                    None => 0,
                };
                Error::Conflict(Clash::NotEnoughPoints {
                    spends: order.points_redeemed,
                    balance: have,
                })
            }
            PlaceRefusal::LineGone(check) => {
                match check_lines.get(check as usize - 1).copied().unwrap_or(check) {
                    0 => proposal_taken(st, &order, now).await?,
                    line => Error::CannotApply(printvault_domain::CannotApply::LineGone { line }),
                }
            }
            PlaceRefusal::Conflict => Error::Conflict(Clash::Raced),
        });
    }
    tracing::info!(order = %order.order_id, lines = order.lines.len(), total = order.total.0, "order placed");
    if order.status == printvault_domain::order::OrderStatus::Paid {
        // Its points paid it in full: on to the lab.
        st.dispatch.order_paid(&order.order_id).await?;
    }
    // Past the address's mail limits the order stays `awaiting_email` and
    // lapses unconfirmed; the guest is answered the same either way.
    let mail_ok = match &guest_token {
        Some(_) => crate::mail_limits::may_mail(st, &settings.mail, &order.email, "guest order", now).await?,
        None => false,
    };
    if let Some(t) = guest_token.filter(|_| mail_ok) {
        let expires = now + time::Duration::minutes(i64::from(settings.orders.guest_confirm_ttl_minutes));
        let notice = Notice {
            notice_id: NoticeId::parse(&format!("order-confirm:{}", order.order_id))?,
            to: order.email.clone(),
            message: Message::ConfirmGuestOrder {
                order_id: order.order_id.to_string(),
                link: format!(
                    "{}/v1/orders/guest?token={}",
                    p.base.trim_end_matches('/'),
                    t.as_str()
                ),
                total: order.total.0,
                expires_at: Timestamp::at(expires),
            },
        };
        st.notices.send(&notice).await?;
    }
    Ok(order)
}

/// Why an archive order's proposal could not be held: it is not open (any
/// more), or it changed under the request.
async fn proposal_taken(st: &Stores, order: &Order, now: OffsetDateTime) -> Result<Error, Error> {
    let (Some(a), Some(c)) = (&order.archive, order.buyer.customer()) else {
        return Ok(Error::Conflict(Clash::Raced));
    };
    Ok(match st.archive.proposal(c, &a.proposal_id).await? {
        Some(p) if p.is_open_on(now.date()) => Error::Conflict(Clash::Raced),
        Some(p) => Error::Conflict(Clash::ProposalNot {
            status: p.status_on(now.date()),
        }),
        None => Error::NotFound(Thing::Proposal),
    })
}
