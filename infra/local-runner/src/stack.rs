//! A whole local printvault: resources, the api on HTTP, upload-finalise fed
//! from the uploads queue, classify from the image-events queue,
//! print-dispatch from the dispatch queue, export from the exports queue
//! and the notifier from the notices queue (each email it sends is also
//! logged, so a person can follow its link); and the sweeps, which
//! `local-runner run` fires on its own schedule ([`crate::schedule`]).

use anyhow::Context;
use classify::Classifier;
use printvault_adapters::aws::{self, Clients};
use printvault_adapters::names::ResourceNames;
use std::net::SocketAddr;
use std::sync::Arc;
use tokio::task::JoinHandle;
use upload_finalise::Finaliser;

pub use crate::options::StackOptions;
use crate::poller;
use crate::presign::presigning_at;
use crate::provision::{self, Provisioned};
use notifier::Notifier;
use print_dispatch::Dispatcher;
use sweeps::Sweeps;

pub struct Stack {
    pub api_url: String,
    /// The local AWS endpoint the stack runs on.
    pub endpoint: String,
    /// Whether the queues are polled in the background.
    pub run_pollers: bool,
    pub clients: Clients,
    pub resources: Provisioned,
    pub finaliser: Finaliser,
    pub classifier: Classifier,
    pub notifier: Notifier,
    pub dispatcher: Dispatcher,
    /// The export function (X3), polling the exports queue.
    pub exporter: export::Exporter,
    /// The scheduled sweeps: fired by [`Self::sweep`] (tests, `local-runner
    /// sweep`) or through [`Self::clock`].
    pub sweeps: Sweeps,
    /// The stack's clock: moves it ahead and fires the sweeps, one at a
    /// time; `/_local/clock` ([`crate::clock`]) and `local-runner run`'s
    /// schedule run on it.
    pub clock: Arc<crate::schedule::Clock>,
    pub api_state: api::AppState,
    tasks: Vec<JoinHandle<()>>,
}

/// The clients `who` makes its calls with (see [`StackOptions::keys`]).
async fn clients_for(opts: &StackOptions, who: &str) -> Clients {
    let sdk = match opts.keys.get(who) {
        Some((key, secret)) => aws::local_sdk_config_as(&opts.endpoint, &opts.region, key, secret).await,
        None => aws::local_sdk_config(&opts.endpoint, &opts.region).await,
    };
    Clients::new(&sdk)
}

