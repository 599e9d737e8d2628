use printvault_adapters::lambda::required_env;
use printvault_adapters::names::ResourceNames;

/// Read once at cold start; a missing value stops the function with its name.
#[derive(Debug, Clone)]
pub struct Config {
    /// Holds the notice claims (`NOTICE#<id>`), beside the accounts.
    pub accounts_table: String,
    /// The verified SES identity every email is sent from.
    pub mail_from: String,
    /// The SES configuration set that reports deliveries, bounces and
    /// complaints (`MAIL_CONFIGURATION_SET`; none locally).
    pub configuration_set: Option<String>,
    /// Also write each email's text to the log (`LOG_EMAILS=1`). Only for a
    /// local stack, where nobody receives the mail: the text holds
    /// single-use codes, which never belong in a deployed log.
    pub log_emails: bool,
}

impl Config {
    pub fn from_env() -> anyhow::Result<Self> {
        Ok(Self {
            accounts_table: required_env("ACCOUNTS_TABLE")?,
            mail_from: required_env("MAIL_FROM")?,
            configuration_set: std::env::var("MAIL_CONFIGURATION_SET")
                .ok()
                .filter(|s| !s.is_empty()),
            log_emails: std::env::var("LOG_EMAILS").is_ok_and(|v| v == "1"),
        })
    }

    pub fn for_names(names: &ResourceNames, mail_from: &str) -> Self {
        Self {
            accounts_table: names.accounts_table.clone(),
            mail_from: mail_from.to_owned(),
            configuration_set: None,
            log_emails: false,
        }
    }
}
