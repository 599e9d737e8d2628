//! Archiving to a disc (M29-M32): the caller's own thresholds, their
//! proposals, quoting a disc of one, and asking for an archived original
//! back.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use printvault_domain::archive::ArchivePrefs;
use printvault_domain::archive::RestoreState;
use printvault_domain::ids::{ImageId, ProposalId};
use printvault_domain::order::ArchiveChoice;
use printvault_usecases::archive;
use printvault_usecases::archive_moves::restore::ask_restore;
use serde::Deserialize;

use crate::auth::Caller;
use crate::extract::{Id, JsonBody, QueryParams};
use crate::routes::PageQuery;
use crate::views::archive::{ArchiveThresholds, ProposalList, ProposalView, RestoreView};
use crate::views::orders::QuoteView;
use crate::{ApiError, AppState};

#[utoipa::path(get, path = "/v1/profile/archive-thresholds", tag = "archive", security(("bearer" = [])),
    responses((status = 200, description = "The caller's own archive thresholds (M29), and the ones that apply: the tighter of theirs and the operator's", body = ArchiveThresholds)))]
pub async fn read(State(st): State<AppState>, caller: Caller) -> Result<Json<ArchiveThresholds>, ApiError> {
    let (own, applied) = archive::thresholds(&st.stores, &st.settings.archive, &caller.customer).await?;
    Ok(Json(ArchiveThresholds::new(own, applied)))
}

/// Sets the caller's own thresholds: each may only tighten the operator's
/// (a field left out keeps the operator's), and a yearly date is theirs
/// alone (29 February is kept on 28 February in other years). The archive
/// sweep holds the caller to them from its next run.
#[utoipa::path(put, path = "/v1/profile/archive-thresholds", tag = "archive", security(("bearer" = [])), request_body = ArchivePrefs,
    responses((status = 200, description = "The thresholds as stored, and the ones that now apply", body = ArchiveThresholds),
        (status = 400, description = "A threshold looser than the operator's, or zero, or a day no year has", body = crate::views::ErrorBody)))]
pub async fn set(
    State(st): State<AppState>,
    caller: Caller,
    JsonBody(own): JsonBody<ArchivePrefs>,
) -> Result<Json<ArchiveThresholds>, ApiError> {
    let (own, applied) = archive::set_thresholds(
        &st.stores,
        &st.settings.archive,
        &caller.customer,
        own,
        st.now().date(),
    )
    .await?;
    Ok(Json(ArchiveThresholds::new(own, applied)))
}

/// The caller's archive proposals (M29), newest first, without their
/// images. The archive sweep makes one when a threshold is crossed, and
/// emails it; at most one is open at a time.
#[utoipa::path(get, path = "/v1/archive/proposals", tag = "archive", security(("bearer" = [])), params(PageQuery),
    responses((status = 200, description = "A page of the caller's proposals", body = ProposalList)))]
pub async fn proposals(
    State(st): State<AppState>,
    caller: Caller,
    QueryParams(q): QueryParams<PageQuery>,
) -> Result<Json<ProposalList>, ApiError> {
    let limit = q.limit(&st.settings.listing)?;
    let page = archive::proposals(&st.stores, &caller.customer, limit, q.cursor.as_deref()).await?;
    Ok(Json(ProposalList::new(&page, st.now().date())))
}

/// One of the caller's proposals (M30): what each disc would hold, and a
/// page of the offered images, oldest first, each with its bytes, a
/// thumbnail and the discs that would hold it.
#[utoipa::path(get, path = "/v1/archive/proposals/{proposal_id}", tag = "archive", security(("bearer" = [])),
    params(("proposal_id" = String, Path, description = "A proposal of the caller's: `arp_<ULID>`"), PageQuery),
    responses((status = 200, description = "The proposal, with a page of its images", body = ProposalView)))]
