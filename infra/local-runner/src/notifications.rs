//! The photo bucket's event notifications, as the template configures
//! them: `incoming/` ObjectCreated to the uploads queue, and `originals/`
//! ObjectRestore:Completed (M32) to the dispatch queue.

use anyhow::Context;
use aws_sdk_s3::types::{
    Event, FilterRule, FilterRuleName, NotificationConfiguration, NotificationConfigurationFilter,
    QueueConfiguration, S3KeyFilter,
};
use printvault_adapters::names;

pub async fn notify_queues(
    s3: &aws_sdk_s3::Client,
    bucket: &str,
    uploads_arn: &str,
    dispatch_arn: &str,
) -> anyhow::Result<()> {
    let under = |prefix: &str| {
        NotificationConfigurationFilter::builder()
            .key(
                S3KeyFilter::builder()
                    .filter_rules(
                        FilterRule::builder()
                            .name(FilterRuleName::Prefix)
                            .value(prefix)
                            .build(),
                    )
                    .build(),
            )
            .build()
    };
    let uploads = QueueConfiguration::builder()
        .id("incoming-to-uploads")
        .queue_arn(uploads_arn)
        .events(Event::from("s3:ObjectCreated:*"))
        .filter(under(names::INCOMING_PREFIX))
        .build()?;
    let restores = QueueConfiguration::builder()
        .id("originals-restored-to-dispatch")
        .queue_arn(dispatch_arn)
        .events(Event::from("s3:ObjectRestore:Completed"))
        .filter(under(names::ORIGINALS_PREFIX))
        .build()?;
    s3.put_bucket_notification_configuration()
        .bucket(bucket)
        .notification_configuration(
            NotificationConfiguration::builder()
                .queue_configurations(uploads)
                .queue_configurations(restores)
                .build(),
        )
        .send()
        .await
        .context("configuring the bucket notifications")?;
    Ok(())
}

/// Takes S3's `s3:TestEvent`, sent when a notification is configured, off
/// the dispatch queue, so a new stack's queue starts empty (print-dispatch
/// drops one anyway, as it does deployed). Anything else is left visible.
pub async fn drop_test_events(sqs: &aws_sdk_sqs::Client, queue_url: &str) -> anyhow::Result<()> {
    let got = sqs
        .receive_message()
        .queue_url(queue_url)
        .max_number_of_messages(10)
        .visibility_timeout(0)
        .send()
        .await
        .context("reading the dispatch queue for S3's test event")?;
    for m in got.messages.unwrap_or_default() {
        if m.body.as_deref().is_some_and(|b| b.contains(r#""s3:TestEvent""#)) {
            if let Some(handle) = m.receipt_handle {
                sqs.delete_message()
                    .queue_url(queue_url)
                    .receipt_handle(handle)
                    .send()
                    .await
                    .context("deleting S3's test event")?;
            }
        }
    }
    Ok(())
}
