//! A paid archive order (M30) becomes one disc job (M32) on its lab's FIFO
//! queue, exactly once, as a print order's lines do (`super`):
//! `paid` → `dispatching` first (no longer cancellable), then the job, then
//! `dispatched`; a redelivery of a `dispatching` order sends the same job
//! ID, which SQS drops within five minutes and `printlab` keeps one of.
//!
//! What goes on the disc is checked now, not trusted from the order: an
//! image deleted since, or whose original is gone, is left off (the disc's
//! price is the medium's, whatever it holds). A disc left with nothing is
//! cancelled, everything refunded, and the proposal let go.
//!
//! The index sheet and label (M31) are drawn from what is left, once: a
//! redelivery finds them stored under the order and draws nothing.

use printvault_domain::dispatch::disc::{disc_paths, DiscFile, DiscJob, DiscManifest, Fetch, Named};
use printvault_domain::dispatch::Version;
use printvault_domain::image::{Image, ImageStatus};
use printvault_domain::order::{ArchiveTerms, Order};
use printvault_domain::when::Timestamp;
use printvault_domain::{Error, Thing};
use std::time::Duration;
use time::OffsetDateTime;
use tracing::{info, warn};

use super::{DispatchPorts, Outcome};

/// One original going on the disc, as the sheet and label need it.
#[derive(Debug, Clone)]
pub struct OnDisc {
    pub image: Image,
    /// Its path on the disc.
    pub path: String,
}

impl OnDisc {
    /// The name the sheet lists it by: the last part of its path.
    pub fn file_name(&self) -> &str {
        self.path.rsplit('/').next().unwrap_or(&self.path)
    }
}

/// The disc's printed matter, stored, and where the lab fetches it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Matter {
    pub sheet_pdf: Fetch,
    pub sheet_pages: Vec<Fetch>,
    pub label: Fetch,
}

/// Sends taken order `order` (an archive disc, `terms`) to its lab.
pub(super) async fn dispatch_disc<P: DispatchPorts>(
    ports: &P,
    order: &Order,
    terms: &ArchiveTerms,
    url_ttl: Duration,
    now: OffsetDateTime,
) -> Result<Outcome, Error> {
    let at = Timestamp::at(now);
    let lab = ports
        .lab(&order.lab_id)
        .await?
        .ok_or(Error::NotFound(Thing::Lab))?;
    let mut on_disc = Vec::with_capacity(terms.images.len());
    let mut fetches = Vec::with_capacity(terms.images.len());
    for image in still_there(ports, order, terms).await? {
        match ports.fetchable(&image, Version::AsUploaded, url_ttl).await? {
            Some(f) => {
                fetches.push(Fetch {
                    url: f.url,
                    url_expires_at: Timestamp::at(now + url_ttl),
                    bytes: f.bytes,
                    sha256: f.sha256,
                });
                on_disc.push(image);
            }
            None => warn!(image = %image.id, "its original is gone: left off the disc"),
        }
    }
    if on_disc.is_empty() {
        warn!("nothing left to put on the disc: the order is cancelled and refunded");
        ports.cancel_whole(order, at).await?;
        return Ok(Outcome::Cancelled);
    }
    let on_disc = with_paths(on_disc);
    let matter = ports.disc_matter(order, &on_disc, url_ttl, now).await?;
    let files: Vec<DiscFile> = on_disc
        .iter()
        .zip(fetches)
        .map(|(d, fetch)| DiscFile {
            image_id: d.image.id.clone(),
            path: d.path.clone(),
            format: format_of(&d.image),
            stored_at: d.image.created_at,
            attributes: d.image.attributes.clone(),
            fetch,
        })
        .collect();
    let bytes = files.iter().map(|f| f.fetch.bytes).sum();
    let count = files.len() as u32;
    let manifest = DiscManifest {
        version: printvault_domain::dispatch::JOB_VERSION,
        job_id: printvault_domain::dispatch::disc::disc_job_id(&order.order_id),
        disc_id: order.order_id.to_string(),
        files,
        sheet: printvault_domain::dispatch::disc::SheetFiles {
            pdf: matter.sheet_pdf,
            pages: matter.sheet_pages,
        },
        label: matter.label,
    };
    let manifest = ports
        .put_manifest(&order.order_id, &manifest, url_ttl, now)
        .await?;
    let job = DiscJob::new(order, terms.disc, manifest, count, bytes, at);
    ports.send_disc_job(&lab, &job).await?;
    let done = order
        .status
        .advance(printvault_domain::order::OrderStatus::Dispatched, at)?;
    ports.advance(&order.order_id, &done).await?;
    info!(files = count, bytes, disc = terms.disc.as_str(), lab = %lab.lab_id, "disc job dispatched");
    Ok(Outcome::Dispatched(1))
}

/// The disc's images that are still the buyer's, ready and not being
/// deleted, in the order's order (oldest first).
async fn still_there<P: DispatchPorts>(
    ports: &P,
    order: &Order,
    terms: &ArchiveTerms,
) -> Result<Vec<Image>, Error> {
    let found = ports.images(&terms.images).await?;
    Ok(terms
        .images
        .iter()
        .filter_map(|id| found.iter().find(|i| &i.id == id))
        .filter(|i| {
            order.buyer.customer() == Some(&i.owner)
                && i.status == ImageStatus::Ready
                && !i.deleting
                && i.finalised.is_some()
        })
        .cloned()
        .collect())
}

fn format_of(image: &Image) -> String {
    image
        .finalised
        .as_ref()
        .map(|f| f.format.clone())
        .unwrap_or_default()
}

/// Each image with its path on the disc, by the month it was taken, else
/// stored.
fn with_paths(images: Vec<Image>) -> Vec<OnDisc> {
    let months: Vec<String> = images
        .iter()
        .map(|i| {
            let stored = i.created_at.time().date();
            i.attributes
                .taken_at
                .as_deref()
                .and_then(|t| t.get(..7))
                .map_or_else(
                    || format!("{:04}-{:02}", stored.year(), u8::from(stored.month())),
                    str::to_owned,
                )
        })
        .collect();
    let formats: Vec<String> = images.iter().map(format_of).collect();
    let named: Vec<Named<'_>> = images
        .iter()
        .zip(&months)
        .zip(&formats)
        .map(|((i, m), f)| Named {
            image_id: &i.id,
            file_name: i.file_name.as_deref(),
            format: f,
            month: m,
        })
        .collect();
    let paths = disc_paths(&named);
    images
        .into_iter()
        .zip(paths)
        .map(|(image, path)| OnDisc { image, path })
        .collect()
}
