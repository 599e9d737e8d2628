//! Makes the resources of one deployment in a local AWS-compatible server,
//! with the names the SAM template uses (`tests/tests/template_names.rs`
//! checks that the template agrees). Safe to run again.

use anyhow::Context;
use aws_sdk_s3::types::{CorsConfiguration, CorsRule};
use aws_sdk_sqs::types::QueueAttributeName;
use printvault_adapters::aws::Clients;
use printvault_adapters::names::{self, ResourceNames};
use printvault_adapters::secrets;

use crate::notifications;
pub use crate::queues::{AllQueues, QueueSettings};
use crate::tables;

/// What provisioning made that callers need to address.
#[derive(Debug, Clone)]
pub struct Provisioned {
    pub names: ResourceNames,
    pub uploads_queue_url: String,
    pub uploads_dlq_url: String,
    pub image_events_queue_url: String,
    pub image_events_dlq_url: String,
    pub notices_queue_url: String,
    pub notices_dlq_url: String,
    pub dispatch_queue_url: String,
    pub dispatch_dlq_url: String,
    /// Export steps (X3), for the export function.
    pub exports_queue_url: String,
    pub exports_dlq_url: String,
    /// SES's feedback on sent mail; locally the notifier puts the mailbox
    /// simulator's events here itself.
    pub mail_events_queue_url: String,
    pub mail_events_dlq_url: String,
}

/// Makes every resource; `queues` times the queues.
pub async fn provision(
    clients: &Clients,
    names: &ResourceNames,
    queues: &AllQueues,
    mail_from: &str,
    operator_key: &str,
) -> anyhow::Result<Provisioned> {
    for table in names.tables() {
        tables::create_table(&clients.dynamodb, table, &names.indexes_of(table)).await?;
        if let Some(attribute) = names.ttl_attribute_of(table) {
            tables::enable_ttl(&clients.dynamodb, table, attribute).await?;
        }
    }
    let (uploads_url, uploads_dlq_url) = create_queue_with_dlq(
        &clients.sqs,
        &names.uploads_queue,
        &names.uploads_dlq,
        &queues.uploads,
    )
    .await?;
    let (events_url, events_dlq_url) = create_queue_with_dlq(
        &clients.sqs,
        &names.image_events_queue,
        &names.image_events_dlq,
        &queues.image_events,
    )
    .await?;
    let (notices_url, notices_dlq_url) = create_queue_with_dlq(
        &clients.sqs,
        &names.notices_queue,
        &names.notices_dlq,
        &queues.notices,
    )
    .await?;
    let (dispatch_url, dispatch_dlq_url) = create_queue_with_dlq(
        &clients.sqs,
        &names.dispatch_queue,
        &names.dispatch_dlq,
        &queues.dispatch,
    )
    .await?;
    let (exports_url, exports_dlq_url) = create_queue_with_dlq(
        &clients.sqs,
        &names.exports_queue,
        &names.exports_dlq,
        &queues.exports,
    )
    .await?;
    // The notifier's second queue: its timings are the notices queue's.
    let (mail_events_url, mail_events_dlq_url) = create_queue_with_dlq(
        &clients.sqs,
        &names.mail_events_queue,
        &names.mail_events_dlq,
        &queues.notices,
    )
    .await?;
    let uploads_arn = queue_arn(&clients.sqs, &uploads_url).await?;
    let dispatch_arn = queue_arn(&clients.sqs, &dispatch_url).await?;
    create_bucket(&clients.s3, &names.photos_bucket).await?;
    notifications::notify_queues(&clients.s3, &names.photos_bucket, &uploads_arn, &dispatch_arn).await?;
    notifications::drop_test_events(&clients.sqs, &dispatch_url).await?;
    verify_sender(&clients.ses, mail_from).await?;
    // Deployed, CloudFormation generates this secret; locally it holds the
    // key the runner was given.
    secrets::put_secret_string(&clients.secrets, &names.operator_key_secret, operator_key).await?;
    // Deployed, the provider's secret is a template parameter; locally, the
    // one `local-runner pay` signs with.
    secrets::put_secret_string(
        &clients.secrets,
        &names.payment_webhook_secret,
        printvault_domain::payment::LOCAL_SECRET,
    )
    .await?;
    Ok(Provisioned {
        names: names.clone(),
        uploads_queue_url: uploads_url,
        uploads_dlq_url,
        image_events_queue_url: events_url,
        image_events_dlq_url: events_dlq_url,
        notices_queue_url: notices_url,
        notices_dlq_url,
        dispatch_queue_url: dispatch_url,
        dispatch_dlq_url,
        exports_queue_url: exports_url,
        exports_dlq_url,
        mail_events_queue_url: mail_events_url,
        mail_events_dlq_url,
    })
}

