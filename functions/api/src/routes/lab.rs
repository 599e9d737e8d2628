//! M21: labs report each job's stages.

use axum::extract::State;
use axum::Json;
use printvault_domain::ids::OrderId;
use printvault_domain::lab_report::disc::DiscReport;
use printvault_domain::lab_report::LabReport;
use printvault_domain::Thing;
use printvault_usecases::orders;

use crate::auth::Lab;
use crate::extract::{JsonBody, PathParam};
use crate::views::archive::DiscReportView;
use crate::views::orders::LineReportView;
use crate::{ApiError, AppState};

/// A lab reports a stage of one job (one line of an order): `accepted`,
/// `printed`, `shipped` (with carrier and tracking) or `failed` (with a
/// reason: the line is refunded). Stages only move forward; reporting the
/// stage a line is at again answers the same and changes nothing. The
/// buyer is emailed at each stage.
#[utoipa::path(post, path = "/v1/lab/orders/{order_id}/lines/{line}/reports", tag = "lab", security(("lab_key" = [])),
    params(("order_id" = OrderId, Path, description = "The job's order (its merchant_reference)"),
        ("line" = u32, Path, description = "The job's line")),
    request_body = LabReport,
    responses((status = 200, description = "The line's stage now", body = LineReportView),
        (status = 404, description = "No such job of this lab's", body = crate::views::ErrorBody),
        (status = 409, description = "The line cannot move to that stage from where it is", body = crate::views::ErrorBody)))]
pub async fn report(
    State(st): State<AppState>,
    Lab(lab): Lab,
    PathParam((order_id, line)): PathParam<(String, String)>,
    JsonBody(body): JsonBody<LabReport>,
) -> Result<Json<LineReportView>, ApiError> {
    let not_found = || printvault_domain::Error::NotFound(Thing::Job);
    let order_id = OrderId::parse(&order_id).map_err(|_| not_found())?;
    let line: u32 = line.parse().map_err(|_| not_found())?;
    let record = orders::report(&st.stores, &lab, &order_id, line, body, st.now()).await?;
    Ok(Json(LineReportView::from(record)))
}

/// A lab reports a stage of a disc job (an archive order, M32): `accepted`
/// (it has every file, checked), then `written` with the SHA-256 of the
/// disc image it burnt and read back. Stages only move forward; the same
/// stage again answers the same and changes nothing, and a disc is written
/// once, as one image.
#[utoipa::path(post, path = "/v1/lab/orders/{order_id}/disc/reports", tag = "lab", security(("lab_key" = [])),
    params(("order_id" = OrderId, Path, description = "The disc job's order (its merchant_reference)")),
    request_body = DiscReport,
    responses((status = 200, description = "The disc's stage now", body = DiscReportView),
        (status = 400, description = "Not a report, or not a SHA-256", body = crate::views::ErrorBody),
        (status = 404, description = "No such disc job of this lab's", body = crate::views::ErrorBody),
        (status = 409, description = "The disc cannot move to that stage from where it is, or was written as another image", body = crate::views::ErrorBody)))]
pub async fn report_disc(
    State(st): State<AppState>,
    Lab(lab): Lab,
    PathParam(order_id): PathParam<String>,
    JsonBody(body): JsonBody<DiscReport>,
) -> Result<Json<DiscReportView>, ApiError> {
    let order_id = OrderId::parse(&order_id).map_err(|_| printvault_domain::Error::NotFound(Thing::Job))?;
    let record = orders::report_disc(&st.stores, &lab, &order_id, body, st.now()).await?;
    Ok(Json(DiscReportView::of(&order_id, record)))
}
