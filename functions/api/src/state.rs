use printvault_adapters::aws::Clients;
use printvault_domain::settings::Settings;
use printvault_usecases::stores::Locations;
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
        let stores = Stores::new(
            clients,
            Locations {
                accounts_table: config.accounts_table,
                images_table: config.images_table,
                blocklist_table: config.blocklist_table,
                sharing_table: config.sharing_table,
                orders_table: config.orders_table,
                ledger_table: config.ledger_table,
                billing_table: config.billing_table,
                photos_bucket: config.photos_bucket,
                image_events_queue_url: config.image_events_queue_url,
                notices_queue_url: config.notices_queue_url,
                dispatch_queue_url: config.dispatch_queue_url,
                lab_queue_prefix: config.lab_queue_prefix,
                public_shards: config.settings.search.public_shards,
                settings: config.settings.clone(),
            },
        );
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
