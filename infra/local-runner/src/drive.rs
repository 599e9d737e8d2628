//! Driving a stack by hand, as tests do when the pollers are off: one batch
//! from a queue, or one sweep for a chosen time, as Lambda and EventBridge
//! would.

use printvault_adapters::aws::Clients;
use sweeps::Sweep;

use crate::options::StackOptions;
use crate::poller;
use crate::provision::Provisioned;
use crate::Stack;

/// The export function of a stack made with `opts`.
pub(crate) fn exporter(
    opts: &StackOptions,
    clients: &Clients,
    resources: &Provisioned,
    clock: printvault_domain::when::Clock,
) -> export::Exporter {
    let config = export::Config::for_names(
        &resources.names,
        &opts.settings,
        resources.notices_queue_url.clone(),
        resources.exports_queue_url.clone(),
    );
    let exporter = export::Exporter::new(clients, config).with_clock(clock);
    match opts.export_entries_per_step {
        Some(n) => exporter.handing_over_every(n),
        None => exporter,
    }
}

impl Stack {
    /// Runs `sweep` as its schedule would at `now`.
    pub async fn sweep(
        &self,
        sweep: Sweep,
        now: time::OffsetDateTime,
    ) -> Result<printvault_usecases::sweeps::Report, printvault_domain::Error> {
        self.sweeps.run(sweep, now).await
    }

    /// Receives and handles one batch from the uploads queue, as Lambda would.
    pub async fn finalise_once(&self, wait_secs: i32) -> anyhow::Result<usize> {
        let f = &self.finaliser;
        poller::poll_once(
            &self.clients.sqs,
            &self.resources.uploads_queue_url,
            wait_secs,
            |e| f.handle_batch(e),
        )
        .await
    }

    /// Receives and handles one batch from the notices queue, as Lambda would.
    pub async fn notify_once(&self, wait_secs: i32) -> anyhow::Result<usize> {
        let n = &self.notifier;
        poller::poll_once(
            &self.clients.sqs,
            &self.resources.notices_queue_url,
            wait_secs,
            |e| n.handle_batch(e),
        )
        .await
    }

    /// Receives and handles one batch of SES's mail events, as Lambda would.
    pub async fn mail_events_once(&self, wait_secs: i32) -> anyhow::Result<usize> {
        let n = &self.notifier;
        poller::poll_once(
            &self.clients.sqs,
            &self.resources.mail_events_queue_url,
            wait_secs,
            |e| n.handle_batch(e),
        )
        .await
    }

    /// Receives and handles one batch from the dispatch queue, as Lambda would.
    pub async fn dispatch_once(&self, wait_secs: i32) -> anyhow::Result<usize> {
        let d = &self.dispatcher;
        poller::poll_once(
            &self.clients.sqs,
            &self.resources.dispatch_queue_url,
            wait_secs,
            |e| d.handle_batch(e),
        )
        .await
    }

    /// Receives and handles one batch from the exports queue, as Lambda would.
    pub async fn export_once(&self, wait_secs: i32) -> anyhow::Result<usize> {
        let x = &self.exporter;
        poller::poll_once(
            &self.clients.sqs,
            &self.resources.exports_queue_url,
            wait_secs,
            |e| x.handle_batch(e),
        )
        .await
    }

    /// Receives and handles one batch from the image-events queue, as Lambda would.
    pub async fn classify_once(&self, wait_secs: i32) -> anyhow::Result<usize> {
        let c = &self.classifier;
        poller::poll_once(
            &self.clients.sqs,
            &self.resources.image_events_queue_url,
            wait_secs,
            |e| c.handle_batch(e),
        )
        .await
    }
}
