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

fn var(name: &str) -> anyhow::Result<String> {
    match std::env::var(name) {
        Ok(v) if !v.trim().is_empty() => Ok(v),
        _ => anyhow::bail!("environment variable {name} must be set"),
    }
}

impl Config {
    pub fn from_env() -> anyhow::Result<Self> {
        let settings = Settings::from_json(&std::env::var("PRINTVAULT_SETTINGS").unwrap_or_default())?;
        Ok(Self {
            images_table: var("IMAGES_TABLE")?,
            accounts_table: var("ACCOUNTS_TABLE")?,
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
