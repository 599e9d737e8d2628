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
    /// The points a dead line gives back (reversal journals).
    pub ledger_table: String,
    /// Owners' standing (M24): an owner in arrears prints nothing.
    pub billing_table: String,
    /// Where the buyer's email about a refunded line goes (the notifier).
    pub notices_queue_url: String,
    /// Its own queue: a disc's move out of time hands the rest on (M32).
    pub dispatch_queue_url: String,
    pub settings: Settings,
}

impl Config {
    pub fn from_env() -> anyhow::Result<Self> {
        Ok(Self {
            orders_table: required_env("ORDERS_TABLE")?,
            images_table: required_env("IMAGES_TABLE")?,
            photos_bucket: required_env("PHOTOS_BUCKET")?,
            ledger_table: required_env("LEDGER_TABLE")?,
            billing_table: required_env("BILLING_TABLE")?,
            notices_queue_url: required_env("NOTICES_QUEUE_URL")?,
            dispatch_queue_url: required_env("DISPATCH_QUEUE_URL")?,
            settings: settings_from_env()?,
        })
    }

    /// The configuration of a deployment named `names`; the queues' URLs
    /// come from whoever made them.
    pub fn for_names(
        names: &ResourceNames,
        settings: &Settings,
        notices_queue_url: String,
        dispatch_queue_url: String,
    ) -> Self {
        Self {
            orders_table: names.orders_table.clone(),
            images_table: names.images_table.clone(),
            photos_bucket: names.photos_bucket.clone(),
            ledger_table: names.ledger_table.clone(),
            billing_table: names.billing_table.clone(),
            notices_queue_url,
            dispatch_queue_url,
            settings: settings.clone(),
        }
    }
}
