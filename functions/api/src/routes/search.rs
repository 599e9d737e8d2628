//! M14: search by keyword and attributes across exactly what the caller may
//! see: their own images, their groups', images and albums granted to them,
//! and strangers' viewable or printable images. Anonymous callers search the
//! last kind only.

use axum::extract::State;
use axum::http::HeaderValue;
use axum::response::{IntoResponse, Response};
use axum::Json;
use printvault_adapters::search::{DateRange, Entry, SearchIndex};
use printvault_adapters::sharing::Target;
use printvault_domain::access::{decide, Class, Facts, Preview, Principal};
use printvault_domain::ids::CustomerId;
use printvault_domain::image::ImageStatus;
use printvault_domain::search::ALL;
use printvault_domain::Error;
use serde::Deserialize;
use serde_json::{json, Value};
use std::collections::HashSet;

use crate::auth::MaybeCaller;
use crate::error::QueryParams;
use crate::{ApiError, AppState};

/// Group members and album images considered per search, which bounds its cost.
const MAX_GROUP_MEMBERS: usize = 200;
const MAX_GRANTED_ALBUM_IMAGES: u32 = 500;

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

fn date(field: &'static str, v: &Option<String>) -> Result<Option<String>, Error> {
    let Some(raw) = v else { return Ok(None) };
    let fmt = time::macros::format_description!("[year]-[month]-[day]");
    time::Date::parse(raw, fmt)
        .map_err(|_| Error::invalid(field, format!("{field} must be a date like 2024-05-03")))?;
    Ok(Some(raw.clone()))
}

fn filters(q: &SearchQuery) -> Result<Vec<String>, Error> {
    let mut out = Vec::new();
    for (prefix, v) in [
        ("kw", &q.q),
        ("event", &q.event),
        ("person", &q.person),
        ("place", &q.place),
        ("camera", &q.camera),
    ] {
        if let Some(v) = v {
            let t = v.trim().to_lowercase();
            if t.is_empty() || t.chars().count() > 100 {
                return Err(Error::invalid("q", "search terms must have 1 to 100 characters"));
            }
            out.push(format!("{prefix}:{t}"));
        }
    }
    Ok(out)
}

/// How the caller comes to see a result.
fn relation(
    e: &Entry,
    caller: Option<&CustomerId>,
    group: &HashSet<CustomerId>,
    granted: &HashSet<String>,
) -> &'static str {
    if caller == Some(&e.owner) {
        "own"
    } else if group.contains(&e.owner) {
        "group"
    } else if granted.contains(e.image_id.as_str()) {
        "granted"
    } else {
        "public"
    }
}

pub async fn search(
    State(st): State<AppState>,
    MaybeCaller(caller): MaybeCaller,
    QueryParams(q): QueryParams<SearchQuery>,
) -> Result<Response, ApiError> {
    let cfg = &st.settings.search;
    let limit = crate::routes::page_limit(q.limit, cfg.default_page_size, cfg.max_page_size)?;
    let range = DateRange {
        from: date("from", &q.from)?,
        to: date("to", &q.to)?,
    };
    if let (Some(f), Some(t)) = (&range.from, &range.to) {
        if f > t {
            return Err(Error::invalid("from", "from must not be after to").into());
        }
    }
    let wanted = filters(&q)?;
    let driver = wanted.first().cloned().unwrap_or_else(|| ALL.to_owned());
    let me = caller.as_ref().map(|c| c.customer.clone());

    let mut partitions = Vec::new();
    let mut group = HashSet::new();
    let mut granted = HashSet::new();
    let mut extra = Vec::new();
    // Items read to learn who shares what with the caller (groups, members,
    // grants, granted albums and images), beside the index items.
    let mut relation_reads = 0usize;
    if let Some(me) = &me {
        partitions.push(st.search.own_partition(me, &driver));
        let groups = st.sharing.groups_of(me).await?;
        relation_reads += groups.len();
        for g in groups {
            let members = st.sharing.members(&g.group_id).await?;
            relation_reads += members.len();
            for m in members {
                if &m.customer_id != me
                    && group.len() < MAX_GROUP_MEMBERS
                    && group.insert(m.customer_id.clone())
                {
                    partitions.push(st.search.own_partition(&m.customer_id, &driver));
                }
            }
        }
        // Granted images and albums are few; they are read directly, up to
        // `max_granted_images` of them.
        let mut budget = cfg.max_granted_images as usize;
        let grants = st.sharing.grants_received(me).await?;
        relation_reads += grants.len();
        for g in grants {
            if budget == 0 {
                break;
            }
            let ids = match &g.target {
                Target::Image(i) => vec![i.clone()],
                Target::Album(a) => {
                    let most = budget.min(MAX_GRANTED_ALBUM_IMAGES as usize) as u32;
                    st.albums.images(a, most, None).await?.items
                }
            };
            budget = budget.saturating_sub(ids.len());
            if matches!(g.target, Target::Album(_)) {
                relation_reads += ids.len();
            }
            for id in ids {
                relation_reads += 1;
                if let Some(image) = st.images.get(&g.owner, &id).await? {
                    if let Target::Album(a) = &g.target {
                        if !image.albums.contains(a) {
                            continue;
                        }
                    }
                    if image.status == ImageStatus::Ready {
                        if let Some((e, sk)) = SearchIndex::entry(&image) {
                            granted.insert(e.image_id.to_string());
                            extra.push((sk, e));
                        }
                    }
                }
            }
        }
    }
    partitions.extend(st.search.public_partitions(&driver));

    let keep = |e: &Entry| wanted.iter().all(|t| e.terms.contains(t));
    let page = st
        .search
        .search(
            &partitions,
            extra,
            &range,
            q.cursor.as_deref(),
            limit as usize,
            cfg.max_items_per_page as usize,
            keep,
        )
        .await?;
    let results: Vec<Value> = page
        .hits
        .iter()
        .filter_map(|h| {
            let e = &h.entry;
            let rel = relation(e, me.as_ref(), &group, &granted);
            // The partitions read decide what can appear; the one permission
            // model still decides what each hit shows (and drops any it forbids).
            let a = decide(&Facts {
                principal: if me.is_some() {
                    Principal::Customer
                } else {
                    Principal::Anonymous
                },
                ready: true,
                class: e.class,
                is_owner: rel == "own",
                same_group: rel == "group",
                image_grant: rel == "granted",
                album_grant: false,
                link: None,
            });
            if !a.can_see() {
                return None;
            }
            let mut v = json!({
                "image_id": e.image_id,
                "relation": rel,
                "class": e.class,
                "width": e.width,
                "height": e.height,
                "preview_marked": a.preview == Some(Preview::Marked),
                "printable": a.print.is_some(),
            });
            if let Some(t) = &e.taken_at {
                v["taken_at"] = json!(t);
            }
            if let (Class::Printable, Some(p)) = (e.class, &e.prices) {
                v["prices"] = json!(p);
            }
            Some(v)
        })
        .collect();
    let mut res = Json(json!({"results": results, "next_cursor": page.next_cursor})).into_response();
    // What the page cost, for operators and the benchmark.
    let h = res.headers_mut();
    h.insert(
        "x-search-items-read",
        HeaderValue::from(page.items_read + relation_reads),
    );
    h.insert("x-search-round-trips", HeaderValue::from(page.rounds));
    Ok(res)
}
