//! An archive disc's printed matter (M31), drawn when its order is paid
//! and stored under the order (`discs/<order>/`), once: the index sheet
//! (PDF, and a PNG of each page) and the label. The PDF is written last,
//! with the number of pages in its metadata, so a redelivery that finds it
//! finds everything and draws nothing; one that does not draws it all
//! again (the same bytes from the same thumbnails).

use futures::stream::{self, StreamExt, TryStreamExt};
use printvault_adapters::keys;
use printvault_adapters::objects::Fetched;
use printvault_domain::dispatch::disc::Fetch;
use printvault_domain::order::Order;
use printvault_domain::when::Timestamp;
use printvault_domain::Error;
use printvault_sheets::{Entry, Label, Sheet, Thumb};
use std::time::Duration;
use time::OffsetDateTime;

use super::wiring::DispatchStorage;
use super::{Matter, OnDisc};

/// Thumbnails read at once.
const READS_AT_ONCE: usize = 16;
/// The largest thumbnail read (they are 256-pixel JPEGs of a few KB).
const MAX_THUMB_BYTES: u64 = 2 * 1024 * 1024;
/// The user metadata that holds the sheet's page count.
const PAGES_METADATA: &str = "pages";

/// The bytes drawn.
struct Drawn {
    pdf: Vec<u8>,
    pages: Vec<Vec<u8>>,
    label: Vec<u8>,
}

impl DispatchStorage {
    /// See [`super::DispatchPorts::disc_matter`].
    pub(super) async fn matter(
        &self,
        order: &Order,
        files: &[OnDisc],
        ttl: Duration,
        now: OffsetDateTime,
    ) -> Result<Matter, Error> {
        let o = &order.order_id;
        let pdf_key = keys::disc_sheet_pdf_key(o);
        let pages = match self.objects.metadata(&pdf_key, PAGES_METADATA).await? {
            Some(n) => n
                .parse::<usize>()
                .map_err(|e| anyhow::anyhow!("{pdf_key}: pages {n:?}: {e}"))?,
            None => self.draw_and_store(order, files).await?,
        };
        let at = Timestamp::at(now + ttl);
        let sheet_pdf = self.fetch(&pdf_key, ttl, at).await?;
        let mut sheet_pages = Vec::with_capacity(pages);
        for n in 1..=pages {
            sheet_pages.push(self.fetch(&keys::disc_sheet_page_key(o, n), ttl, at).await?);
        }
        let label = self.fetch(&keys::disc_label_key(o), ttl, at).await?;
        Ok(Matter {
            sheet_pdf,
            sheet_pages,
            label,
        })
    }

    /// Where the lab fetches the object at `key`, written with its SHA-256.
    pub(super) async fn fetch(&self, key: &str, ttl: Duration, until: Timestamp) -> Result<Fetch, Error> {
        let (bytes, sha256) = self
            .objects
            .fingerprint(key)
            .await?
            .ok_or_else(|| anyhow::anyhow!("{key} is missing, or has no SHA-256"))?;
        Ok(Fetch {
            url: self.presigner.presign_get(key, ttl).await?,
            url_expires_at: until,
            bytes,
            sha256,
        })
    }

    /// Draws the matter and stores it, the PDF last; returns the pages.
    async fn draw_and_store(&self, order: &Order, files: &[OnDisc]) -> Result<usize, Error> {
        let thumbs = self.thumbs(files).await?;
        let name = order.address.name.clone();
        let disc_id = order.order_id.to_string();
        let entries: Vec<(String, Option<String>, u64)> = files
            .iter()
            .map(|f| {
                (
                    f.file_name().to_owned(),
                    f.image.attributes.taken_at.clone(),
                    f.image.finalised.as_ref().map_or(0, |x| x.bytes),
                )
            })
            .collect();
        let (from, to) = (stored_day(files.first()), stored_day(files.last()));
        let drawn = tokio::task::spawn_blocking(move || draw(&name, &disc_id, &entries, thumbs, &from, &to))
            .await
            .map_err(|e| anyhow::anyhow!("drawing the disc's sheet and label failed: {e}"))?;
        let o = &order.order_id;
        for (n, page) in drawn.pages.iter().enumerate() {
            self.objects
                .put_fingerprinted(
                    &keys::disc_sheet_page_key(o, n + 1),
                    page.clone(),
                    "image/png",
                    &[],
                )
                .await?;
        }
        self.objects
            .put_fingerprinted(&keys::disc_label_key(o), drawn.label, "image/png", &[])
            .await?;
        let pages = drawn.pages.len();
        self.objects
            .put_fingerprinted(
                &keys::disc_sheet_pdf_key(o),
                drawn.pdf,
                "application/pdf",
                &[(PAGES_METADATA, pages.to_string())],
            )
            .await?;
        tracing::info!(
            pages,
            files = files.len(),
            "drew the disc's index sheet and label"
        );
        Ok(pages)
    }

    /// Each file's thumbnail, decoded; `None` for one that is missing or
    /// will not decode (its frame on the sheet stays empty).
    async fn thumbs(&self, files: &[OnDisc]) -> Result<Vec<Option<Thumb>>, Error> {
        let keys: Vec<String> = files
            .iter()
            .map(|f| keys::thumb_key(&f.image.owner, &f.image.id))
            .collect();
        stream::iter(keys)
            .map(|key| async move {
                let bytes = match self.objects.get_bounded(&key, MAX_THUMB_BYTES).await? {
                    Fetched::Bytes(b) => b,
                    _ => return Ok::<_, Error>(None),
                };
                Ok(decode(&bytes))
            })
            .buffered(READS_AT_ONCE)
            .try_collect()
            .await
    }
}

/// A thumbnail's RGBA, if it decodes.
fn decode(bytes: &[u8]) -> Option<Thumb> {
    let limits = printvault_imaging::Limits::default();
    match printvault_imaging::decode_rgb(bytes, &limits, 512) {
        Ok((width, height, rgb)) => Some(Thumb {
            width,
            height,
            rgba: rgb
                .chunks_exact(3)
                .flat_map(|p| [p[0], p[1], p[2], 255])
                .collect(),
        }),
        Err(e) => {
            tracing::warn!(error = %e, "a thumbnail does not decode: its frame stays empty");
            None
        }
    }
}

/// The day `file` was stored, `YYYY-MM-DD`.
fn stored_day(file: Option<&OnDisc>) -> String {
    file.map(|f| f.image.created_at.time().date().to_string())
        .unwrap_or_default()
}

/// The sheet and the label.
fn draw(
    name: &str,
    disc_id: &str,
    entries: &[(String, Option<String>, u64)],
    thumbs: Vec<Option<Thumb>>,
    from: &str,
    to: &str,
) -> Drawn {
    let entries: Vec<Entry<'_>> = entries
        .iter()
        .zip(&thumbs)
        .map(|((file_name, taken, bytes), thumb)| Entry {
            file_name,
            taken: taken.as_deref(),
            bytes: *bytes,
            thumb: thumb.as_ref(),
        })
        .collect();
    let sheet = Sheet {
        name,
        disc_id,
        entries: &entries,
    };
    let pdf = printvault_sheets::sheet_pdf(&sheet);
    let pages = printvault_sheets::sheet_pngs(&sheet);
    let photos = entries.len();
    drop(entries);
    let mosaic: Vec<Thumb> = thumbs.into_iter().flatten().collect();
    let label = printvault_sheets::render_label(&Label {
        name,
        disc_id,
        from,
        to,
        photos,
        thumbs: &mosaic,
    });
    Drawn { pdf, pages, label }
}
