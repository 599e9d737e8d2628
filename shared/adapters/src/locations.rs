//! Where a deployment's stores live at run time: the one list of them that
//! the api's configuration reads from its environment and `Stores` opens.
//! [`ResourceNames`] makes the names; a queue's URL comes from whoever
//! made the queue (it holds the account and the endpoint).

use crate::lambda::required_env;
use crate::names::ResourceNames;

/// The tables and the bucket by name, the queues by URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Locations {
    pub accounts_table: String,
    pub images_table: String,
    pub blocklist_table: String,
    pub sharing_table: String,
    pub orders_table: String,
    pub ledger_table: String,
    /// Storage meters, invoices and arrears (M23-M25).
    pub billing_table: String,
    pub photos_bucket: String,
    /// Where `image.ready` / `image.attributes_changed` go, for classify (M12).
    pub image_events_queue_url: String,
    /// Where emails go, for the notifier.
    pub notices_queue_url: String,
    /// Where paid orders go, for print-dispatch (M21).
    pub dispatch_queue_url: String,
    /// Lab job queues are named this and `<lab>-jobs.fifo`.
    pub lab_queue_prefix: String,
    /// Where export jobs' steps go, for the export function (X3).
    pub exports_queue_url: String,
}

/// The URLs of the queues the api writes to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueueUrls {
    pub image_events: String,
    pub notices: String,
    pub dispatch: String,
    pub exports: String,
}

impl Locations {
    /// From the environment the SAM template gives the api; a missing
    /// variable stops the function with its name.
    pub fn from_env() -> anyhow::Result<Self> {
        Ok(Self {
            accounts_table: required_env("ACCOUNTS_TABLE")?,
            images_table: required_env("IMAGES_TABLE")?,
            blocklist_table: required_env("BLOCKLIST_TABLE")?,
            sharing_table: required_env("SHARING_TABLE")?,
            orders_table: required_env("ORDERS_TABLE")?,
            ledger_table: required_env("LEDGER_TABLE")?,
            billing_table: required_env("BILLING_TABLE")?,
            photos_bucket: required_env("PHOTOS_BUCKET")?,
            image_events_queue_url: required_env("IMAGE_EVENTS_QUEUE_URL")?,
            notices_queue_url: required_env("NOTICES_QUEUE_URL")?,
            dispatch_queue_url: required_env("DISPATCH_QUEUE_URL")?,
            lab_queue_prefix: required_env("LAB_QUEUE_PREFIX")?,
            exports_queue_url: required_env("EXPORTS_QUEUE_URL")?,
        })
    }

    /// The stores of the deployment named `names`, its queues at `queues`
    /// (the local runner and the tests).
    pub fn of(names: &ResourceNames, queues: QueueUrls) -> Self {
        Self {
            accounts_table: names.accounts_table.clone(),
            images_table: names.images_table.clone(),
            blocklist_table: names.blocklist_table.clone(),
            sharing_table: names.sharing_table.clone(),
            orders_table: names.orders_table.clone(),
            ledger_table: names.ledger_table.clone(),
            billing_table: names.billing_table.clone(),
            photos_bucket: names.photos_bucket.clone(),
            image_events_queue_url: queues.image_events,
            notices_queue_url: queues.notices,
            dispatch_queue_url: queues.dispatch,
            lab_queue_prefix: names.lab_queue_prefix.clone(),
            exports_queue_url: queues.exports,
        }
    }
}
