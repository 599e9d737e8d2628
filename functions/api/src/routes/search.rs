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

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct SearchQuery {
    q: Option<String>,
    event: Option<String>,
    person: Option<String>,
    place: Option<String>,
    camera: Option<String>,
    from: Option<String>,
    to: Option<String>,
    limit: Option<u32>,
    cursor: Option<String>,
}

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
