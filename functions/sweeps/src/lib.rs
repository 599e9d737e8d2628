//! The scheduled sweeps, one Lambda function each (a binary of this crate),
//! each invoked by its EventBridge schedule. The event's `time` is the
//! sweep's "now": the clock is never read, so any day can be run again (the
//! local runner's `sweep` command does), and running a day again does
//! nothing more.
//!
//! - `billing-sweep` (M23-M25): closes months into invoices, emails them,
//!   credits storage points, reminds, and puts customers in arrears.
//! - `retention-sweep` (M26, M27): storage-period notices, print-driven
//!   retention, warnings, and deletions after a delivered warning.
//! - `anniversary-sweep` (M28): event notices a week ahead, with
//!   thumbnails of that day's photos from earlier years.
//! - `archive-sweep` (M29): customers past an archive threshold are
//!   offered their oldest photos on a disc.
//! - `trash-sweep`: purges what has been in the trash `trash.keep_days`,
//!   through the one delete, and finishes a trashing a crash cut short.
//!
//! An event without a readable `time` is an error: the invocation fails,
//! EventBridge retries it, and then parks it in the sweeps' DLQ.

mod config;

pub use config::Config;

use printvault_adapters::accounts::AccountStore;
use printvault_adapters::archive::ArchiveStore;
use printvault_adapters::aws::Clients;
use printvault_adapters::billing::BillingStore;
use printvault_adapters::images::ImageStore;
use printvault_adapters::ledger::LedgerStore;
use printvault_adapters::locations::Locations;
use printvault_adapters::notices::NoticeLedger;
use printvault_adapters::notices::NoticeQueue;
use printvault_adapters::watermark::Watermark;
use printvault_domain::billing::ScheduledEvent;
use printvault_domain::Error;
use printvault_domain::Problem;
use printvault_usecases::sweeps::anniversary::AnniversarySweep;
use printvault_usecases::sweeps::archive::{ArchiveSweep, ArchiveSweepStorage};
use printvault_usecases::sweeps::billing::BillingSweep;
use printvault_usecases::sweeps::retention::RetentionSweep;
pub use printvault_usecases::sweeps::Report;
use printvault_usecases::Stores;
use time::OffsetDateTime;

/// Which sweep.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sweep {
    Billing,
    Retention,
    Anniversary,
    Archive,
    Trash,
}

impl Sweep {
    pub const ALL: [Sweep; 5] = [
        Sweep::Billing,
        Sweep::Retention,
        Sweep::Anniversary,
        Sweep::Archive,
        Sweep::Trash,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Self::Billing => "billing",
            Self::Retention => "retention",
            Self::Anniversary => "anniversary",
            Self::Archive => "archive",
            Self::Trash => "trash",
        }
    }

    /// The sweep called `s`, if there is one.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|w| w.name() == s)
    }
}

/// Every sweep's dependencies, built once per cold start.
#[derive(Clone)]
pub struct Sweeps {
    billing: BillingSweep,
    retention: RetentionSweep,
    anniversary: AnniversarySweep,
    archive: ArchiveSweep<ArchiveSweepStorage>,
    /// The purge's parts are the api's delete (`delete_image` over Stores).
    trash: Stores,
}

impl Sweeps {
    pub fn new(clients: &Clients, config: Config) -> Self {
        Self::each(|_| clients.clone(), config)
    }

