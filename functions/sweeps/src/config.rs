use printvault_adapters::lambda::{required_env, settings_from_env};
use printvault_adapters::names::ResourceNames;
use printvault_domain::settings::Settings;

/// Read once at cold start; a missing value stops the function with its name.
#[derive(Debug, Clone)]
pub struct Config {
    /// Customers (their email addresses).
    pub accounts_table: String,
    /// Images (their `metered` marks).
    pub images_table: String,
    /// Meters, invoices and arrears.
    pub billing_table: String,
    /// Storage points (M25).
    pub ledger_table: String,
    /// Every email goes to the notifier through here.
    pub notices_queue_url: String,
    pub settings: Settings,
}

impl Config {
    pub fn from_env() -> anyhow::Result<Self> {
        Ok(Self {
            accounts_table: required_env("ACCOUNTS_TABLE")?,
            images_table: required_env("IMAGES_TABLE")?,
            billing_table: required_env("BILLING_TABLE")?,
            ledger_table: required_env("LEDGER_TABLE")?,
            notices_queue_url: required_env("NOTICES_QUEUE_URL")?,
            settings: settings_from_env()?,
        })
    }

    /// The configuration of a deployment named `names`; the notices queue's
    /// URL comes from whoever made the queue.
    pub fn for_names(names: &ResourceNames, settings: &Settings, notices_queue_url: String) -> Self {
        Self {
            accounts_table: names.accounts_table.clone(),
            images_table: names.images_table.clone(),
            billing_table: names.billing_table.clone(),
            ledger_table: names.ledger_table.clone(),
            notices_queue_url,
            settings: settings.clone(),
        }
    }
}
