use printvault_adapters::aws::Clients;
use printvault_domain::settings::Settings;
use printvault_usecases::Stores;
use std::sync::Arc;
use time::OffsetDateTime;

use crate::Config;

/// Everything a request handler needs; cheap to clone.
#[derive(Clone)]
pub struct AppState {
    pub stores: Stores,
    pub settings: Arc<Settings>,
    pub operator_key: Arc<str>,
    /// The payment provider's webhook secrets (M20).
    pub webhook_secrets: Arc<printvault_domain::payment::WebhookSecrets>,
    /// `Config::public_url`.
    pub public_url: Option<Arc<str>>,
    /// `Config::origin_verify`: the CloudFront distribution's proof.
    pub origin_verify: Option<Arc<str>>,
    /// The clock every request reads (the local runner moves it; tests
    /// stop it or run it ahead).
    pub clock: printvault_domain::when::Clock,
}

impl AppState {
    pub fn new(clients: &Clients, config: Config) -> Self {
        let stores = Stores::new(clients, &config.at, &config.settings);
        Self {
            stores,
            settings: Arc::new(config.settings),
            operator_key: config.operator_key.into(),
            webhook_secrets: Arc::new(config.webhook_secrets),
            public_url: config.public_url.map(|u| u.trim_end_matches('/').into()),
            origin_verify: config.origin_verify.map(Into::into),
            clock: printvault_domain::when::Clock::system(),
        }
    }

    pub fn now(&self) -> OffsetDateTime {
        self.clock.now()
    }
}
