use printvault_adapters::lambda::{required_env, settings_from_env};
use printvault_adapters::names::ResourceNames;
use printvault_domain::settings::Settings;

/// Read once at cold start; a missing value stops the function with its name.
#[derive(Debug, Clone)]
pub struct Config {
    /// Images, and the albums beside them.
    pub images_table: String,
    /// Customers: their birthdays and named dates name albums too.
    pub accounts_table: String,
    /// Write shards of the public search index (settings: `search.public_shards`).
    pub search_shards: u32,
}

impl Config {
    pub fn from_env() -> anyhow::Result<Self> {
        let settings = settings_from_env()?;
        Ok(Self {
            images_table: required_env("IMAGES_TABLE")?,
            accounts_table: required_env("ACCOUNTS_TABLE")?,
            search_shards: settings.search.public_shards,
        })
    }

    pub fn for_names(names: &ResourceNames, settings: &Settings) -> Self {
        Self {
            images_table: names.images_table.clone(),
            accounts_table: names.accounts_table.clone(),
            search_shards: settings.search.public_shards,
        }
    }
}
