use printvault_adapters::accounts::AccountStore;
use printvault_adapters::albums::AlbumStore;
use printvault_adapters::aws::Clients;
use printvault_adapters::blocklist::BlocklistStore;
use printvault_adapters::image_events::ImageEvents;
use printvault_adapters::images::ImageStore;
use printvault_adapters::objects::ObjectStore;
use printvault_adapters::search::SearchIndex;
use printvault_adapters::sharing::SharingStore;
use printvault_domain::settings::Settings;
use std::sync::Arc;
use time::OffsetDateTime;

use crate::Config;

/// Everything a request handler needs; cheap to clone.
#[derive(Clone)]
pub struct AppState {
    pub accounts: AccountStore,
    pub albums: AlbumStore,
    pub images: ImageStore,
    pub blocklist: BlocklistStore,
    pub sharing: SharingStore,
    pub objects: ObjectStore,
    pub search: SearchIndex,
    pub events: ImageEvents,
    pub settings: Arc<Settings>,
    pub operator_key: Arc<str>,
    /// Injected so tests can move time (session expiry).
    pub clock: fn() -> OffsetDateTime,
}

impl AppState {
    pub fn new(clients: &Clients, config: Config) -> Self {
        Self {
            accounts: AccountStore::new(clients.dynamodb.clone(), config.accounts_table),
            albums: AlbumStore::new(clients.dynamodb.clone(), config.images_table.clone()),
            images: ImageStore::new(clients.dynamodb.clone(), config.images_table.clone()),
            blocklist: BlocklistStore::new(clients.dynamodb.clone(), config.blocklist_table),
            sharing: SharingStore::new(clients.dynamodb.clone(), config.sharing_table),
            search: SearchIndex::new(
                clients.dynamodb.clone(),
                config.images_table.clone(),
                config.settings.search.public_shards,
            ),
            objects: ObjectStore::new(clients.s3.clone(), config.photos_bucket),
            events: ImageEvents::new(clients.sqs.clone(), config.image_events_queue_url),
            settings: Arc::new(config.settings),
            operator_key: config.operator_key.into(),
            clock: OffsetDateTime::now_utc,
        }
    }

    pub fn now(&self) -> OffsetDateTime {
        (self.clock)()
    }
}

/// RFC 3339 with seconds, for JSON and records.
pub fn rfc3339(t: OffsetDateTime) -> String {
    t.replace_nanosecond(0)
        .unwrap_or(t)
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}
