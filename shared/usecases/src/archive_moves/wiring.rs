//! The move's ports, served by DynamoDB and S3 through print-dispatch's
//! storage (the move comes on its queue).

use printvault_adapters::keys;
use printvault_domain::archive::Archived;
use printvault_domain::ids::{CustomerId, ImageId, OrderId, ProposalId};
use printvault_domain::image::Image;
use printvault_domain::lab_report::disc::DiscRecord;
use printvault_domain::order::Order;
use printvault_domain::when::Timestamp;
use printvault_domain::Error;

use super::ports::{MovePorts, Original};
use crate::orders::dispatch::wiring::DispatchStorage;

impl MovePorts for DispatchStorage {
    async fn order(&self, id: &OrderId) -> Result<Option<Order>, Error> {
        self.orders.get(id).await
    }
    async fn disc_record(&self, id: &OrderId) -> Result<Option<DiscRecord>, Error> {
        self.orders.disc_record(id).await
    }
    async fn images(&self, ids: &[ImageId]) -> Result<Vec<Image>, Error> {
        self.images.find_many(ids).await
    }
    async fn claim(&self, image: &Image, claim: &Archived, now: Timestamp) -> Result<bool, Error> {
        self.images.claim_move(image, claim, now).await
    }
    async fn original(&self, image: &Image) -> Result<Original, Error> {
        let key = keys::original_key(&image.owner, &image.id);
        Ok(match self.objects.storage_class(&key).await? {
            None => Original::Missing,
            Some(c) if c == self.archive_class => Original::Moved,
            Some(_) => Original::Online,
        })
    }
    async fn to_archive(&self, image: &Image) -> Result<(), Error> {
        let key = keys::original_key(&image.owner, &image.id);
        Ok(self.objects.copy_to_class(&key, &self.archive_class).await?)
    }
    async fn mark_archived(
        &self,
        image: &Image,
        disc: &OrderId,
        me: &str,
        at: Timestamp,
    ) -> Result<bool, Error> {
        self.billing.archive_image(image, disc, me, at).await
    }
    async fn free_schedule(&self, owner: &CustomerId, proposal: &ProposalId) -> Result<(), Error> {
        self.archive.free_schedule(owner, proposal).await
    }
    async fn release(&self, image: &Image, me: &str) -> Result<(), Error> {
        self.images.release_move(image, me).await
    }
    async fn hand_on(&self, order: &OrderId) -> Result<(), Error> {
        self.dispatch.disc_written(order).await
    }
}
