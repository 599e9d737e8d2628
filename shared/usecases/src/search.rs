//! M14: search by keyword and attributes across exactly what the caller may
//! see: their own images, their groups', images and albums granted to them,
//! and strangers' viewable or printable images. Anonymous callers search the
//! last kind only. Nobody but its owner finds an image whose owner is in
//! arrears (M24).

use printvault_adapters::search::{DateRange, Entry, SearchIndex};
use printvault_domain::access::{decide, Access, Facts, Principal};
use printvault_domain::ids::CustomerId;
use printvault_domain::image::ImageStatus;
use printvault_domain::search::ALL;
use printvault_domain::settings::SearchSettings;
use printvault_domain::sharing::Target;
use printvault_domain::Error;
use printvault_domain::{Form, Problem, Rule};
use std::collections::HashSet;

use crate::Stores;

/// Group members and album images considered per search, which bounds its cost.
const MAX_GROUP_MEMBERS: usize = 200;
const MAX_GRANTED_ALBUM_IMAGES: u32 = 500;

/// What to look for: every term must match, within the date range.
pub struct Criteria {
    /// `kw:mt. fuji`, `event:…`, `person:…`, `place:…`, `camera:…`.
    pub terms: Vec<String>,
    pub range: DateRange,
}

/// How the caller comes to see a result.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Relation {
    Own,
    Group,
    Granted,
    Public,
}

pub struct Found {
    pub entry: Entry,
    pub relation: Relation,
    pub access: Access,
}

/// A page of results and what it cost.
pub struct SearchPage {
    pub results: Vec<Found>,
    pub next_cursor: Option<String>,
    /// DynamoDB items read: index items plus what was read to learn who
    /// shares what with the caller.
    pub items_read: usize,
    pub round_trips: usize,
}

impl Criteria {
    /// Checks raw filters: each 1 to 100 characters; dates `YYYY-MM-DD`, from ≤ to.
    pub fn new(
        filters: [(&str, Option<&str>); 5],
        from: Option<&str>,
        to: Option<&str>,
    ) -> Result<Self, Error> {
        let mut terms = Vec::new();
        for (prefix, v) in filters {
            if let Some(v) = v {
                let t = v.trim().to_lowercase();
                if t.is_empty() || t.chars().count() > 100 {
                    return Err(Error::invalid("q", Problem::Text { min: 1, max: 100 }));
                }
                terms.push(format!("{prefix}:{t}"));
            }
        }
        let range = DateRange {
            from: date("from", from)?,
            to: date("to", to)?,
        };
        if let (Some(f), Some(t)) = (&range.from, &range.to) {
            if f > t {
                return Err(Error::rule("from", Rule::FromAfterTo));
            }
        }
        Ok(Self { terms, range })
    }
}

fn date(field: &'static str, raw: Option<&str>) -> Result<Option<String>, Error> {
    let Some(raw) = raw else { return Ok(None) };
    let fmt = time::macros::format_description!("[year]-[month]-[day]");
    time::Date::parse(raw, fmt).map_err(|_| Error::invalid(field, Problem::Form(Form::Date)))?;
    Ok(Some(raw.to_owned()))
}

/// Who shares what with the caller: partitions to read, and the rest.
#[derive(Default)]
struct Scope {
    partitions: Vec<String>,
    group: HashSet<CustomerId>,
    granted: HashSet<String>,
    extra: Vec<(String, Entry)>,
    reads: usize,
}