    /// Each sweep with its own clients (a local stack that enforces IAM
    /// gives each sweep its own user, as each has its own role).
    pub fn each(clients_of: impl Fn(Sweep) -> Clients, config: Config) -> Self {
        let retention_clients = clients_of(Sweep::Retention);
        let clients = &retention_clients;
        let db = || clients.dynamodb.clone();
        // The trashing's parts are the api's (`trash_unchanged` over
        // Stores); the queues and tables the retention sweep never uses
        // stay unnamed.
        let locations = Locations {
            accounts_table: config.accounts_table.clone(),
            images_table: config.images_table.clone(),
            blocklist_table: String::new(),
            sharing_table: config.sharing_table.clone(),
            orders_table: String::new(),
            ledger_table: config.ledger_table.clone(),
            billing_table: config.billing_table.clone(),
            photos_bucket: config.photos_bucket.clone(),
            image_events_queue_url: String::new(),
            notices_queue_url: config.notices_queue_url.clone(),
            dispatch_queue_url: String::new(),
            lab_queue_prefix: String::new(),
            exports_queue_url: String::new(),
        };
        let stores = Stores::new(clients, &locations, &config.settings);
        let trash = Stores::new(
            &clients_of(Sweep::Trash),
            &Locations {
                notices_queue_url: String::new(),
                ..locations.clone()
            },
            &config.settings,
        );
        let retention = RetentionSweep {
            stores,
            ledger: NoticeLedger::new(db(), config.accounts_table.clone()),
            watermark: Watermark::new(db(), config.images_table.clone(), Sweep::Retention.name()),
            settings: config.settings.clone(),
        };
        let anniversary_clients = clients_of(Sweep::Anniversary);
        let anniversary = AnniversarySweep {
            images: ImageStore::new(anniversary_clients.dynamodb.clone(), config.images_table.clone()),
            accounts: AccountStore::new(
                anniversary_clients.dynamodb.clone(),
                config.accounts_table.clone(),
            ),
            notices: NoticeQueue::new(anniversary_clients.sqs.clone(), config.notices_queue_url.clone()),
            watermark: Watermark::new(
                anniversary_clients.dynamodb.clone(),
                config.images_table.clone(),
                Sweep::Anniversary.name(),
            ),
            public_url: config.public_url.clone(),
            settings: config.settings.clone(),
        };
        let archive_clients = clients_of(Sweep::Archive);
        let archive = ArchiveSweep {
            ports: ArchiveSweepStorage {
                archive: ArchiveStore::new(archive_clients.dynamodb.clone(), config.images_table.clone()),
                accounts: AccountStore::new(archive_clients.dynamodb.clone(), config.accounts_table.clone()),
                billing: BillingStore::new(
                    archive_clients.dynamodb.clone(),
                    config.billing_table.clone(),
                    config.images_table.clone(),
                    &config.settings,
                ),
                notices: NoticeQueue::new(archive_clients.sqs.clone(), config.notices_queue_url.clone()),
            },
            settings: config.settings.clone(),
        };
        let billing_clients = clients_of(Sweep::Billing);
        let clients = &billing_clients;
        let db = || clients.dynamodb.clone();
        Self {
            retention,
            anniversary,
            archive,
            trash,
            billing: BillingSweep {
                watermark: Watermark::new(db(), config.billing_table.clone(), Sweep::Billing.name()),
                billing: BillingStore::new(db(), config.billing_table, config.images_table, &config.settings),
                accounts: AccountStore::new(db(), config.accounts_table),
                ledger: LedgerStore::new(db(), config.ledger_table),
                notices: NoticeQueue::new(clients.sqs.clone(), config.notices_queue_url),
                settings: config.settings,
            },
        }
    }

    /// Runs `sweep` for the day of `now`.
    pub async fn run(&self, sweep: Sweep, now: OffsetDateTime) -> Result<Report, Error> {
        match sweep {
            Sweep::Billing => self.billing.run(now).await,
            Sweep::Retention => self.retention.run(now).await,
            Sweep::Anniversary => self.anniversary.run(now).await,
            Sweep::Archive => self.archive.run(now).await,
            Sweep::Trash => printvault_usecases::trash::sweep_trash(&self.trash, now).await,
        }
    }

    /// Handles one scheduled event (EventBridge's `Scheduled Event`, or
    /// anything with a `time`).
    pub async fn handle(&self, sweep: Sweep, event: serde_json::Value) -> Result<Report, Error> {
        let event: ScheduledEvent = serde_json::from_value(event)
            .map_err(|e| Error::invalid("event", Problem::Unreadable(e.to_string())))?;
        self.run(sweep, event.now()).await
    }
}

/// The Lambda entry point of `sweep`: configuration and clients once per
/// cold start, then one run per scheduled event.
pub async fn lambda_main(sweep: Sweep) -> Result<(), lambda_runtime::Error> {
    use lambda_runtime::{service_fn, LambdaEvent};
    printvault_adapters::telemetry::init();
    let config = Config::from_env(sweep)?;
    let sdk = printvault_adapters::aws::load_sdk_config().await;
    let sweeps = Sweeps::new(&Clients::new(&sdk), config);
    let sweeps = &sweeps;
    lambda_runtime::run(service_fn(
        move |event: LambdaEvent<serde_json::Value>| async move {
            sweeps
                .handle(sweep, event.payload)
                .await
                .map_err(|e| lambda_runtime::Error::from(e.to_string()))
        },
    ))
    .await
}
