//! Every store the use cases work over, built once per cold start.

use printvault_adapters::accounts::AccountStore;
use printvault_adapters::albums::AlbumStore;
use printvault_adapters::archive::ArchiveStore;
use printvault_adapters::aws::Clients;
use printvault_adapters::billing::BillingStore;
use printvault_adapters::blocklist::BlocklistStore;
use printvault_adapters::dispatch::{DispatchQueue, LabQueues};
use printvault_adapters::exports::{ExportQueue, ExportStore};
use printvault_adapters::image_events::ImageEvents;
use printvault_adapters::images::ImageStore;
use printvault_adapters::labs::LabStore;
use printvault_adapters::ledger::LedgerStore;
use printvault_adapters::locations::Locations;
use printvault_adapters::notices::NoticeQueue;
use printvault_adapters::objects::ObjectStore;
use printvault_adapters::orders::OrderStore;
use printvault_adapters::search::SearchIndex;
use printvault_adapters::sharing::SharingStore;
use printvault_domain::settings::Settings;

/// The tables, bucket and queues, each behind its adapter. Cheap to clone.
#[derive(Clone)]
pub struct Stores {
    pub accounts: AccountStore,
    pub albums: AlbumStore,
    /// Archive schedules and proposals (M29-M32).
    pub archive: ArchiveStore,
    pub images: ImageStore,
    pub blocklist: BlocklistStore,
    pub sharing: SharingStore,
    pub objects: ObjectStore,
    pub search: SearchIndex,
    pub events: ImageEvents,
    /// Every email goes out through here, to the notifier.
    pub notices: NoticeQueue,
    pub orders: OrderStore,
    pub labs: LabStore,
    pub ledger: LedgerStore,
    /// Storage meters, invoices and arrears (M23-M25).
    pub billing: BillingStore,
    /// Paid orders, for print-dispatch (M21).
    pub dispatch: DispatchQueue,
    /// Each lab's job queue, made when the lab is registered.
    pub lab_queues: LabQueues,
    /// Lab queue names are this and `<lab>-jobs.fifo` (`ResourceNames`).
    pub lab_queue_prefix: String,
    /// Export jobs (X3), and the queue of their steps.
    pub exports: ExportStore,
    pub export_steps: ExportQueue,
}

impl Stores {
    /// Opens the stores at `at`. Search shards each public term
    /// `settings.search.public_shards` ways; the billing store keeps its
    /// sections of `settings`.
    pub fn new(clients: &Clients, at: &Locations, settings: &Settings) -> Self {
        let db = || clients.dynamodb.clone();
        Self {
            accounts: AccountStore::new(db(), at.accounts_table.clone()),
            albums: AlbumStore::new(db(), at.images_table.clone()),
            archive: ArchiveStore::new(db(), at.images_table.clone()),
            images: ImageStore::new(db(), at.images_table.clone()),
            blocklist: BlocklistStore::new(db(), at.blocklist_table.clone()),
            sharing: SharingStore::new(db(), at.sharing_table.clone()),
            search: SearchIndex::new(db(), at.images_table.clone(), settings.search.public_shards),
            objects: ObjectStore::new(clients.s3.clone(), at.photos_bucket.clone()),
            events: ImageEvents::new(clients.sqs.clone(), at.image_events_queue_url.clone()),
            notices: NoticeQueue::new(clients.sqs.clone(), at.notices_queue_url.clone()),
            orders: OrderStore::new(db(), at.orders_table.clone()),
            labs: LabStore::new(db(), at.orders_table.clone()),
            ledger: LedgerStore::new(db(), at.ledger_table.clone()),
            billing: BillingStore::new(db(), at.billing_table.clone(), at.images_table.clone(), settings),
            dispatch: DispatchQueue::new(clients.sqs.clone(), at.dispatch_queue_url.clone()),
            lab_queues: LabQueues::new(clients.sqs.clone()),
            lab_queue_prefix: at.lab_queue_prefix.clone(),
            exports: ExportStore::new(db(), at.accounts_table.clone()),
            export_steps: ExportQueue::new(clients.sqs.clone(), at.exports_queue_url.clone()),
        }
    }
}
