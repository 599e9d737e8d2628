//! Archive helpers (M32): an original's bytes, and putting an archived
//! original back online between runs of the move.

use crate::TestEnv;
use printvault_domain::ids::{CustomerId, ImageId};
use printvault_domain::image::Image;

impl TestEnv {
    /// The bytes of `image`'s original, as stored (online only).
    pub async fn original_bytes(&self, owner: &CustomerId, image: &ImageId) -> Vec<u8> {
        self.stack
            .clients
            .s3
            .get_object()
            .bucket(&self.stack.resources.names.photos_bucket)
            .key(printvault_adapters::keys::original_key(owner, image))
            .send()
            .await
            .expect("an online original")
            .body
            .collect()
            .await
            .expect("its bytes")
            .to_vec()
    }

    /// Puts `image`'s original back online as `bytes` and clears its
    /// record's `archive` (M32's tests, between runs of the move).
    pub async fn reset_to_online(&self, image: &Image, bytes: &[u8]) {
        let names = &self.stack.resources.names;
        self.stack
            .clients
            .s3
            .put_object()
            .bucket(&names.photos_bucket)
            .key(printvault_adapters::keys::original_key(&image.owner, &image.id))
            .body(bytes.to_vec().into())
            .send()
            .await
            .expect("the original put back");
        self.stack
            .clients
            .dynamodb
            .update_item()
            .table_name(&names.images_table)
            .set_key(Some(printvault_adapters::dynamo::key(
                printvault_adapters::keys::customer_pk(&image.owner),
                printvault_adapters::keys::image_sk(&image.id),
            )))
            .update_expression("REMOVE #arc")
            .expression_attribute_names("#arc", "archive")
            .send()
            .await
            .expect("the record cleared");
    }
}
