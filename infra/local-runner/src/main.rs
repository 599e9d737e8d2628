//! `local-runner`: printvault on this machine, without AWS.
//!
//! - `local-runner run`: start moto (or use `--endpoint`), make the resources,
//!   serve the api and the customer web page on 127.0.0.1, and feed the
//!   uploads queue to upload-finalise, the image-events queue to classify,
//!   the dispatch queue to print-dispatch, the exports queue to export and
//!   the notices queue to the notifier.
//! - `local-runner blocklist add FILE`: add an image to the screening
//!   blocklist of a running stack (M6).
//! - `local-runner pay ORDER_OR_INVOICE`: play the payment provider: send its
//!   signed `payment.succeeded` webhook to the api (M20).
//! - `local-runner sweep NAME --date YYYY-MM-DD`: run a sweep of a running
//!   stack as its schedule would on that day (M23-M28).
//! - `local-runner openapi`: print the api's OpenAPI document (`make openapi`
//!   writes it to docs/openapi.json).

use anyhow::Context;
use clap::{Parser, Subcommand};
use local_runner::moto::{self, MotoServer};
use local_runner::{Stack, StackOptions};
use printvault_adapters::aws::{self, Clients};
use printvault_adapters::blocklist::BlocklistStore;
use printvault_adapters::names::ResourceNames;
use printvault_domain::settings::Settings;
use std::net::SocketAddr;
use std::path::PathBuf;

#[derive(Parser)]
#[command(version, about = "Run printvault locally against moto")]
struct Cli {
    /// Stage name; resources are called printvault-<stage>-….
    #[arg(long, global = true, default_value = "local", env = "PRINTVAULT_STAGE")]
    stage: String,
    /// Business settings as JSON (defaults from SPEC.md).
    #[arg(long, global = true, env = "PRINTVAULT_SETTINGS", default_value = "")]
    settings: String,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Start the whole system and serve the api until Ctrl-C.
    Run {
        /// Use this AWS endpoint instead of starting moto.
        #[arg(long, env = "AWS_ENDPOINT_URL")]
        endpoint: Option<String>,
        /// Python with moto installed.
        #[arg(long, env = "MOTO_PYTHON")]
        python: Option<PathBuf>,
        /// Address of the api.
        #[arg(long, default_value = "127.0.0.1:8080", env = "PRINTVAULT_API_ADDR")]
        listen: SocketAddr,
        /// Serve moto's requests on threads, as moto does by default. The
        /// default here is one request at a time, so that each DynamoDB
        /// transaction is atomic as on AWS (threaded moto can undo one
        /// write while rolling back another).
        #[arg(long)]
        threaded_moto: bool,
        /// The operator key for /v1/operator routes.
        #[arg(
            long,
            env = "OPERATOR_KEY",
            default_value = "local-operator-key-0123456789abcdef"
        )]
        operator_key: String,
        /// Fire the sweeps' schedules this often (they are idempotent, so
        /// more often than daily only catches up sooner).
        #[arg(long, default_value_t = 3600, env = "PRINTVAULT_SWEEP_EVERY_SECS")]
        sweep_every_secs: u64,
        /// Simulate time: move the whole system's clock one day ahead every
        /// this many real seconds, and fire the sweeps for each new day.
        #[arg(long, env = "PRINTVAULT_SIM_DAY_SECS")]
        sim_day_secs: Option<u64>,
        /// The built customer web page (`make web`), served at the api's address.
        #[arg(long, default_value = "web/dist", env = "PRINTVAULT_WEB_DIR")]
        web_dir: PathBuf,
    },
    /// Run one sweep of a running stack, as its schedule would at five past
    /// midnight (UTC) of --date, or at --at. Running a day again does
    /// nothing more.
    Sweep {
        /// `billing`, `retention`, `anniversary` or `archive`.
        name: String,
        /// The day, YYYY-MM-DD.
        #[arg(long, conflicts_with = "at", required_unless_present = "at")]
        date: Option<String>,
        /// The exact time instead, RFC 3339 (`2027-02-01T00:05:00Z`).
        #[arg(long)]
        at: Option<String>,
        /// The running stack's AWS endpoint (printed by `local-runner run`).
        #[arg(long, env = "AWS_ENDPOINT_URL")]
        endpoint: String,
        /// The api's base URL, which event notices' thumbnail links use.
        #[arg(long, default_value = "http://127.0.0.1:8080", env = "PRINTVAULT_API")]
        api: String,
    },
    /// Print the api's OpenAPI 3.1 document (the one /v1/openapi.json serves).
    Openapi,
    /// Play the payment provider: send the `payment.succeeded` webhook of
    /// an order (`ord_…`) or storage invoice (`inv_…`), signed as Standard
    /// Webhooks v1 says, to the api. The amount is what it owes unless
    /// --amount says otherwise.
    Pay {
        /// The order (`ord_…`) or invoice (`inv_…`) to pay.
        order: String,
        /// The running stack's AWS endpoint (printed by `local-runner run`).
        #[arg(long, env = "AWS_ENDPOINT_URL")]
        endpoint: String,
        /// The api's base URL.
        #[arg(long, default_value = "http://127.0.0.1:8080", env = "PRINTVAULT_API")]
        api: String,
        /// Pay this many yen instead of the amount due (to see it owed back).
        #[arg(long)]
        amount: Option<i64>,
        #[arg(long, default_value = "JPY")]
        currency: String,
        /// The webhook's ID; send the same again to replay it. Default: a new one.
        #[arg(long)]
        webhook_id: Option<String>,
        /// The signing secret (whsec_…); a local stack's by default.
        #[arg(long, env = "PAYMENT_WEBHOOK_SECRET", default_value = printvault_domain::payment::LOCAL_SECRET, hide_default_value = true)]
        secret: String,
    },
    /// Manage the screening blocklist of a running stack.
    Blocklist {
        #[command(subcommand)]
        action: BlocklistAction,
    },
}