/// The api's proof that a request came through the CloudFront distribution
/// (`api::Config::origin_verify`), when a test plays the distribution: put in
/// its secret as CloudFormation would generate it, and read back by the api
/// (`api`'s clients) as in Lambda. `None`, as `local-runner run` has it: no
/// secret, so the api never believes a viewer header.
pub async fn origin_verify(
    admin: &Clients,
    api: &Clients,
    names: &ResourceNames,
    secret: Option<&str>,
) -> anyhow::Result<Option<String>> {
    let Some(secret) = secret else {
        return Ok(None);
    };
    secrets::put_secret_string(&admin.secrets, &names.origin_verify_secret, secret).await?;
    let read = api::Config::origin_verify_from_secret(api, &names.origin_verify_secret).await?;
    Ok(Some(read))
}

/// A queue that parks a message in its DLQ after `settings.max_receive_count`
/// receives. Returns the queue's URL and the DLQ's.
async fn create_queue_with_dlq(
    sqs: &aws_sdk_sqs::Client,
    name: &str,
    dlq_name: &str,
    settings: &QueueSettings,
) -> anyhow::Result<(String, String)> {
    let dlq_url = create_queue(
        sqs,
        dlq_name,
        &[(
            QueueAttributeName::MessageRetentionPeriod,
            names::DLQ_RETENTION_SECS.to_string(),
        )],
    )
    .await?;
    let dlq_arn = queue_arn(sqs, &dlq_url).await?;
    let redrive =
        serde_json::json!({"deadLetterTargetArn": dlq_arn, "maxReceiveCount": settings.max_receive_count})
            .to_string();
    let url = create_queue(
        sqs,
        name,
        &[
            (
                QueueAttributeName::VisibilityTimeout,
                settings.visibility_timeout_secs.to_string(),
            ),
            (QueueAttributeName::RedrivePolicy, redrive),
        ],
    )
    .await?;
    Ok((url, dlq_url))
}

async fn create_queue(
    sqs: &aws_sdk_sqs::Client,
    name: &str,
    attrs: &[(QueueAttributeName, String)],
) -> anyhow::Result<String> {
    let mut req = sqs.create_queue().queue_name(name);
    for (k, v) in attrs {
        req = req.attributes(k.clone(), v);
    }
    let out = req
        .send()
        .await
        .with_context(|| format!("creating queue {name}"))?;
    out.queue_url.context("create_queue returned no URL")
}

async fn queue_arn(sqs: &aws_sdk_sqs::Client, url: &str) -> anyhow::Result<String> {
    let out = sqs
        .get_queue_attributes()
        .queue_url(url)
        .attribute_names(QueueAttributeName::QueueArn)
        .send()
        .await
        .context("reading a queue ARN")?;
    out.attributes
        .and_then(|mut a| a.remove(&QueueAttributeName::QueueArn))
        .context("queue has no ARN")
}

async fn create_bucket(s3: &aws_sdk_s3::Client, name: &str) -> anyhow::Result<()> {
    match s3.create_bucket().bucket(name).send().await {
        Ok(_) => Ok(()),
        Err(e)
            if e.as_service_error()
                .is_some_and(|e| e.is_bucket_already_owned_by_you()) =>
        {
            Ok(())
        }
        Err(e) => Err(anyhow::Error::from(e).context(format!("creating bucket {name}"))),
    }
}

/// ObjectCreated under `incoming/` goes to the uploads queue, as the
/// template's NotificationConfiguration says. (S3 answers with a TestEvent.)
/// Lets the customer page at `origin` (scheme://host:port) PUT to presigned
/// upload URLs and GET presigned images in `bucket`, cross-origin: the CORS
/// rule the template gives the bucket, for the origin known only once the
/// api listens.
pub async fn allow_page_origin(s3: &aws_sdk_s3::Client, bucket: &str, origin: &str) -> anyhow::Result<()> {
    let rule = CorsRule::builder()
        .allowed_methods("PUT")
        .allowed_methods("GET")
        .allowed_origins(origin)
        .allowed_headers("Content-Type")
        .allowed_headers("Content-Length")
        .allowed_headers("If-None-Match")
        .allowed_headers("x-amz-*")
        .expose_headers("ETag")
        .max_age_seconds(3000)
        .build()?;
    s3.put_bucket_cors()
        .bucket(bucket)
        .cors_configuration(CorsConfiguration::builder().cors_rules(rule).build()?)
        .send()
        .await
        .with_context(|| format!("allowing {origin} in the CORS rule of {bucket}"))?;
    Ok(())
}

async fn verify_sender(ses: &aws_sdk_sesv2::Client, email: &str) -> anyhow::Result<()> {
    match ses.create_email_identity().email_identity(email).send().await {
        Ok(_) => Ok(()),
        Err(e)
            if e.as_service_error()
                .is_some_and(|e| e.is_already_exists_exception()) =>
        {
            Ok(())
        }
        Err(e) => Err(anyhow::Error::from(e).context(format!("verifying the sender {email}"))),
    }
}
