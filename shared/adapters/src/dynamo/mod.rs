//! Small helpers shared by the DynamoDB repositories.

use aws_sdk_dynamodb::error::SdkError;
use aws_sdk_dynamodb::types::AttributeValue;
use printvault_domain::Clash;
use printvault_domain::Error;
use std::collections::HashMap;

mod reads;
pub(crate) use reads::all_pages;
pub use reads::{
    batch_get, count_prefix, get_one, page_newest_first, page_newest_first_of, query_index, query_prefix,
    PageOf,
};

pub type Item = HashMap<String, AttributeValue>;

/// DynamoDB's limit on the actions in one TransactWriteItems call.
pub(crate) const MAX_TRANSACTION_ITEMS: usize = 100;

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

/// Writes `item` unconditionally; `what` names it in errors.
pub async fn put_item(
    db: &aws_sdk_dynamodb::Client,
    table: &str,
    item: Item,
    what: &str,
) -> Result<(), printvault_domain::Error> {
    db.put_item()
        .table_name(table)
        .set_item(Some(item))
        .send()
        .await
        .map_err(|e| write_failed(e, what))?;
    Ok(())
}

/// A transaction's put of `item`, under `condition` if any.
pub(crate) fn put(
    table: &str,
    item: Item,
    condition: Option<&str>,
) -> anyhow::Result<aws_sdk_dynamodb::types::TransactWriteItem> {
    let p = aws_sdk_dynamodb::types::Put::builder()
        .table_name(table)
        .set_item(Some(item))
        .set_condition_expression(condition.map(str::to_owned))
        .build()?;
    Ok(aws_sdk_dynamodb::types::TransactWriteItem::builder()
        .put(p)
        .build())
}

/// A transaction's delete of `{pk, sk}`, under `condition` if any.
pub(crate) fn delete(
    table: &str,
    pk: String,
    sk: String,
    condition: Option<&str>,
) -> anyhow::Result<aws_sdk_dynamodb::types::TransactWriteItem> {
    let d = aws_sdk_dynamodb::types::Delete::builder()
        .table_name(table)
        .set_key(Some(key(pk, sk)))
        .set_condition_expression(condition.map(str::to_owned))
        .build()?;
    Ok(aws_sdk_dynamodb::types::TransactWriteItem::builder()
        .delete(d)
        .build())
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

/// A failed write, translated at the edge of the adapters: a transaction
/// conflict (two writes to the same items at once; DynamoDB let one win)
/// becomes a domain `Conflict` the caller can retry; anything else is
/// `Unexpected`, with `what` as context for the log.
pub(crate) fn write_failed(e: impl Into<anyhow::Error>, what: &str) -> Error {
    let e = e.into();
    if is_transaction_conflict(&e) {
        Error::Conflict(Clash::Raced)
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

/// Runs one transaction. `Ok(Err(failed))` when conditions failed (nothing
/// was written): `failed[i]` is whether item `i`'s did, so the caller can
/// say why. Other failures as [`write_failed`] says (a conflict with a
/// concurrent transaction is a domain `Conflict`).
pub(crate) async fn transact_checked(
    db: &aws_sdk_dynamodb::Client,
    items: Vec<aws_sdk_dynamodb::types::TransactWriteItem>,
    what: &str,
) -> Result<Result<(), Vec<bool>>, Error> {
    match db
        .transact_write_items()
        .set_transact_items(Some(items))
        .send()
        .await
    {
        Ok(_) => Ok(Ok(())),
        Err(e) => match failed_conditions(&e) {
            Some(failed) => Ok(Err(failed)),
            None => Err(write_failed(e, what)),
        },
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
            Error::Conflict(c) => assert_eq!(c, Clash::Raced),
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
