//! Uploading images as a client would, waiting for them to settle, and
//! image records made directly for the stores.

use crate::{testkit, Caller, TestEnv};
use printvault_domain::access::Class;
use printvault_domain::ids::{CustomerId, ImageId};
use printvault_domain::image::{Attributes, Image};
use printvault_domain::when::Timestamp;
use reqwest::StatusCode;
use serde_json::{json, Value};
use std::time::{Duration, Instant};

/// An image ID from the api, typed, for calls into the stores.
pub fn image_id(raw: &str) -> ImageId {
    ImageId::parse(raw).expect("an image ID")
}

/// A generated 640×480 JPEG photo whose EXIF says it was taken at
/// `taken_at` (EXIF's `2024:05:03 14:30:00` form).
pub fn jpeg_taken_at(seed: u64, taken_at: &str) -> Vec<u8> {
    testkit::with_exif(
        &testkit::photo_jpeg(640, 480, seed),
        &testkit::TestExif {
            taken_at: Some(taken_at.into()),
            ..Default::default()
        },
    )
}

impl TestEnv {
    /// Asks for an upload URL and PUTs `bytes` to it, as a client would.
    /// Returns the image ID.
    pub async fn upload(&self, who: impl Caller, bytes: &[u8], content_type: &str) -> String {
        let (s, b) = self
            .post(
                "/v1/uploads",
                who,
                json!({"file_name": "photo", "content_type": content_type, "content_length": bytes.len()}),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{b}");
        self.put_presigned(&b["upload"], bytes).await;
        b["image_id"].as_str().expect("image_id").to_owned()
    }

    /// A real HTTP PUT to a presigned URL with the headers it was signed for.
    pub async fn put_presigned(&self, upload: &Value, bytes: &[u8]) {
        let status = self.try_put_presigned(upload, bytes).await;
        assert!(status.is_success(), "PUT failed: {status}");
    }

    /// The same PUT, returning how S3 answered.
    pub async fn try_put_presigned(&self, upload: &Value, bytes: &[u8]) -> StatusCode {
        let mut req = self.http.put(upload["url"].as_str().expect("url"));
        for (k, v) in upload["headers"].as_object().expect("headers") {
            if k != "content-length" {
                req = req.header(k, v.as_str().expect("header value"));
            }
        }
        req.body(bytes.to_vec())
            .send()
            .await
            .expect("PUT reaches S3")
            .status()
    }

    /// Polls the image until its status is not `pending`, and returns it.
    pub async fn settled(&self, who: impl Caller, image_id: &str) -> Value {
        let token = who.token();
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let (s, b) = self.get(&format!("/v1/images/{image_id}"), token).await;
            assert_eq!(s, StatusCode::OK, "{b}");
            if b["status"] != "pending" {
                return b;
            }
            assert!(
                Instant::now() < deadline,
                "image {image_id} still pending after 60 s"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Uploads `bytes` and waits until the image is `ready`; returns its ID.
    pub async fn upload_ready(&self, who: impl Caller, bytes: &[u8], content_type: &str) -> String {
        let token = who.token();
        let id = self.upload(token, bytes, content_type).await;
        let image = self.settled(token, &id).await;
        assert_eq!(image["status"], "ready", "{image}");
        id
    }

    /// Uploads a generated 640×480 JPEG photo (different seeds give
    /// different photos) and waits until it is `ready`; returns its ID.
    pub async fn ready_image(&self, who: impl Caller, seed: u64) -> String {
        self.upload_ready(who, &testkit::photo_jpeg(640, 480, seed), "image/jpeg")
            .await
    }

    /// [`TestEnv::ready_image`], then given `attributes` (a PATCH's
    /// `attributes`) and `class` (a PUT `/class` body).
    pub async fn ready_image_with(
        &self,
        who: impl Caller,
        seed: u64,
        attributes: Value,
        class: Value,
    ) -> String {
        let token = who.token();
        let id = self.ready_image(token, seed).await;
        let path = format!("/v1/images/{id}");
        let (s, b) = self.patch(&path, token, json!({"attributes": attributes})).await;
        assert_eq!(s, StatusCode::OK, "{b}");
        let (s, b) = self.put(&format!("{path}/class"), token, class).await;
        assert_eq!(s, StatusCode::OK, "{b}");
        id
    }

    /// Whether the image's record is marked metered (its bytes count on
    /// its owner's storage meter, M23), read consistently.
    pub async fn metered(&self, owner: &CustomerId, id: &ImageId) -> bool {
        let raw = self
            .stack
            .clients
            .dynamodb
            .get_item()
            .table_name(&self.stack.resources.names.images_table)
            .set_key(Some(printvault_adapters::dynamo::key(
                printvault_adapters::keys::customer_pk(owner),
                printvault_adapters::keys::image_sk(id),
            )))
            .consistent_read(true)
            .send()
            .await
            .expect("reading an image record");
        raw.item.is_some_and(|i| i.contains_key("metered"))
    }

    /// The image's record as stored, if there is one.
    pub async fn record(&self, owner: &CustomerId, id: &ImageId) -> Option<Image> {
        self.stack
            .api_state
            .stores
            .images
            .record(owner, id)
            .await
            .expect("reading an image record")
    }
}

/// A ready image record of `owner` with `attributes`, for loading the search
/// index directly (benchmarks, paging tests). Printable ones cost 100 and 300 yen.
pub fn ready_image_record(owner: &CustomerId, class: Class, attributes: Attributes) -> Image {
    use printvault_domain::classification::Prices;
    use printvault_domain::image::{Finalised, ImageStatus};
    use printvault_domain::money::Yen;
    let mut image = Image::pending(
        owner.clone(),
        None,
        "image/jpeg",
        1,
        "2026-01-01T00:00:00Z".parse().unwrap(),
    );
    image.status = ImageStatus::Ready;
    image.finalised = Some(Finalised {
        format: "jpeg".into(),
        bytes: 1,
        width: 4000,
        height: 3000,
        sha256: String::new(),
        phash: String::new(),
        finalised_at: Timestamp::EPOCH,
    });
    image.attributes = attributes;
    image.prices = (class == Class::Printable).then_some(Prices {
        l: Yen(100),
        two_l: Yen(300),
    });
    image.class = class;
    image
}
