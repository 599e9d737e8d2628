#![recursion_limit = "256"]
//! `printlab`: the print lab's client for printvault (M22).

use anyhow::Context;
use clap::{Parser, Subcommand};
use printlab::{Handled, PrintLab};
use serde_json::json;
use std::io::IsTerminal;
use std::path::PathBuf;

/// The print lab's client for printvault.
///
/// `printlab run` long-polls the lab's job queue. For each job it downloads
/// the images into the hot folder (<hot>/<order>/<line>/<image>.<format>,
/// with a progress bar), checks each file's length and SHA-256 against the
/// job, writes the job sheet (JOB.txt) and the job (job.json), reports the
/// job `accepted`, marks it DONE, and only then deletes the message. While
/// a big job downloads it keeps the message hidden from other pollers. If
/// printlab stops half-way the job comes back after five minutes, and files
/// already complete are kept. A job seen again after it was done is only
/// deleted.
///
/// `printlab report` tells printvault how a job went on: printed, shipped
/// (with carrier and tracking), or failed (with a reason: the customer is
/// refunded). The customer is emailed at each stage.
///
/// printlab speaks HTTPS only, to the api (--api https://…) and to the
/// images' presigned URLs, trusting the platform's root certificates and
/// any CA given with --ca-cert. --insecure-http allows plain HTTP, for a
/// local stack; there is no fallback from HTTPS to HTTP.
///
/// AWS credentials come from the usual places (environment, profile); they
/// need sqs:ReceiveMessage, sqs:DeleteMessage and sqs:ChangeMessageVisibility
/// on the lab's queue only.
#[derive(Parser)]
#[command(version, verbatim_doc_comment)]
struct Cli {
    /// The printvault api's base URL: https://… (http://… only with --insecure-http).
    #[arg(long, env = "PRINTLAB_API", global = true)]
    api: Option<String>,
    /// Allow plain HTTP to the api and the images, for a local stack without
    /// TLS. Never use it against the deployed api.
    #[arg(long, global = true)]
    insecure_http: bool,
    /// A PEM file of CA certificates to trust besides the platform's roots
    /// (a company proxy's CA, or a local test CA).
    #[arg(long, env = "PRINTLAB_CA_CERT", global = true, value_name = "PATH")]
    ca_cert: Option<PathBuf>,
    /// The lab's reporting key, shown once when the operator registered the lab.
    #[arg(
        long,
        env = "PRINTLAB_KEY",
        global = true,
        hide_env_values = true,
        default_value = ""
    )]
    key: String,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Poll the lab's queue and fetch each job into the hot folder.
    Run {
        /// The lab's job queue URL (printvault-<stage>-lab-<lab>-jobs.fifo).
        #[arg(long, env = "PRINTLAB_QUEUE_URL")]
        queue_url: String,
        /// Where jobs go: <hot>/<order>/<line>/, and a disc's <hot>/<order>/disc/.
        #[arg(long, env = "PRINTLAB_HOT_FOLDER", default_value = "hot")]
        hot_folder: PathBuf,
        /// A local AWS endpoint (moto), instead of AWS.
        #[arg(long, env = "AWS_ENDPOINT_URL")]
        endpoint: Option<String>,
        /// Handle the jobs waiting now, then stop.
        #[arg(long)]
        once: bool,
        /// Long-poll wait, 1 to 20 seconds.
        #[arg(long, default_value_t = 20, value_parser = clap::value_parser!(i32).range(1..=20))]
        wait_secs: i32,
        /// For disc jobs: the command that burns a disc image, run with
        /// `sh -c` once the image is built and checked, with PRINTLAB_ISO
        /// (its path), PRINTLAB_ISO_SHA256, PRINTLAB_LABEL (the label PNG),
        /// PRINTLAB_VOLUME_ID and PRINTLAB_JOB_ID set. It must exit 0 only
        /// when the disc is written; the disc is then reported `written`.
        /// Without it the image is left in <hot>/<order>/disc/ and reported
        /// written as built.
        #[arg(long, env = "PRINTLAB_BURN_COMMAND")]
        burn_command: Option<String>,
    },
    /// Report how a job went on.
    Report {
        /// The job's order (its merchant_reference).
        order: String,
        /// The job's line.
        line: u32,
        #[command(subcommand)]
        stage: Stage,
    },
}

