//! Configuration, read once at cold start. Missing or invalid values stop the
//! function with a message that names them.

use printvault_adapters::aws::Clients;
use printvault_adapters::lambda::{required_env, settings_from_env};
use printvault_adapters::locations::{Locations, QueueUrls};
use printvault_adapters::names::ResourceNames;
use printvault_adapters::secrets;
use printvault_domain::payment::{WebhookSecrets, LOCAL_SECRET};
use printvault_domain::settings::Settings;

#[derive(Debug, Clone)]
pub struct Config {
    /// Where each store lives.
    pub at: Locations,
    /// The api's public base URL, for links in emails (`PUBLIC_URL`). When
    /// unset, the domain API Gateway reports for the request is used (never
    /// the client's Host header, which anyone can set).
    pub public_url: Option<String>,
    /// Shared secret for `/v1/operator/*` routes (header `x-operator-key`).
    pub operator_key: String,
    /// The payment provider's webhook secrets (M20).
    pub webhook_secrets: WebhookSecrets,
    /// The secret the stack's CloudFront distribution sends to the api as
    /// `x-origin-verify`: a request carrying it came through the
    /// distribution, and its `x-viewer-ip` is believed (`client`). `None`
    /// (locally): no request is believed, the connection's address counts.
    pub origin_verify: Option<String>,
    pub settings: Settings,
}

impl Config {
    /// Reads the environment. The operator key comes from the Secrets
    /// Manager secret named by `OPERATOR_KEY_SECRET_ARN` (deployed), or
    /// else from `OPERATOR_KEY` itself (`cargo lambda watch`).
    pub async fn from_env(clients: &Clients) -> anyhow::Result<Self> {
        let operator_key = match std::env::var("OPERATOR_KEY_SECRET_ARN") {
            Ok(arn) if !arn.is_empty() => Self::operator_key_from_secret(clients, &arn).await?,
            _ => checked_operator_key(required_env("OPERATOR_KEY").map_err(|_| {
                anyhow::anyhow!("set OPERATOR_KEY_SECRET_ARN (deployed) or OPERATOR_KEY (local)")
            })?)?,
        };
        let webhook_secrets = match std::env::var("PAYMENT_WEBHOOK_SECRET_ARN") {
            Ok(arn) if !arn.is_empty() => Self::webhook_secrets_from_secret(clients, &arn).await?,
            _ => parse_webhook_secrets(&required_env("PAYMENT_WEBHOOK_SECRET").map_err(|_| {
                anyhow::anyhow!("set PAYMENT_WEBHOOK_SECRET_ARN (deployed) or PAYMENT_WEBHOOK_SECRET (local)")
            })?)?,
        };
        // Unset (`cargo lambda watch`): no proof, so no viewer header is believed.
        let origin_verify = match std::env::var("ORIGIN_VERIFY_SECRET_ARN") {
            Ok(arn) if !arn.is_empty() => Some(Self::origin_verify_from_secret(clients, &arn).await?),
            _ => None,
        };
        let settings = settings_from_env()?;
        Ok(Self {
            at: Locations::from_env()?,
            public_url: std::env::var("PUBLIC_URL").ok().filter(|u| !u.trim().is_empty()),
            operator_key,
            webhook_secrets,
            origin_verify,
            settings,
        })
    }

    /// The webhook secrets held by the secret `id` (name or ARN), checked.
    pub async fn webhook_secrets_from_secret(clients: &Clients, id: &str) -> anyhow::Result<WebhookSecrets> {
        parse_webhook_secrets(&secrets::secret_string(&clients.secrets, id).await?)
    }

    /// The operator key held by the secret `id` (name or ARN), checked.
    pub async fn operator_key_from_secret(clients: &Clients, id: &str) -> anyhow::Result<String> {
        checked_operator_key(secrets::secret_string(&clients.secrets, id).await?)
    }

    /// The distribution's proof (`origin_verify`) held by the secret `id`
    /// (name or ARN), checked like the operator key.
    pub async fn origin_verify_from_secret(clients: &Clients, id: &str) -> anyhow::Result<String> {
        let secret = secrets::secret_string(&clients.secrets, id).await?;
        checked_secret("the origin verification secret", secret)
    }

    /// The configuration of one deployment's resources, as the local runner
    /// and the tests make it. A queue URL cannot be made from a name (it
    /// holds the account and endpoint), so it comes from whoever made the queue.
    pub fn for_names(
        names: &ResourceNames,
        operator_key: String,
        settings: Settings,
        image_events_queue_url: String,
        notices_queue_url: String,
        dispatch_queue_url: String,
        exports_queue_url: String,
    ) -> Self {
        Self {
            at: Locations::of(
                names,
                QueueUrls {
                    image_events: image_events_queue_url,
                    notices: notices_queue_url,
                    dispatch: dispatch_queue_url,
                    exports: exports_queue_url,
                },
            ),
            public_url: None,
            operator_key,
            webhook_secrets: parse_webhook_secrets(LOCAL_SECRET).expect("the local webhook secret parses"),
            origin_verify: None,
            settings,
        }
    }
}

fn parse_webhook_secrets(raw: &str) -> anyhow::Result<WebhookSecrets> {
    WebhookSecrets::parse(raw).map_err(|e| anyhow::anyhow!("the payment webhook secret: {e}"))
}

fn checked_operator_key(key: String) -> anyhow::Result<String> {
    checked_secret("the operator key", key)
}

fn checked_secret(what: &str, secret: String) -> anyhow::Result<String> {
    anyhow::ensure!(secret.len() >= 32, "{what} must have at least 32 characters");
    Ok(secret)
}

#[cfg(test)]
mod tests {
    use super::{checked_operator_key, checked_secret};

    #[test]
    fn a_short_operator_key_is_refused_with_its_rule() {
        let e = checked_operator_key("too short".into()).unwrap_err();
        assert!(e.to_string().contains("at least 32"), "{e}");
        assert!(checked_operator_key("k".repeat(32)).is_ok());
    }

    #[test]
    fn a_short_or_empty_origin_secret_is_refused() {
        for short in ["", "too short"] {
            let e = checked_secret("the origin verification secret", short.into()).unwrap_err();
            assert!(e.to_string().contains("origin verification secret"), "{e}");
        }
    }
}
