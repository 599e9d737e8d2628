//! Secrets Manager: the operator key, read once per cold start.

use anyhow::Context;

/// The string value of the secret `id` (its name or ARN).
pub async fn secret_string(client: &aws_sdk_secretsmanager::Client, id: &str) -> anyhow::Result<String> {
    let out = client
        .get_secret_value()
        .secret_id(id)
        .send()
        .await
        .with_context(|| format!("reading the secret {id}"))?;
    out.secret_string()
        .map(str::to_owned)
        .with_context(|| format!("the secret {id} holds no string"))
}

/// Stores `value` as the secret `name`, creating it or adding a new version.
pub async fn put_secret_string(
    client: &aws_sdk_secretsmanager::Client,
    name: &str,
    value: &str,
) -> anyhow::Result<()> {
    let created = client
        .create_secret()
        .name(name)
        .secret_string(value)
        .send()
        .await;
    match created {
        Ok(_) => Ok(()),
        Err(e)
            if e.as_service_error()
                .is_some_and(|s| s.is_resource_exists_exception()) =>
        {
            client
                .put_secret_value()
                .secret_id(name)
                .secret_string(value)
                .send()
                .await
                .with_context(|| format!("updating the secret {name}"))?;
            Ok(())
        }
        Err(e) => Err(anyhow::Error::from(e).context(format!("creating the secret {name}"))),
    }
}