#[derive(Subcommand)]
enum BlocklistAction {
    /// Add the image in FILE to the blocklist.
    Add {
        file: PathBuf,
        /// Why it is blocked (shown to operators).
        #[arg(long)]
        reason: Option<String>,
        /// The running stack's AWS endpoint (printed by `local-runner run`).
        #[arg(long, env = "AWS_ENDPOINT_URL")]
        endpoint: String,
    },
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    printvault_adapters::telemetry::init();
    let cli = Cli::parse();
    let settings = Settings::from_json(&cli.settings)?;
    match cli.command {
        Command::Run {
            endpoint,
            python,
            listen,
            threaded_moto,
            operator_key,
            sweep_every_secs,
            sim_day_secs,
            web_dir,
        } => {
            let (_moto, endpoint) = match endpoint {
                Some(e) => (None, e),
                None => {
                    let python = python.unwrap_or_else(moto::default_python);
                    let m = if threaded_moto {
                        MotoServer::start(&python)?
                    } else {
                        MotoServer::start_serialised(&python)?
                    };
                    let e = m.endpoint.clone();
                    (Some(m), e)
                }
            };
            let mut opts = StackOptions::new(&endpoint, &cli.stage);
            opts.api_addr = listen;
            opts.operator_key = operator_key;
            opts.settings = settings;
            let web_dir = std::path::absolute(&web_dir).unwrap_or(web_dir);
            opts.web_dir = Some(web_dir.clone());
            let stack = Stack::start(opts).await?;
            let sim_day = sim_day_secs.map(std::time::Duration::from_secs);
            stack.print_where(&endpoint, sweep_every_secs, sim_day);
            let schedules = tokio::spawn(local_runner::schedule::run(
                stack.clock.clone(),
                std::time::Duration::from_secs(sweep_every_secs.max(1)),
                sim_day,
            ));
            stack.print_page(&web_dir);
            println!(
                "API documentation (OpenAPI 3.1, Swagger UI) at {}/docs/",
                stack.api_url
            );
            println!(
                "printvault API listening on {}/v1 (Ctrl-C to stop)",
                stack.api_url
            );
            tokio::signal::ctrl_c().await.context("waiting for Ctrl-C")?;
            schedules.abort();
            println!("stopping");
            Ok(())
        }
        Command::Pay {
            order,
            endpoint,
            api,
            amount,
            currency,
            webhook_id,
            secret,
        } => {
            let amount = match amount {
                Some(a) => a,
                None => {
                    let sdk = aws::local_sdk_config(&endpoint, "us-east-1").await;
                    let names = ResourceNames::new("printvault", &cli.stage);
                    local_runner::pay::amount_due(&Clients::new(&sdk), &names, &order).await?
                }
            };
            let webhook_id = webhook_id.unwrap_or_else(|| format!("msg_{:016x}", rand::random::<u64>()));
            let payment = local_runner::pay::Payment {
                api: &api,
                order_id: &order,
                amount,
                currency: &currency,
                secret: &secret,
                webhook_id: &webhook_id,
                timestamp: time::OffsetDateTime::now_utc().unix_timestamp(),
            };
            let (status, answer) = local_runner::pay::send(&payment).await?;
            println!("{status} {answer}");
            anyhow::ensure!(
                (200..300).contains(&status),
                "the api refused the payment ({status})"
            );
            Ok(())
        }
        Command::Sweep {
            name,
            date,
            at,
            endpoint,
            api,
        } => {
            let report = local_runner::schedule::sweep_command(
                &cli.stage,
                &settings,
                &name,
                (date, at),
                &endpoint,
                &api,
            )
            .await?;
            println!("{}", serde_json::to_string_pretty(&report)?);
            Ok(())
        }
        Command::Openapi => {
            print!(
                "{}",
                api::openapi_json_text().map_err(|e| anyhow::anyhow!("{}", e.message()))?
            );
            Ok(())
        }
        Command::Blocklist {
            action:
                BlocklistAction::Add {
                    file,
                    reason,
                    endpoint,
                },
        } => {
            let bytes = std::fs::read(&file).with_context(|| format!("reading {}", file.display()))?;
            let sdk = aws::local_sdk_config(&endpoint, "us-east-1").await;
            let clients = Clients::new(&sdk);
            let names = ResourceNames::new("printvault", &cli.stage);
            let store = BlocklistStore::new(clients.dynamodb.clone(), names.blocklist_table);
            let entry = printvault_usecases::blocklist::add_to_blocklist(
                &store,
                &settings.uploads,
                bytes,
                reason,
                time::OffsetDateTime::now_utc(),
            )
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))?;
            println!("{}", serde_json::to_string_pretty(&entry)?);
            Ok(())
        }
    }
}
