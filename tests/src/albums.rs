//! Reading albums as their owner sees them.

use crate::{Caller, TestEnv};
use reqwest::StatusCode;

impl TestEnv {
    /// The caller's automatic albums as `(name, album_id)`, sorted by name.
    pub async fn auto_albums(&self, who: impl Caller) -> Vec<(String, String)> {
        let (s, list) = self.get("/v1/albums", who).await;
        assert_eq!(s, StatusCode::OK, "{list}");
        let mut out: Vec<(String, String)> = list["albums"]
            .as_array()
            .expect("albums")
            .iter()
            .filter(|a| a["kind"] == "auto")
            .map(|a| {
                (
                    a["name"].as_str().expect("name").to_owned(),
                    a["album_id"].as_str().expect("album_id").to_owned(),
                )
            })
            .collect();
        out.sort();
        out
    }

    /// The image IDs in an album, in its order.
    pub async fn album_images(&self, who: impl Caller, album_id: &str) -> Vec<String> {
        let (s, page) = self.get(&format!("/v1/albums/{album_id}"), who).await;
        assert_eq!(s, StatusCode::OK, "{page}");
        page["images"]
            .as_array()
            .expect("images")
            .iter()
            .map(|i| i["image_id"].as_str().expect("image_id").to_owned())
            .collect()
    }
}

/// The image IDs of a page (`images[].image_id`), in order.
pub fn page_ids(page: &serde_json::Value) -> Vec<String> {
    page["images"]
        .as_array()
        .expect("a page of images")
        .iter()
        .map(|i| i["image_id"].as_str().expect("an image_id").to_owned())
        .collect()
}
