use printvault_adapters::lambda::{required_env, settings_from_env};
use printvault_adapters::names::ResourceNames;
use printvault_domain::settings::Settings;

use crate::Sweep;

/// Read once at cold start; a missing value stops the function with its
/// name. Each sweep's binary reads only what that sweep uses; the rest
/// stay empty and are never used.
#[derive(Debug, Clone, Default)]
pub struct Config {
    /// Customers (their email addresses) and notice claims (a warning's
    /// delivery).
    pub accounts_table: String,
    /// Images: their `metered` marks, retention schedules, prints.
    pub images_table: String,
    /// Meters, invoices and arrears.
    pub billing_table: String,
    /// Storage points (M25).
    pub ledger_table: String,
    /// Grants and links, revoked with a deleted image.
    pub sharing_table: String,
    /// A deleted image's objects.
    pub photos_bucket: String,
    /// Every email goes to the notifier through here.
    pub notices_queue_url: String,
    /// The api's public base URL, for the thumbnails' links in event
    /// notices (M28).
    pub public_url: String,
    pub settings: Settings,
}

impl Config {
    /// The environment `sweep` reads.
    pub fn from_env(sweep: Sweep) -> anyhow::Result<Self> {
        let mut c = Self {
            images_table: required_env("IMAGES_TABLE")?,
            settings: settings_from_env()?,
            ..Self::default()
        };
        // The trash sweep sends no email and reads no customer.
        if sweep != Sweep::Trash {
            c.accounts_table = required_env("ACCOUNTS_TABLE")?;
            c.notices_queue_url = required_env("NOTICES_QUEUE_URL")?;
        }
        match sweep {
            Sweep::Billing => {
                c.billing_table = required_env("BILLING_TABLE")?;
                c.ledger_table = required_env("LEDGER_TABLE")?;
            }
            Sweep::Retention => {
                c.billing_table = required_env("BILLING_TABLE")?;
                c.sharing_table = required_env("SHARING_TABLE")?;
                c.photos_bucket = required_env("PHOTOS_BUCKET")?;
            }
            Sweep::Anniversary => c.public_url = required_env("PUBLIC_URL")?,
            Sweep::Archive => c.billing_table = required_env("BILLING_TABLE")?,
            Sweep::Trash => {
                c.billing_table = required_env("BILLING_TABLE")?;
                c.sharing_table = required_env("SHARING_TABLE")?;
                c.photos_bucket = required_env("PHOTOS_BUCKET")?;
            }
        }
        Ok(c)
    }

    /// The configuration of a deployment named `names` (every sweep's);
    /// the notices queue's URL comes from whoever made the queue.
    pub fn for_names(
        names: &ResourceNames,
        settings: &Settings,
        notices_queue_url: String,
        public_url: String,
    ) -> Self {
        Self {
            accounts_table: names.accounts_table.clone(),
            images_table: names.images_table.clone(),
            billing_table: names.billing_table.clone(),
            ledger_table: names.ledger_table.clone(),
            sharing_table: names.sharing_table.clone(),
            photos_bucket: names.photos_bucket.clone(),
            notices_queue_url,
            public_url,
            settings: settings.clone(),
        }
    }
}
