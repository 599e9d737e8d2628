//! Every store the use cases work over, built once per cold start.

use printvault_adapters::accounts::AccountStore;
use printvault_adapters::albums::AlbumStore;
use printvault_adapters::aws::Clients;
use printvault_adapters::billing::BillingStore;
use printvault_adapters::blocklist::BlocklistStore;
use printvault_adapters::dispatch::{DispatchQueue, LabQueues};
use printvault_adapters::image_events::ImageEvents;
use printvault_adapters::images::ImageStore;
use printvault_adapters::labs::LabStore;
use printvault_adapters::ledger::LedgerStore;
use printvault_adapters::notices::NoticeQueue;
use printvault_adapters::objects::ObjectStore;
use printvault_adapters::orders::OrderStore;
use printvault_adapters::search::SearchIndex;
use printvault_adapters::sharing::SharingStore;

/// The tables, bucket and queues, each behind its adapter. Cheap to clone.
#[derive(Clone)]
pub struct Stores {
    pub accounts: AccountStore,
    pub albums: AlbumStore,
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
}

/// Where each store lives.
pub struct Locations {
    pub accounts_table: String,
    pub images_table: String,
    pub blocklist_table: String,
    pub sharing_table: String,
    pub orders_table: String,
    pub ledger_table: String,
    pub billing_table: String,
    pub photos_bucket: String,
    pub image_events_queue_url: String,
    pub notices_queue_url: String,
    pub dispatch_queue_url: String,
    pub lab_queue_prefix: String,
    /// Shards of each public search term (settings `search.public_shards`).
    pub public_shards: u32,
    /// The business settings (the billing store keeps its sections).
    pub settings: printvault_domain::settings::Settings,
}

impl Stores {
    pub fn new(clients: &Clients, at: Locations) -> Self {
        let db = || clients.dynamodb.clone();
        Self {
            accounts: AccountStore::new(db(), at.accounts_table),
            albums: AlbumStore::new(db(), at.images_table.clone()),
            images: ImageStore::new(db(), at.images_table.clone()),
            blocklist: BlocklistStore::new(db(), at.blocklist_table),
            sharing: SharingStore::new(db(), at.sharing_table),
            search: SearchIndex::new(db(), at.images_table.clone(), at.public_shards),
            objects: ObjectStore::new(clients.s3.clone(), at.photos_bucket),
            events: ImageEvents::new(clients.sqs.clone(), at.image_events_queue_url),
            notices: NoticeQueue::new(clients.sqs.clone(), at.notices_queue_url),
            orders: OrderStore::new(db(), at.orders_table.clone()),
            labs: LabStore::new(db(), at.orders_table),
            ledger: LedgerStore::new(db(), at.ledger_table),
            billing: BillingStore::new(db(), at.billing_table, at.images_table.clone(), &at.settings),
            dispatch: DispatchQueue::new(clients.sqs.clone(), at.dispatch_queue_url),
            lab_queues: LabQueues::new(clients.sqs.clone()),
            lab_queue_prefix: at.lab_queue_prefix,
        }
    }
}