async fn scope(st: &Stores, cfg: &SearchSettings, me: &CustomerId, driver: &str) -> Result<Scope, Error> {
    let mut s = Scope::default();
    s.partitions.push(st.search.own_partition(me, driver));
    let groups = st.sharing.groups_of(me).await?;
    s.reads += groups.len();
    for g in groups {
        let members = st.sharing.members(&g.group_id).await?;
        s.reads += members.len();
        for m in members {
            if &m.customer_id != me
                && s.group.len() < MAX_GROUP_MEMBERS
                && s.group.insert(m.customer_id.clone())
            {
                s.partitions.push(st.search.own_partition(&m.customer_id, driver));
            }
        }
    }
    // Granted images and albums are read directly, up to
    // `max_granted_images` reads: each grant's item, and each album's Query,
    // even an empty one, costs one, so a flood of grants of empty albums
    // cannot make a search run long.
    let mut budget = cfg.max_granted_images as usize;
    let grants = st
        .sharing
        .grants_received(me, cfg.max_granted_images.max(1), None)
        .await?
        .items;
    s.reads += grants.len();
    for g in grants {
        if budget == 0 {
            break;
        }
        let ids = match &g.target {
            Target::Image(i) => vec![i.clone()],
            Target::Album(a) => {
                let most = budget.min(MAX_GRANTED_ALBUM_IMAGES as usize) as u32;
                let ids = st.albums.images(a, most, None).await?.items;
                // An empty album's Query still counts.
                s.reads += ids.len().max(1);
                ids
            }
        };
        budget = budget.saturating_sub(ids.len().max(1));
        for id in ids {
            s.reads += 1;
            let Some(image) = st.images.get(&g.owner, &id).await? else {
                continue;
            };
            if let Target::Album(a) = &g.target {
                if !image.albums.contains(a) {
                    continue;
                }
            }
            if image.status == ImageStatus::Ready {
                if let Some((e, sk)) = SearchIndex::entry(&image) {
                    s.granted.insert(e.image_id.to_string());
                    s.extra.push((sk, e));
                }
            }
        }
    }
    Ok(s)
}

/// One page of what `caller` may see that matches `criteria`.
pub async fn search(
    st: &Stores,
    cfg: &SearchSettings,
    caller: Option<&CustomerId>,
    criteria: &Criteria,
    limit: u32,
    cursor: Option<&str>,
) -> Result<SearchPage, Error> {
    let driver = criteria.terms.first().cloned().unwrap_or_else(|| ALL.to_owned());
    let mut s = match caller {
        Some(me) => scope(st, cfg, me, &driver).await?,
        None => Scope::default(),
    };
    s.partitions.extend(st.search.public_partitions(&driver));
    let keep = |e: &Entry| criteria.terms.iter().all(|t| e.terms.contains(t));
    let page = st
        .search
        .search(
            &s.partitions,
            std::mem::take(&mut s.extra),
            &criteria.range,
            cursor,
            limit as usize,
            cfg.max_items_per_page as usize,
            keep,
        )
        .await?;
    let relation_of = |e: &Entry| {
        if caller == Some(&e.owner) {
            Relation::Own
        } else if s.group.contains(&e.owner) {
            Relation::Group
        } else if s.granted.contains(e.image_id.as_str()) {
            Relation::Granted
        } else {
            Relation::Public
        }
    };
    // The partitions read decide what can appear; the one permission model
    // still decides what each hit shows (and drops any it forbids).
    let access_of = |e: &Entry, relation: Relation, owner_in_arrears: bool| {
        decide(&Facts {
            principal: if caller.is_some() {
                Principal::Customer
            } else {
                Principal::Anonymous
            },
            ready: true,
            owner_in_arrears,
            class: e.class,
            is_owner: relation == Relation::Own,
            same_group: relation == Relation::Group,
            image_grant: relation == Relation::Granted,
            album_grant: false,
            link: None,
        })
    };
    // An owner in arrears (M24) shows others nothing until they pay: one
    // read of the arrears register, when the page would show others' images.
    let others: HashSet<CustomerId> = page
        .hits
        .iter()
        .map(|h| (&h.entry, relation_of(&h.entry)))
        .filter(|(e, r)| *r != Relation::Own && access_of(e, *r, false).can_see())
        .map(|(e, _)| e.owner.clone())
        .collect();
    let others: Vec<CustomerId> = others.into_iter().collect();
    let locked = st.billing.in_arrears(&others).await?;
    let results: Vec<Found> = page
        .hits
        .into_iter()
        .filter_map(|h| {
            let e = h.entry;
            let relation = relation_of(&e);
            let access = access_of(&e, relation, locked.contains(&e.owner));
            access.can_see().then_some(Found {
                entry: e,
                relation,
                access,
            })
        })
        .collect();
    Ok(SearchPage {
        results,
        next_cursor: page.next_cursor,
        items_read: page.items_read + s.reads + usize::from(!others.is_empty()),
        round_trips: page.rounds + usize::from(!others.is_empty()),
    })
}
