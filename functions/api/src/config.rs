//! Configuration, read once at cold start. Missing or invalid values stop the
//! function with a message that names them.

use printvault_adapters::lambda::{required_env, settings_from_env};
use printvault_adapters::names::ResourceNames;
use printvault_domain::settings::Settings;

#[derive(Debug, Clone)]
pub struct Config {
    pub accounts_table: String,
    pub images_table: String,
    pub blocklist_table: String,
    pub sharing_table: String,
    pub photos_bucket: String,
    /// Where `image.attributes_changed` events go, for classify (M12).
    pub image_events_queue_url: String,
    /// Shared secret for `/v1/operator/*` routes (header `x-operator-key`).
    pub operator_key: String,
    pub settings: Settings,
}

impl Config {
    pub fn from_env() -> anyhow::Result<Self> {
        let operator_key = required_env("OPERATOR_KEY")?;
        anyhow::ensure!(
            operator_key.len() >= 32,
            "OPERATOR_KEY must have at least 32 characters"
        );
        let settings = settings_from_env()?;
        Ok(Self {
            accounts_table: required_env("ACCOUNTS_TABLE")?,
            images_table: required_env("IMAGES_TABLE")?,
            blocklist_table: required_env("BLOCKLIST_TABLE")?,
            sharing_table: required_env("SHARING_TABLE")?,
            photos_bucket: required_env("PHOTOS_BUCKET")?,
            image_events_queue_url: required_env("IMAGE_EVENTS_QUEUE_URL")?,
            operator_key,
            settings,
        })
    }

    /// The configuration of one deployment's resources, as the local runner
    /// and the tests make it. A queue URL cannot be made from a name (it
    /// holds the account and endpoint), so it comes from whoever made the queue.
    pub fn for_names(
        names: &ResourceNames,
        operator_key: String,
        settings: Settings,
        image_events_queue_url: String,
    ) -> Self {
        Self {
            accounts_table: names.accounts_table.clone(),
            images_table: names.images_table.clone(),
            blocklist_table: names.blocklist_table.clone(),
            sharing_table: names.sharing_table.clone(),
            photos_bucket: names.photos_bucket.clone(),
            image_events_queue_url,
            operator_key,
            settings,
        }
    }
}
