use printvault_adapters::lambda::{required_env, settings_from_env};
use printvault_adapters::locations::Locations;
use printvault_adapters::names::ResourceNames;
use printvault_domain::settings::Settings;

/// Read once at cold start; a missing value stops the function with its name.
#[derive(Debug, Clone)]
pub struct Config {
    /// What an export reads (the customer and their export jobs, images
    /// and albums, grants, links and groups, orders, points, invoices),
    /// the bucket it reads originals from and writes parts to, the notices
    /// queue for its email and its own queue for hand-overs. The stores
    /// an export never touches stay unnamed.
    pub at: Locations,
    pub settings: Settings,
}

impl Config {
    pub fn from_env() -> anyhow::Result<Self> {
        Ok(Self {
            at: Locations {
                accounts_table: required_env("ACCOUNTS_TABLE")?,
                images_table: required_env("IMAGES_TABLE")?,
                blocklist_table: String::new(),
                sharing_table: required_env("SHARING_TABLE")?,
                orders_table: required_env("ORDERS_TABLE")?,
                ledger_table: required_env("LEDGER_TABLE")?,
                billing_table: required_env("BILLING_TABLE")?,
                photos_bucket: required_env("PHOTOS_BUCKET")?,
                image_events_queue_url: String::new(),
                notices_queue_url: required_env("NOTICES_QUEUE_URL")?,
                dispatch_queue_url: String::new(),
                lab_queue_prefix: String::new(),
                exports_queue_url: required_env("EXPORTS_QUEUE_URL")?,
            },
            settings: settings_from_env()?,
        })
    }

    /// The configuration of a deployment named `names`; the queues' URLs
    /// come from whoever made them.
    pub fn for_names(
        names: &ResourceNames,
        settings: &Settings,
        notices_queue_url: String,
        exports_queue_url: String,
    ) -> Self {
        let mut at = Locations::of(
            names,
            printvault_adapters::locations::QueueUrls {
                image_events: String::new(),
                notices: notices_queue_url,
                dispatch: String::new(),
                exports: exports_queue_url,
            },
        );
        at.blocklist_table = String::new();
        at.lab_queue_prefix = String::new();
        Self {
            at,
            settings: settings.clone(),
        }
    }
}
