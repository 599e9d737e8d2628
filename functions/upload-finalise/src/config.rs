use printvault_adapters::lambda::{required_env, settings_from_env};
use printvault_adapters::names::{ResourceNames, UPLOAD_FINALISE_MEMORY_MB};
use printvault_domain::settings::Settings;

/// Read once at cold start; a missing value stops the function with its name.
#[derive(Debug, Clone)]
pub struct Config {
    pub images_table: String,
    pub blocklist_table: String,
    /// Storage meters (M23): a ready image's bytes count from here.
    pub billing_table: String,
    pub photos_bucket: String,
    /// Where `image.ready` events go, for classify (M12).
    pub image_events_queue_url: String,
    /// The function's memory (MB), which the uploads in flight share.
    pub memory_mb: u64,
    pub settings: Settings,
}

impl Config {
    pub fn from_env() -> anyhow::Result<Self> {
        Ok(Self {
            images_table: required_env("IMAGES_TABLE")?,
            blocklist_table: required_env("BLOCKLIST_TABLE")?,
            billing_table: required_env("BILLING_TABLE")?,
            photos_bucket: required_env("PHOTOS_BUCKET")?,
            image_events_queue_url: required_env("IMAGE_EVENTS_QUEUE_URL")?,
            // Lambda sets it from the function's MemorySize.
            memory_mb: match std::env::var("AWS_LAMBDA_FUNCTION_MEMORY_SIZE") {
                Ok(mb) => mb
                    .trim()
                    .parse()
                    .map_err(|e| anyhow::anyhow!("AWS_LAMBDA_FUNCTION_MEMORY_SIZE={mb:?}: {e}"))?,
                Err(_) => UPLOAD_FINALISE_MEMORY_MB,
            },
            settings: settings_from_env()?,
        })
    }

    /// The configuration of a deployment named `names`. A queue URL cannot
    /// be made from a name (it holds the account and endpoint), so the
    /// image-events queue's URL comes from whoever made the queue.
    pub fn for_names(names: &ResourceNames, settings: Settings, image_events_queue_url: String) -> Self {
        Self {
            images_table: names.images_table.clone(),
            blocklist_table: names.blocklist_table.clone(),
            billing_table: names.billing_table.clone(),
            photos_bucket: names.photos_bucket.clone(),
            image_events_queue_url,
            memory_mb: UPLOAD_FINALISE_MEMORY_MB,
            settings,
        }
    }
}
