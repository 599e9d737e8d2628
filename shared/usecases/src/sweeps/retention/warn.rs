//! The retention sweep's warnings: one email per owner and run.

use printvault_domain::billing::day_str;
use printvault_domain::notice::{Message, Notice, NoticeId, WarnedImage};
use printvault_domain::Error;
use sha2::{Digest, Sha256};
use time::Date;

use super::{RetentionSweep, ToWarn};
use crate::sweeps::Report;

impl RetentionSweep {
    /// Emails one owner's warnings of this run, then moves each image to
    /// its deletion under that email's notice ID.
    pub(super) async fn warn(
        &self,
        images: Vec<ToWarn>,
        today: Date,
        report: &mut Report,
    ) -> Result<(), Error> {
        let owner = images[0].image.owner.clone();
        let mut ids: Vec<&str> = images.iter().map(|w| w.image.id.as_str()).collect();
        ids.sort_unstable();
        let digest = hex::encode(&Sha256::digest(ids.join(",").as_bytes())[..8]);
        let notice_id = NoticeId::parse(&format!("retention:{owner}:{}:{digest}", day_str(today)))?;
        let Some(customer) = self.stores.accounts.customer(&owner).await? else {
            // No account to write to: nothing is scheduled for deletion.
            return Ok(());
        };
        let warned = images
            .iter()
            .map(|w| WarnedImage {
                image_id: w.image.id.to_string(),
                file_name: w.image.file_name.clone(),
                cause: w.cause.as_str().into(),
                delete_on: w.delete_on,
                trash_days: Some(self.settings.trash.keep_days),
            })
            .collect();
        self.stores
            .notices
            .send(&Notice {
                notice_id: notice_id.clone(),
                to: customer.email,
                message: Message::RetentionWarning { images: warned },
            })
            .await?;
        for w in images {
            let next = w
                .schedule
                .warned(w.cause, w.delete_on, notice_id.as_str(), today, w.image.rev);
            if self.stores.images.move_retention(&w.image, Some(&next)).await? {
                report.count("warned");
            }
        }
        Ok(())
    }
}
