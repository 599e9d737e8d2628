//! Preparing a full export (X3): everything the stores hold for one
//! customer, read once, made into the export's manifest (every section)
//! and the plan of its ZIP parts, each part's entries with their XMP
//! sidecars. Nothing is written: the part writer ([`super::part`]) does
//! that from what this returns.
//!
//! Every listing is read to its end, page by page. Images come oldest
//! first (then by ID), so preparing the same account again plans the same
//! parts. [`images`] makes the images' section and the parts; [`account`]
//! the albums, grants, links and groups; [`money`] the orders, the points
//! ledger and the invoices.

mod account;
mod images;
mod money;

use std::collections::HashSet;
use std::future::Future;

use printvault_adapters::Page;
use printvault_domain::export::manifest::{Manifest, ManifestTarget, FORMAT};
use printvault_domain::ids::{CustomerId, ImageId};
use printvault_domain::sharing::Target;
use printvault_domain::when::Timestamp;
use printvault_domain::{Error, Thing};

use crate::export::part::Entry;
use crate::Stores;

/// How many items each page of a listing asks for.
const PAGE: u32 = 100;

/// An export planned: the manifest (every section filled; `part` set to 0
/// — the writer sets each part's number), and each part's entries in order
/// (`parts[0]` is part 1). At least one part, possibly with no entries.
pub struct Prepared {
    pub manifest: Manifest,
    pub parts: Vec<Vec<Entry>>,
}

/// Reads everything `owner` has and plans export `export_id`, made at
/// `made_at`, in parts of about `part_bytes`
/// (`printvault_domain::export::plan`). `NotFound` when there is no such
/// customer.
pub async fn prepare(
    st: &Stores,
    owner: &CustomerId,
    export_id: &str,
    made_at: Timestamp,
    part_bytes: u64,
) -> Result<Prepared, Error> {
    let customer = st
        .accounts
        .customer(owner)
        .await?
        .ok_or(Error::NotFound(Thing::Customer))?;
    let ready = images::exportable(st, owner).await?;
    let planned = images::planned(&ready, part_bytes)?;
    let exported: HashSet<&ImageId> = ready.iter().map(|i| &i.id).collect();
    let manifest = Manifest {
        format: FORMAT.to_owned(),
        export_id: export_id.to_owned(),
        customer_id: owner.clone(),
        email: customer.email.to_string(),
        made_at,
        part: 0,
        parts: planned.parts.len() as u32,
        images: planned.images,
        albums: account::albums(st, owner, &exported).await?,
        grants: account::grants(st, owner).await?,
        links: account::links(st, owner).await?,
        groups: account::groups(st, owner).await?,
        orders: money::orders(st, owner).await?,
        points: money::points(st, owner).await?,
        invoices: money::invoices(st, owner).await?,
    };
    Ok(Prepared {
        manifest,
        parts: planned.parts,
    })
}

/// Every item of a paged listing: `page` is asked for the first page (no
/// cursor), then for each next one until a page has no next cursor.
async fn every<T, F, Fut>(mut page: F) -> Result<Vec<T>, Error>
where
    F: FnMut(Option<String>) -> Fut,
    Fut: Future<Output = Result<Page<T>, Error>>,
{
    let mut out = Vec::new();
    let mut cursor = None;
    loop {
        let Page { items, next_cursor } = page(cursor).await?;
        out.extend(items);
        match next_cursor {
            Some(next) => cursor = Some(next),
            None => return Ok(out),
        }
    }
}

/// What a grant or link opens, as the manifest writes it.
fn target(t: &Target) -> ManifestTarget {
    match t {
        Target::Image(id) => ManifestTarget {
            image_id: Some(id.clone()),
            album_id: None,
        },
        Target::Album(id) => ManifestTarget {
            image_id: None,
            album_id: Some(id.clone()),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn every_page_is_read_until_there_is_no_next_cursor() {
        let pages = [(vec![1, 2], Some("a")), (vec![], Some("b")), (vec![3], None)];
        let mut asked = Vec::new();
        let all = every(|cursor: Option<String>| {
            asked.push(cursor.clone());
            let n = asked.len() - 1;
            let (items, next) = pages[n].clone();
            async move {
                Ok(Page {
                    items,
                    next_cursor: next.map(str::to_owned),
                })
            }
        })
        .await
        .unwrap();
        assert_eq!(all, [1, 2, 3]);
        assert_eq!(asked, [None, Some("a".into()), Some("b".into())]);
    }
}