#[derive(Subcommand)]
enum Stage {
    /// The job is printed (or burnt to disc).
    Printed,
    /// The job is on its way.
    Shipped {
        #[arg(long)]
        carrier: String,
        #[arg(long)]
        tracking: String,
    },
    /// The job cannot be done; the customer is refunded.
    Failed {
        #[arg(long)]
        reason: String,
    },
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    printvault_adapters::telemetry::init();
    let cli = Cli::parse();
    anyhow::ensure!(
        !cli.key.is_empty(),
        "give the lab's key with --key or PRINTLAB_KEY"
    );
    let api = cli
        .api
        .as_deref()
        .context("give the api's base URL with --api or PRINTLAB_API (https://…)")?;
    let api = printlab::tls::check_api(api, cli.insecure_http)?;
    let http = printlab::tls::http_client(&printlab::tls::HttpOptions {
        insecure_http: cli.insecure_http,
        ca_cert: cli.ca_cert,
    })?;
    match cli.command {
        Command::Run {
            queue_url,
            hot_folder,
            endpoint,
            once,
            wait_secs,
            burn_command,
        } => {
            let sdk = match endpoint {
                Some(e) => printvault_adapters::aws::local_sdk_config(&e, "us-east-1").await,
                None => printvault_adapters::aws::load_sdk_config().await,
            };
            let lab = PrintLab {
                sqs: aws_sdk_sqs::Client::new(&sdk),
                http,
                insecure_http: cli.insecure_http,
                queue_url,
                api,
                key: cli.key,
                hot_folder,
                progress: std::io::stderr().is_terminal(),
                extend_every: printlab::EXTEND_EVERY,
                burn_command,
            };
            loop {
                match lab.poll_once(wait_secs).await {
                    Ok(Some(Handled::Done {
                        job_id,
                        downloaded,
                        kept,
                    })) => {
                        println!("{job_id}: accepted ({downloaded} downloaded, {kept} kept)")
                    }
                    Ok(Some(Handled::Duplicate { job_id })) => println!("{job_id}: done before; deleted"),
                    Ok(Some(Handled::Written {
                        job_id,
                        downloaded,
                        kept,
                        files,
                        bytes,
                        image_sha256,
                    })) => println!(
                        "{job_id}: written ({files} files, {bytes} bytes, SHA-256 {image_sha256}; \
                         {downloaded} downloaded, {kept} kept)"
                    ),
                    Ok(None) if once => return Ok(()),
                    Ok(None) => {}
                    Err(e) => {
                        eprintln!("printlab: {e:#}; the job comes back after its visibility timeout");
                        if once {
                            return Err(e);
                        }
                        tokio::time::sleep(std::time::Duration::from_secs(5)).await;
                    }
                }
            }
        }
        Command::Report { order, line, stage } => {
            let body = match stage {
                Stage::Printed => json!({"stage": "printed"}),
                Stage::Shipped { carrier, tracking } => {
                    json!({"stage": "shipped", "carrier": carrier, "tracking": tracking})
                }
                Stage::Failed { reason } => json!({"stage": "failed", "reason": reason}),
            };
            let order = printvault_domain::ids::OrderId::parse(&order)
                .map_err(|e| anyhow::anyhow!("{order:?} is not an order ID (ord_…): {e}"))?;
            let answer = printlab::report(&http, &api, &cli.key, order.as_str(), line, body)
                .await
                .context("reporting")?;
            println!("{answer}");
            Ok(())
        }
    }
}
