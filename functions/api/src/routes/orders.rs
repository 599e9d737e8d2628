//! M15-M19: quotes and orders, for customers and guests; M18 points.

use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse};
use axum::Json;
use printvault_domain::ids::OrderId;
use printvault_domain::order::{fingerprint, IdempotencyKey, OrderRequest, QuoteRequest};
use printvault_usecases::orders::{self, Holder, PlaceOrder, Placed};
use serde::Deserialize;

use crate::auth::{Caller, MaybeCaller};
use crate::extract::{Id, JsonBody, PublicBase, QueryParams};
use crate::routes::PageQuery;
use crate::views::orders::{OrderList, OrderView, PointsView, QuoteView};
use crate::{ApiError, AppState};

/// Prices lines for the caller (a customer, or a guest without a token):
/// each line's fee and points and the totals. Only images the caller may
/// print are accepted, at the terms the permission model gives them.
#[utoipa::path(post, path = "/v1/quotes", tag = "orders", security((), ("bearer" = [])), request_body = QuoteRequest,
    responses((status = 201, description = "The quote, orderable until `expires_at` (M15)", body = QuoteView),
        (status = 422, description = "A line's image cannot be printed by the caller: not found, not visible, or not offered for printing", body = crate::views::ErrorBody)))]
pub async fn quote(
    State(st): State<AppState>,
    MaybeCaller(caller): MaybeCaller,
    JsonBody(body): JsonBody<QuoteRequest>,
) -> Result<(StatusCode, Json<QuoteView>), ApiError> {
    let c = caller.as_ref().map(|c| &c.customer);
    let q = orders::quote(&st.stores, &st.settings, c, body, st.now()).await?;
    Ok((StatusCode::CREATED, Json(QuoteView::from(&q))))
}

/// Places an order from a quote, at the quote's prices. The request needs
/// an `Idempotency-Key`: sent again with the same key and body it answers
/// with the same order (header `Idempotent-Replayed: true`); with another
/// body, 422; while the first is still running, 409. Keys are the
/// caller's own: a customer's, or a guest's by the address they give. A
/// guest's order waits for the link emailed to that address (none is sent
/// past the address's mail limits, and the answer is the same).
#[utoipa::path(post, path = "/v1/orders", tag = "orders", security((), ("bearer" = [])), request_body = OrderRequest,
    params(("Idempotency-Key" = String, Header, description = "A unique value per order (a UUID, say), sent again unchanged on a retry; kept at least 24 hours")),
    responses((status = 201, description = "The order (or, replayed, the same order as before)", body = OrderView),
        (status = 400, description = "No `Idempotency-Key`, a bad address, an unknown quote, or points a guest cannot spend", body = crate::views::ErrorBody),
        (status = 409, description = "Not enough points, an expired quote, or the same key still in flight", body = crate::views::ErrorBody),
        (status = 422, description = "The key was used with another body, or a line's image can no longer be printed", body = crate::views::ErrorBody)))]
pub async fn place(
    State(st): State<AppState>,
    MaybeCaller(caller): MaybeCaller,
    PublicBase(base): PublicBase,
    headers: HeaderMap,
    JsonBody(request): JsonBody<OrderRequest>,
) -> Result<impl IntoResponse, ApiError> {
    let raw_key = headers
        .get("idempotency-key")
        .map(|v| v.to_str().unwrap_or_default());
    let key = IdempotencyKey::from_header(raw_key)?;
    let placed = orders::place(
        &st.stores,
        &st.settings,
        PlaceOrder {
            caller: caller.as_ref().map(|c| &c.customer),
            key,
            fingerprint: fingerprint(&request),
            request,
            base: &base,
        },
        st.now(),
    )
    .await?;
    let (order, replayed) = match placed {
        Placed::New(o) => (o, false),
        Placed::Replayed(o) => (o, true),
    };
    let mut headers = HeaderMap::new();
    if replayed {
        headers.insert("idempotent-replayed", HeaderValue::from_static("true"));
    }
    let stages = orders::stages(&st.stores, &order).await?;
    Ok((
        StatusCode::CREATED,
        headers,
        Json(OrderView::with_stages(&order, stages)),
    ))
}

#[utoipa::path(get, path = "/v1/orders", tag = "orders", security(("bearer" = [])), params(PageQuery),
    responses((status = 200, description = "The caller's orders, newest first, without each line's stage", body = OrderList)))]
pub async fn list(
    State(st): State<AppState>,
    caller: Caller,
    QueryParams(q): QueryParams<PageQuery>,
) -> Result<Json<OrderList>, ApiError> {
    let limit = q.limit(&st.settings.listing)?;
    let page = orders::list(&st.stores, &caller.customer, limit, q.cursor.as_deref()).await?;
    Ok(Json(OrderList::from(&page)))
}

