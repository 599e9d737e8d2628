//! M23-M24: a customer's storage invoices. These routes (and logging out)
//! stay open to a customer in arrears, so that they can see what to pay.

use axum::extract::State;
use axum::Json;
use printvault_domain::billing::InvoiceId;
use printvault_usecases::billing;

use crate::auth::AnyStanding;
use crate::extract::{Id, QueryParams};
use crate::routes::PageQuery;
use crate::views::invoices::{InvoiceList, InvoiceView};
use crate::{ApiError, AppState};

/// The caller's invoices, newest first. Open in arrears.
#[utoipa::path(get, path = "/v1/invoices", tag = "invoices", security(("bearer" = [])), params(PageQuery),
    responses((status = 200, description = "A page of the caller's invoices", body = InvoiceList)))]
pub async fn list(
    State(st): State<AppState>,
    AnyStanding(caller): AnyStanding,
    QueryParams(q): QueryParams<PageQuery>,
) -> Result<Json<InvoiceList>, ApiError> {
    let limit = q.limit(&st.settings.listing)?;
    let page = billing::invoices(&st.stores, &caller.customer, limit, q.cursor.as_deref()).await?;
    Ok(Json(InvoiceList::from(&page)))
}

/// One of the caller's invoices, with how its amount was reached. Open in
/// arrears. Pay it through the payment provider, quoting `invoice_id`.
#[utoipa::path(get, path = "/v1/invoices/{invoice_id}", tag = "invoices", security(("bearer" = [])),
    params(("invoice_id" = String, Path, description = "An invoice of the caller's: `inv_<YYYYMM>_<customer>`")),
    responses((status = 200, description = "The invoice", body = InvoiceView)))]
pub async fn read(
    State(st): State<AppState>,
    AnyStanding(caller): AnyStanding,
    Id(id): Id<InvoiceId>,
) -> Result<Json<InvoiceView>, ApiError> {
    let inv = billing::invoice_of(&st.stores, &caller.customer, &id).await?;
    Ok(Json(InvoiceView::from(&inv)))
}