pub async fn proposal(
    State(st): State<AppState>,
    caller: Caller,
    Id(id): Id<ProposalId>,
    QueryParams(q): QueryParams<PageQuery>,
) -> Result<Json<ProposalView>, ApiError> {
    let limit = q.limit(&st.settings.listing)?;
    let shown = archive::proposal(
        &st.stores,
        &st.settings.uploads,
        &caller.customer,
        &id,
        (limit, q.cursor.as_deref()),
        st.now(),
    )
    .await?;
    Ok(Json(ProposalView::from(shown)))
}

/// Quotes one disc of the caller's open proposal (M30): its fill less the
/// images taken out (`without`, each on that disc; at least one stays), at
/// the medium's fee and points, written and posted by the lab of
/// `location`. Order it as any quote, with `POST /v1/orders` and an
/// `Idempotency-Key`; pay through the same webhook; cancel it until it is
/// dispatched. One order at a time holds a proposal.
#[utoipa::path(post, path = "/v1/archive/proposals/{proposal_id}/quote", tag = "archive", security(("bearer" = [])),
    params(("proposal_id" = String, Path, description = "An open proposal of the caller's: `arp_<ULID>`")),
    request_body = ArchiveChoice,
    responses((status = 201, description = "The quote, orderable until `expires_at`", body = QuoteView),
        (status = 400, description = "An image taken out that is not on that disc, every image taken out, or a location no lab serves", body = crate::views::ErrorBody),
        (status = 409, description = "The proposal has lapsed, or an order holds it", body = crate::views::ErrorBody)))]
pub async fn quote(
    State(st): State<AppState>,
    caller: Caller,
    Id(id): Id<ProposalId>,
    JsonBody(choice): JsonBody<ArchiveChoice>,
) -> Result<(StatusCode, Json<QuoteView>), ApiError> {
    let q = archive::quote(&st.stores, &st.settings, &caller.customer, &id, choice, st.now()).await?;
    Ok((StatusCode::CREATED, Json(QuoteView::from(&q))))
}

/// How long a restored original stays readable.
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RestoreRequest {
    /// 1 to 30 days; the operator's default (`archive.restore_days`, 7)
    /// when left out.
    #[serde(default)]
    #[schema(minimum = 1, maximum = 30)]
    pub days: Option<u32>,
}

/// Asks for an archived original back (M32). S3 brings a copy out of the
/// archive class (Deep Archive: within 12 hours); an email says when it is
/// ready, and from then the image's URLs include its original until
/// `restore.until`. Asking again while it is on its way changes nothing;
/// asking once it expired starts a new restore. The original stays on the
/// disc and in the archive, billed at the archive rate.
#[utoipa::path(post, path = "/v1/images/{id}/restore", tag = "archive", security(("bearer" = [])),
    params(("id" = ImageId, Path, description = "An image of the caller's, archived on a disc")),
    request_body = RestoreRequest,
    responses((status = 200, description = "The original is readable now, until `restore.until`", body = RestoreView),
        (status = 202, description = "The restore is on its way: an email comes when it is ready", body = RestoreView),
        (status = 400, description = "`days` outside 1 to 30", body = crate::views::ErrorBody),
        (status = 404, description = "No such image of the caller's", body = crate::views::ErrorBody),
        (status = 409, description = "The image's original is online, not archived", body = crate::views::ErrorBody)))]
pub async fn restore(
    State(st): State<AppState>,
    caller: Caller,
    Id(id): Id<ImageId>,
    JsonBody(req): JsonBody<RestoreRequest>,
) -> Result<(StatusCode, Json<RestoreView>), ApiError> {
    let (restore, state) = ask_restore(
        &st.stores,
        &st.settings.archive,
        &caller.customer,
        &id,
        req.days,
        st.now(),
    )
    .await?;
    let status = match state {
        RestoreState::Restored => StatusCode::OK,
        _ => StatusCode::ACCEPTED,
    };
    Ok((
        status,
        Json(RestoreView {
            image_id: id,
            state,
            restore: (&restore).into(),
        }),
    ))
}