impl Stack {
    pub async fn start(opts: StackOptions) -> anyhow::Result<Self> {
        let clients = clients_for(&opts, "admin").await;
        let api_clients = clients_for(&opts, "api").await;
        let finalise_clients = clients_for(&opts, "upload-finalise").await;
        let classify_clients = clients_for(&opts, "classify").await;
        let notifier_clients = clients_for(&opts, "notifier").await;
        let dispatch_clients = clients_for(&opts, "print-dispatch").await;
        let billing_sweep_clients = clients_for(&opts, "billing-sweep").await;
        let retention_sweep_clients = clients_for(&opts, "retention-sweep").await;
        let anniversary_sweep_clients = clients_for(&opts, "anniversary-sweep").await;
        let archive_sweep_clients = clients_for(&opts, "archive-sweep").await;
        let trash_sweep_clients = clients_for(&opts, "trash-sweep").await;
        let export_clients = clients_for(&opts, "export").await;
        let names = ResourceNames::new(&opts.app, &opts.stage);
        let resources = provision::provision(
            &clients,
            &names,
            &opts.queues,
            &opts.mail_from,
            &opts.operator_key,
        )
        .await
        .context("making the local resources")?;

        // The api reads its operator key from the secret, as in Lambda.
        let operator_key =
            api::Config::operator_key_from_secret(&api_clients, &names.operator_key_secret).await?;
        let listener = tokio::net::TcpListener::bind(opts.api_addr)
            .await
            .with_context(|| format!("binding the api to {}", opts.api_addr))?;
        let addr = listener.local_addr()?;
        let api_url = format!("http://{addr}");
        let mut api_config = api::Config::for_names(
            &names,
            operator_key,
            opts.settings.clone(),
            resources.image_events_queue_url.clone(),
            resources.notices_queue_url.clone(),
            resources.dispatch_queue_url.clone(),
            resources.exports_queue_url.clone(),
        );
        // Links in emails point at this api.
        api_config.public_url = Some(api_url.clone());
        // The webhook secret, too, comes from its secret, as in Lambda.
        api_config.webhook_secrets =
            api::Config::webhook_secrets_from_secret(&api_clients, &names.payment_webhook_secret).await?;
        api_config.origin_verify =
            provision::origin_verify(&clients, &api_clients, &names, opts.origin_verify.as_deref()).await?;
        // The one clock of the whole stack (`/_local/clock` moves it).
        let time = printvault_domain::when::Clock::system();
        let mut api_state = api::AppState::new(&api_clients, api_config);
        api_state.clock = time.clone();
        // The api, and locally also a browsable copy of its contract at
        // /docs (Swagger UI, vendored in the binary: no network needed).
        let docs = utoipa_swagger_ui::SwaggerUi::new("/docs")
            .config(utoipa_swagger_ui::Config::from("/v1/openapi.json"));
        let router = api::router(api_state.clone()).merge(axum::Router::from(docs));
        let sweeps = Sweeps::each(
            |sweep| match sweep {
                sweeps::Sweep::Billing => billing_sweep_clients.clone(),
                sweeps::Sweep::Retention => retention_sweep_clients.clone(),
                sweeps::Sweep::Anniversary => anniversary_sweep_clients.clone(),
                sweeps::Sweep::Archive => archive_sweep_clients.clone(),
                sweeps::Sweep::Trash => trash_sweep_clients.clone(),
            },
            sweeps::Config::for_names(
                &names,
                &opts.settings,
                resources.notices_queue_url.clone(),
                api_url.clone(),
            ),
        );
        // The clock a test moves by hand (`/_local/clock`), which the
        // runner's schedule moves and sweeps through too.
        let clock = Arc::new(crate::schedule::Clock::new(sweeps.clone(), time.clone()));
        let router = router.merge(crate::clock::routes(clock.clone()));
        // The customer page (served here, so this is its origin) PUTs and
        // GETs presigned URLs in the bucket; it pays at the local checkout.
        provision::allow_page_origin(&clients.s3, &names.photos_bucket, &api_url).await?;
        let checkout = crate::checkout::Checkout::new(&clients, &names, &api_url).await?;
        let router = crate::web::site(router, opts.web_dir.clone(), &opts.endpoint, &api_url, checkout)?;
        let mut tasks = vec![tokio::spawn(async move {
            // With the peer address, which the api counts failed logins by.
            let app = router.into_make_service_with_connect_info::<SocketAddr>();
            if let Err(e) = axum::serve(listener, app).await {
                tracing::error!(error = ?e, "the api server stopped");
            }
        })];

        let finaliser = Finaliser::new(
            &finalise_clients,
            upload_finalise::Config::for_names(
                &names,
                opts.settings.clone(),
                resources.image_events_queue_url.clone(),
            ),
        )
        .with_clock(time.clone());
        let classifier = Classifier::new(
            &classify_clients,
            classify::Config::for_names(&names, &opts.settings),
        )
        .with_clock(time.clone());
        let notifier = Notifier::new(
            &notifier_clients,
            notifier::Config::for_names(&names, &opts.mail_from),
        )
        .with_clock(time.clone())
        .logging_emails()
        // SES's part, so with its own (the admin's) credentials, not the notifier's.
        .simulating_ses_feedback(clients.sqs.clone(), resources.mail_events_queue_url.clone());
        let dispatcher = Dispatcher::new(
            &dispatch_clients,
            print_dispatch::Config::for_names(
                &names,
                &opts.settings,
                resources.notices_queue_url.clone(),
                resources.dispatch_queue_url.clone(),
            ),
        )
        .with_clock(time.clone())
        .presigning_through(presigning_at(
            dispatch_clients.s3.clone(),
            opts.lab_download_endpoint.as_deref(),
        ));
        let exporter = crate::drive::exporter(&opts, &export_clients, &resources, time.clone());
        let r = &resources;
        if opts.run_pollers && opts.run_dispatcher {
            let d = dispatcher.clone();
            tasks.push(poller::spawn(
                &dispatch_clients.sqs,
                &r.dispatch_queue_url,
                "print-dispatch",
                d,
            ));
        }
        if opts.run_pollers && opts.run_exporter {
            let x = exporter.clone();
            tasks.push(poller::spawn(
                &export_clients.sqs,
                &r.exports_queue_url,
                "export",
                x,
            ));
        }
        if opts.run_pollers {
            let sqs = &notifier_clients.sqs;
            tasks.push(poller::spawn(
                sqs,
                &r.notices_queue_url,
                "notifier",
                notifier.clone(),
            ));
            let n = notifier.clone();
            tasks.push(poller::spawn(
                sqs,
                &r.mail_events_queue_url,
                "notifier (mail events)",
                n,
            ));
            let f = finaliser.clone();
            tasks.push(poller::spawn(
                &finalise_clients.sqs,
                &r.uploads_queue_url,
                "upload-finalise",
                f,
            ));
            let c = classifier.clone();
            tasks.push(poller::spawn(
                &classify_clients.sqs,
                &r.image_events_queue_url,
                "classify",
                c,
            ));
        }
        Ok(Self {
            api_url,
            endpoint: opts.endpoint.clone(),
            run_pollers: opts.run_pollers,
            clients,
            resources,
            finaliser,
            classifier,
            notifier,
            dispatcher,
            exporter,
            sweeps,
            clock,
            api_state,
            tasks,
        })
    }
}

impl Drop for Stack {
    fn drop(&mut self) {
        for t in &self.tasks {
            t.abort();
        }
    }
}
