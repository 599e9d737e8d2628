use printvault_adapters::lambda::{required_env, settings_from_env};
use printvault_adapters::names::ResourceNames;
use printvault_domain::settings::Settings;

/// Read once at cold start; a missing value stops the function with its name.
#[derive(Debug, Clone)]
pub struct Config {
    /// Orders and labs.
    pub orders_table: String,
    /// The images the lines print (their size and SHA-256).
    pub images_table: String,
    /// Where the originals are, for the presigned URLs.
    pub photos_bucket: String,
    pub settings: Settings,
}

impl Config {
    pub fn from_env() -> anyhow::Result<Self> {
        Ok(Self {
            orders_table: required_env("ORDERS_TABLE")?,
            images_table: required_env("IMAGES_TABLE")?,
            photos_bucket: required_env("PHOTOS_BUCKET")?,
            settings: settings_from_env()?,
        })
    }

    pub fn for_names(names: &ResourceNames, settings: &Settings) -> Self {
        Self {
            orders_table: names.orders_table.clone(),
            images_table: names.images_table.clone(),
            photos_bucket: names.photos_bucket.clone(),
            settings: settings.clone(),
        }
    }
}
