//! Small helpers shared by the DynamoDB repositories.

use aws_sdk_dynamodb::error::SdkError;
use aws_sdk_dynamodb::types::AttributeValue;
use std::collections::HashMap;

pub type Item = HashMap<String, AttributeValue>;

pub fn s(v: impl Into<String>) -> AttributeValue {
    AttributeValue::S(v.into())
}

/// The `{pk, sk}` key map.
pub fn key(pk: impl Into<String>, sk: impl Into<String>) -> Item {
    HashMap::from([
        (crate::names::PK.to_owned(), s(pk)),
        (crate::names::SK.to_owned(), s(sk)),
    ])
}

/// Serialises a value into an item and adds its key.
pub fn item_with_key<T: serde::Serialize>(value: &T, pk: String, sk: String) -> anyhow::Result<Item> {
    let mut item: Item = serde_dynamo::to_item(value)?;
    item.extend(key(pk, sk));
    Ok(item)
}

/// True when a write failed only because its condition did not hold.
pub fn is_condition_failure<E, R>(err: &SdkError<E, R>) -> bool
where
    E: aws_sdk_dynamodb::error::ProvideErrorMetadata,
{
    err.as_service_error()
        .and_then(|e| e.code())
        .is_some_and(|c| c == "ConditionalCheckFailedException")
}

/// True when a transaction was cancelled because one of its conditions failed.
pub fn is_transaction_condition_failure(
    err: &SdkError<
        aws_sdk_dynamodb::operation::transact_write_items::TransactWriteItemsError,
        aws_sdk_dynamodb::config::http::HttpResponse,
    >,
) -> bool {
    match err.as_service_error() {
        Some(aws_sdk_dynamodb::operation::transact_write_items::TransactWriteItemsError::TransactionCanceledException(e)) => e
            .cancellation_reasons()
            .iter()
            .any(|r| r.code() == Some("ConditionalCheckFailed")),
        _ => false,
    }
}

/// Every item of partition `pk` whose sort key starts with `prefix`, all
/// pages, decoded. For partitions that stay small (a customer's albums,
/// groups, grants); large ones are paged to the client instead.
pub async fn query_prefix<T: serde::de::DeserializeOwned>(
    db: &aws_sdk_dynamodb::Client,
    table: &str,
    pk: &str,
    prefix: &str,
) -> anyhow::Result<Vec<T>> {
    let mut out = Vec::new();
    let mut start = None;
    loop {
        let page = db
            .query()
            .table_name(table)
            .key_condition_expression("pk = :pk AND begins_with(sk, :p)")
            .expression_attribute_values(":pk", s(pk))
            .expression_attribute_values(":p", s(prefix))
            .consistent_read(true)
            .set_exclusive_start_key(start)
            .send()
            .await?;
        for item in page.items.unwrap_or_default() {
            out.push(serde_dynamo::from_item(item)?);
        }
        start = page.last_evaluated_key;
        if start.is_none() {
            return Ok(out);
        }
    }
}
