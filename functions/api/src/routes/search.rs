//! M14: search across exactly what the caller may see.

use axum::extract::State;
use axum::http::HeaderValue;
use axum::response::{IntoResponse, Response};
use axum::Json;
use printvault_usecases::search::{search as run, Criteria};
use serde::Deserialize;

use crate::auth::MaybeCaller;
use crate::extract::QueryParams;
use crate::views::search::{SearchPageView, SearchResult};
use crate::{ApiError, AppState};

/// Every filter given must match; none lists everything visible, newest first.
#[derive(Deserialize, Default, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct SearchQuery {
    /// A keyword, such as `mt. fuji` (1 to 100 characters, any case).
    q: Option<String>,
    /// An event name.
    event: Option<String>,
    /// A person shown.
    person: Option<String>,
    /// A place name.
    place: Option<String>,
    /// A camera make and model.
    camera: Option<String>,
    /// Taken on or after this date, `YYYY-MM-DD`.
    from: Option<String>,
    /// Taken on or before this date, `YYYY-MM-DD`.
    to: Option<String>,
    /// Page size, 1 to `search.max_page_size`.
    #[param(minimum = 1)]
    limit: Option<u32>,
    /// The `next_cursor` of the page before.
    cursor: Option<String>,
}

#[utoipa::path(get, path = "/v1/search", tag = "search", security((), ("bearer" = [])), params(SearchQuery),
    responses((status = 200, description = "A page of what the caller may see (M14)", body = SearchPageView,
        headers(("x-search-items-read" = u64, description = "DynamoDB items read for this page"), ("x-search-round-trips" = u64, description = "Sequential rounds of index queries")))))]
pub async fn search(
    State(st): State<AppState>,
    MaybeCaller(caller): MaybeCaller,
    QueryParams(q): QueryParams<SearchQuery>,
) -> Result<Response, ApiError> {
    let cfg = &st.settings.search;
    let limit = crate::routes::page_limit(q.limit, cfg.default_page_size, cfg.max_page_size)?;
    let criteria = Criteria::new(
        [
            ("kw", q.q.as_deref()),
            ("event", q.event.as_deref()),
            ("person", q.person.as_deref()),
            ("place", q.place.as_deref()),
            ("camera", q.camera.as_deref()),
        ],
        q.from.as_deref(),
        q.to.as_deref(),
    )?;
    let me = caller.as_ref().map(|c| &c.customer);
    let page = run(&st.stores, cfg, me, &criteria, limit, q.cursor.as_deref()).await?;
    let (items_read, rounds) = (page.items_read, page.round_trips);
    let body = SearchPageView {
        results: page.results.into_iter().map(SearchResult::from).collect(),
        next_cursor: page.next_cursor,
    };
    let mut res = Json(body).into_response();
    // What the page cost, for operators and the benchmark.
    let h = res.headers_mut();
    h.insert("x-search-items-read", HeaderValue::from(items_read));
    h.insert("x-search-round-trips", HeaderValue::from(rounds));
    Ok(res)
}
