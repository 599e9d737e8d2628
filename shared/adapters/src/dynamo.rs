//! Small helpers shared by the DynamoDB repositories.

use aws_sdk_dynamodb::error::SdkError;
use aws_sdk_dynamodb::types::AttributeValue;
use printvault_domain::Error;
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

/// Which items of a cancelled transaction failed their condition, by
/// position; `None` when the error is not such a cancellation.
pub(crate) fn failed_conditions(
    err: &SdkError<
        aws_sdk_dynamodb::operation::transact_write_items::TransactWriteItemsError,
        aws_sdk_dynamodb::config::http::HttpResponse,
    >,
) -> Option<Vec<bool>> {
    match err.as_service_error() {
        Some(aws_sdk_dynamodb::operation::transact_write_items::TransactWriteItemsError::TransactionCanceledException(e)) => {
            let failed: Vec<bool> = e
                .cancellation_reasons()
                .iter()
                .map(|r| r.code() == Some("ConditionalCheckFailed"))
                .collect();
            failed.contains(&true).then_some(failed)
        }
        _ => None,
    }
}

/// True when `err` (anywhere in its chain) is DynamoDB refusing a write
/// because a concurrent transaction held one of its items: a transaction
/// cancelled with `TransactionConflict`, or a single-item write that met a
/// transaction (`TransactionConflictException`). The SDK does not retry
/// these; the caller can, once the other write is done.
fn is_transaction_conflict(err: &anyhow::Error) -> bool {
    use aws_sdk_dynamodb::config::http::HttpResponse;
    use aws_sdk_dynamodb::operation::{
        delete_item::DeleteItemError, put_item::PutItemError, transact_write_items::TransactWriteItemsError,
        update_item::UpdateItemError,
    };
    err.chain().any(|e| {
        if let Some(t) = e.downcast_ref::<SdkError<TransactWriteItemsError, HttpResponse>>() {
            return match t.as_service_error() {
                Some(TransactWriteItemsError::TransactionCanceledException(c)) => c
                    .cancellation_reasons()
                    .iter()
                    .any(|r| r.code() == Some("TransactionConflict")),
                Some(other) => other.is_transaction_in_progress_exception(),
                None => false,
            };
        }
        e.downcast_ref::<SdkError<PutItemError, HttpResponse>>()
            .and_then(SdkError::as_service_error)
            .is_some_and(PutItemError::is_transaction_conflict_exception)
            || e.downcast_ref::<SdkError<UpdateItemError, HttpResponse>>()
                .and_then(SdkError::as_service_error)
                .is_some_and(UpdateItemError::is_transaction_conflict_exception)
            || e.downcast_ref::<SdkError<DeleteItemError, HttpResponse>>()
                .and_then(SdkError::as_service_error)
                .is_some_and(DeleteItemError::is_transaction_conflict_exception)
    })
}

/// What a customer is told when their write met another at the same moment.
pub const CONFLICT: &str = "another change to the same data was in progress; try again";

/// A failed write, translated at the edge of the adapters: a transaction
/// conflict (two writes to the same items at once; DynamoDB let one win)
/// becomes a domain `Conflict` the caller can retry; anything else is
/// `Unexpected`, with `what` as context for the log.
pub(crate) fn write_failed(e: impl Into<anyhow::Error>, what: &str) -> Error {
    let e = e.into();
    if is_transaction_conflict(&e) {
        Error::Conflict(CONFLICT.into())
    } else {
        Error::Unexpected(e.context(what.to_owned()))
    }
}

/// Runs one transaction. `Ok(false)` when a condition in it failed (nothing
/// was written); other failures as [`write_failed`] says.
pub(crate) async fn transact(
    db: &aws_sdk_dynamodb::Client,
    items: Vec<aws_sdk_dynamodb::types::TransactWriteItem>,
    what: &str,
) -> Result<bool, Error> {
    match db
        .transact_write_items()
        .set_transact_items(Some(items))
        .send()
        .await
    {
        Ok(_) => Ok(true),
        Err(e) if is_transaction_condition_failure(&e) => Ok(false),
        Err(e) => Err(write_failed(e, what)),
    }
}

/// How many items of partition `pk` have a sort key starting with `prefix`
/// (and, with `live_at`, an `expires_at` after it), counting at most
/// `at_most` items: enough to tell whether a quota is reached, at a cost
/// bounded by the quota.
pub async fn count_prefix(
    db: &aws_sdk_dynamodb::Client,
    table: &str,
    pk: &str,
    prefix: &str,
    live_at: Option<i64>,
    at_most: u32,
) -> anyhow::Result<u32> {
    let mut q = db
        .query()
        .table_name(table)
        .key_condition_expression("pk = :pk AND begins_with(sk, :p)")
        .expression_attribute_values(":pk", s(pk))
        .expression_attribute_values(":p", s(prefix))
        .select(aws_sdk_dynamodb::types::Select::Count)
        .consistent_read(true)
        .limit(at_most as i32);
    if let Some(now) = live_at {
        q = q
            .filter_expression("expires_at > :now")
            .expression_attribute_values(":now", AttributeValue::N(now.to_string()));
    }
    Ok(q.send().await?.count.max(0) as u32)
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

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_dynamodb::config::http::HttpResponse;
    use aws_sdk_dynamodb::operation::put_item::PutItemError;
    use aws_sdk_dynamodb::operation::transact_write_items::TransactWriteItemsError;
    use aws_sdk_dynamodb::types::error::{TransactionCanceledException, TransactionConflictException};
    use aws_sdk_dynamodb::types::CancellationReason;

    fn response() -> HttpResponse {
        HttpResponse::new(400.try_into().unwrap(), aws_smithy_types::body::SdkBody::empty())
    }

    fn cancelled(codes: &[&str]) -> anyhow::Error {
        let mut e = TransactionCanceledException::builder();
        for c in codes {
            e = e.cancellation_reasons(CancellationReason::builder().code(*c).build());
        }
        let err = SdkError::service_error(
            TransactWriteItemsError::TransactionCanceledException(e.build()),
            response(),
        );
        anyhow::Error::from(err).context("saving an image")
    }

    #[test]
    fn a_conflict_becomes_a_domain_conflict_a_customer_can_read() {
        match write_failed(cancelled(&["TransactionConflict"]), "saving an image") {
            Error::Conflict(m) => assert_eq!(m, CONFLICT),
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            write_failed(cancelled(&["ConditionalCheckFailed"]), "saving an image"),
            Error::Unexpected(_)
        ));
    }

    #[test]
    fn transaction_conflicts_are_told_apart_from_failed_conditions() {
        assert!(is_transaction_conflict(&cancelled(&[
            "None",
            "TransactionConflict"
        ])));
        assert!(!is_transaction_conflict(&cancelled(&[
            "ConditionalCheckFailed",
            "None"
        ])));
        let put = SdkError::service_error(
            PutItemError::TransactionConflictException(
                TransactionConflictException::builder().message("busy").build(),
            ),
            response(),
        );
        assert!(is_transaction_conflict(
            &anyhow::Error::from(put).context("creating an album")
        ));
        assert!(!is_transaction_conflict(&anyhow::anyhow!("something else")));
    }
}