/// One of the caller's orders, with where each line stands (`stages`);
/// anyone else's answers 404, as none.
#[utoipa::path(get, path = "/v1/orders/{order_id}", tag = "orders", security(("bearer" = [])),
    params(("order_id" = OrderId, Path, description = "An order of the caller's")),
    responses((status = 200, description = "The order, with each line's stage", body = OrderView)))]
pub async fn read(
    State(st): State<AppState>,
    caller: Caller,
    Id(id): Id<OrderId>,
) -> Result<Json<OrderView>, ApiError> {
    let (o, stages) =
        orders::order_with_stages(&st.stores, &Holder::Customer(&caller.customer), Some(&id)).await?;
    Ok(Json(OrderView::with_stages(&o, stages)))
}

/// Cancels the order until it is dispatched. Points spent on it come back
/// by a reversal entry; a paid order's money is marked for refund.
/// Cancelling a cancelled order answers the same.
#[utoipa::path(post, path = "/v1/orders/{order_id}/cancel", tag = "orders", security(("bearer" = [])),
    params(("order_id" = OrderId, Path, description = "An order of the caller's")),
    responses((status = 200, description = "The cancelled order", body = OrderView),
        (status = 409, description = "The order is dispatched: it can no longer be cancelled", body = crate::views::ErrorBody)))]
pub async fn cancel(
    State(st): State<AppState>,
    caller: Caller,
    Id(id): Id<OrderId>,
) -> Result<Json<OrderView>, ApiError> {
    let o = orders::cancel(
        &st.stores,
        &Holder::Customer(&caller.customer),
        Some(&id),
        st.now(),
    )
    .await?;
    Ok(Json(OrderView::with_stages(
        &o,
        orders::stages(&st.stores, &o).await?,
    )))
}

/// The token a guest was emailed.
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GuestToken {
    #[schema(example = "q7Yv3mJ2c9Xz0R4tB8nL1kP6sD5fG2hW9eA3uT7yI0o")]
    token: String,
}

/// The page a guest's order email links to: a button confirms the order
/// (`POST /v1/orders/guest/confirm`), then it shows the order and offers
/// to cancel it. Opening the link alone changes nothing.
#[utoipa::path(get, path = "/v1/orders/guest", tag = "orders",
    responses((status = 200, description = "A page with confirm and cancel buttons", content_type = "text/html", body = String)))]
pub async fn guest_page() -> impl IntoResponse {
    (
        [(
            axum::http::header::CONTENT_SECURITY_POLICY,
            "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'",
        )],
        Html(include_str!("guest-order.html")),
    )
}

/// A guest confirms their order with the emailed token: it goes ahead
/// (`awaiting_email` → `placed`). Confirming again shows the order.
#[utoipa::path(post, path = "/v1/orders/guest/confirm", tag = "orders", request_body = GuestToken,
    responses((status = 200, description = "The order", body = OrderView),
        (status = 404, description = "No order has this token", body = crate::views::ErrorBody)))]
pub async fn guest_confirm(
    State(st): State<AppState>,
    JsonBody(body): JsonBody<GuestToken>,
) -> Result<Json<OrderView>, ApiError> {
    let o = orders::confirm_guest(&st.stores, &st.settings, &body.token, st.now()).await?;
    Ok(Json(OrderView::with_stages(
        &o,
        orders::stages(&st.stores, &o).await?,
    )))
}

/// A guest cancels their order with the emailed token, until it is dispatched.
#[utoipa::path(post, path = "/v1/orders/guest/cancel", tag = "orders", request_body = GuestToken,
    responses((status = 200, description = "The cancelled order", body = OrderView),
        (status = 404, description = "No order has this token", body = crate::views::ErrorBody)))]
pub async fn guest_cancel(
    State(st): State<AppState>,
    JsonBody(body): JsonBody<GuestToken>,
) -> Result<Json<OrderView>, ApiError> {
    let o = orders::cancel(&st.stores, &Holder::Guest(&body.token), None, st.now()).await?;
    Ok(Json(OrderView::with_stages(
        &o,
        orders::stages(&st.stores, &o).await?,
    )))
}

/// The caller's points (M18): the balance and their entries, newest first.
#[utoipa::path(get, path = "/v1/points", tag = "orders", security(("bearer" = [])), params(PageQuery),
    responses((status = 200, description = "Balance and a page of entries", body = PointsView)))]
pub async fn points(
    State(st): State<AppState>,
    caller: Caller,
    QueryParams(q): QueryParams<PageQuery>,
) -> Result<Json<PointsView>, ApiError> {
    let limit = q.limit(&st.settings.listing)?;
    let (balance, page) = orders::points(&st.stores, &caller.customer, limit, q.cursor.as_deref()).await?;
    Ok(Json(PointsView::new(balance, page)))
}
