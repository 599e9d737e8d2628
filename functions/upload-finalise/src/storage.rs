//! What a ready image starts: its bytes on the owner's storage meter (M23)
//! and its retention schedule (M26, M27). Each happens once, whatever is
//! redelivered.

use printvault_adapters::billing::Direction;
use printvault_adapters::images::{Outcome, Settled};
use printvault_domain::ids::{CustomerId, ImageId};
use printvault_domain::image::{Finalised, Image};

use crate::Finaliser;

/// Tries before settling gives up when the owner's meter keeps moving
/// (many of their uploads finalising at once); the message is then retried.
const METER_ATTEMPTS: u64 = 25;

/// The unix second a ready image's bytes count from: when it was finalised.
fn metered_from(f: &Finalised) -> i64 {
    printvault_domain::when::parse_rfc3339(&f.finalised_at)
        .unwrap_or_else(printvault_domain::when::now)
        .unix_timestamp()
}

impl Finaliser {
    /// Puts a ready image's bytes on its owner's meter, once (a record settled
    /// before `ready` and metered were one write).
    pub(crate) async fn meter(&self, owner: &CustomerId, id: &ImageId, f: &Finalised) -> anyhow::Result<()> {
        let t = metered_from(f);
        self.billing
            .meter_image(owner, id, f.bytes, t, Direction::In)
            .await?;
        Ok(())
    }

    /// Settles the upload with its outcome. A ready one goes on its owner's
    /// meter in the same transaction; a meter that moved meanwhile (another
    /// upload of the owner's) is read again.
    pub(crate) async fn settle_metered(
        &self,
        owner: &CustomerId,
        id: &ImageId,
        outcome: &Outcome,
    ) -> anyhow::Result<Settled> {
        let Outcome::Ready { finalised, .. } = outcome else {
            return Ok(self.images.settle(owner, id, outcome, None).await?);
        };
        let t = metered_from(finalised);
        for attempt in 0..METER_ATTEMPTS {
            let (item, _closed) = self.billing.meter_in_item(owner, finalised.bytes, t).await?;
            match self.images.settle(owner, id, outcome, Some((item, t))).await? {
                Settled::MeterMoved => {
                    tokio::time::sleep(std::time::Duration::from_millis(5 + 7 * attempt)).await;
                }
                done => return Ok(done),
            }
        }
        anyhow::bail!("the owner's storage meter kept changing; the upload is retried")
    }

    /// Schedules a ready image's first retention step (M26: the storage-
    /// period notice), once: only a record without a schedule takes it.
    pub(crate) async fn start_retention(&self, image: &Image, f: &Finalised) -> anyhow::Result<()> {
        let uploaded = printvault_domain::when::parse_rfc3339(&f.finalised_at)
            .unwrap_or_else(printvault_domain::when::now)
            .date();
        let (step, on) = printvault_domain::retention::first(uploaded, &self.settings.retention);
        let schedule = printvault_domain::retention::Schedule {
            step,
            on: printvault_domain::billing::day_str(on),
            since: printvault_domain::billing::day_str(uploaded),
            cause: None,
            notice_id: None,
            warned_on: None,
            warned_rev: 0,
        };
        let unscheduled = Image {
            retention: None,
            ..image.clone()
        };
        self.images.move_retention(&unscheduled, Some(&schedule)).await?;
        Ok(())
    }
}
