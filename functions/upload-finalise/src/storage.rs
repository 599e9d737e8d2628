//! What a ready image starts: its bytes on the owner's storage meter (M23)
//! and its retention schedule (M26, M27). Each happens once, whatever is
//! redelivered.

use printvault_adapters::billing::Direction;
use printvault_domain::ids::{CustomerId, ImageId};
use printvault_domain::image::{Finalised, Image};

use crate::Finaliser;

impl Finaliser {
    /// Puts a ready image's bytes on its owner's meter, once.
    pub(crate) async fn meter(&self, owner: &CustomerId, id: &ImageId, f: &Finalised) -> anyhow::Result<()> {
        let t = printvault_domain::when::parse_rfc3339(&f.finalised_at)
            .unwrap_or_else(printvault_domain::when::now)
            .unix_timestamp();
        self.billing
            .meter_image(owner, id, f.bytes, t, Direction::In)
            .await?;
        Ok(())
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
