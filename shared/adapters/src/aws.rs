//! SDK configuration and clients, built once per cold start.

use aws_config::{BehaviorVersion, SdkConfig};

/// The SDK clients the functions share.
#[derive(Clone, Debug)]
pub struct Clients {
    pub s3: aws_sdk_s3::Client,
    pub dynamodb: aws_sdk_dynamodb::Client,
    pub sqs: aws_sdk_sqs::Client,
    pub ses: aws_sdk_sesv2::Client,
    pub secrets: aws_sdk_secretsmanager::Client,
}

/// Loads the SDK configuration from the environment. `AWS_ENDPOINT_URL`
/// points every client at a local server such as moto.
pub async fn load_sdk_config() -> SdkConfig {
    aws_config::defaults(BehaviorVersion::latest()).load().await
}

/// Configuration for a local AWS-compatible server with fixed test credentials.
pub async fn local_sdk_config(endpoint: &str, region: &str) -> SdkConfig {
    local_sdk_config_as(endpoint, region, "testing", "testing").await
}

/// [`local_sdk_config`] with the given access key (a moto IAM user's).
pub async fn local_sdk_config_as(endpoint: &str, region: &str, key: &str, secret: &str) -> SdkConfig {
    let creds = aws_credential_types::Credentials::new(key, secret, None, None, "local");
    aws_config::defaults(BehaviorVersion::latest())
        .endpoint_url(endpoint)
        .region(aws_config::Region::new(region.to_owned()))
        .credentials_provider(creds)
        .load()
        .await
}

impl Clients {
    pub fn new(config: &SdkConfig) -> Self {
        // A custom endpoint is a local server on an IP address: virtual-host
        // style (`bucket.127.0.0.1`) cannot resolve there.
        let s3_config = aws_sdk_s3::config::Builder::from(config)
            .force_path_style(config.endpoint_url().is_some())
            .build();
        Self {
            s3: aws_sdk_s3::Client::from_conf(s3_config),
            dynamodb: aws_sdk_dynamodb::Client::new(config),
            sqs: aws_sdk_sqs::Client::new(config),
            ses: aws_sdk_sesv2::Client::new(config),
            secrets: aws_sdk_secretsmanager::Client::new(config),
        }
    }
}
