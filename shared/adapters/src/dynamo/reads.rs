//! Reads that page or batch: many items by key, a partition by prefix.

use aws_sdk_dynamodb::types::AttributeValue;
use std::collections::HashMap;

use super::{s, Item};

/// One item, decoded; `None` when there is none. Strongly consistent;
/// `what` names it in errors ("a customer").
pub async fn get_one<T: serde::de::DeserializeOwned>(
    db: &aws_sdk_dynamodb::Client,
    table: &str,
    pk: String,
    sk: &str,
    what: &str,
) -> Result<Option<T>, printvault_domain::Error> {
    use anyhow::Context;
    let out = db
        .get_item()
        .table_name(table)
        .set_key(Some(super::key(pk, sk)))
        .consistent_read(true)
        .send()
        .await
        .with_context(|| format!("reading {what}"))?;
    Ok(out
        .item
        .map(|i| serde_dynamo::from_item(i).with_context(|| format!("decoding {what}")))
        .transpose()?)
}

/// Every item of the secondary index `index` whose partition key
/// attribute `pk_attr` is `bucket`, all pages (the sweeps' due-date reads).
pub async fn query_index(
    db: &aws_sdk_dynamodb::Client,
    table: &str,
    index: &str,
    pk_attr: &str,
    bucket: &str,
) -> anyhow::Result<Vec<Item>> {
    use anyhow::Context;
    let q = db
        .query()
        .table_name(table)
        .index_name(index)
        .key_condition_expression("#p = :p")
        .expression_attribute_names("#p", pk_attr)
        .expression_attribute_values(":p", s(bucket));
    all_pages(q)
        .await
        .with_context(|| format!("querying the {index} index of {table}"))
}

/// Every item a Query returns, page after page.
pub(crate) async fn all_pages(
    q: aws_sdk_dynamodb::operation::query::builders::QueryFluentBuilder,
) -> anyhow::Result<Vec<Item>> {
    let mut out = Vec::new();
    let mut start = None;
    loop {
        let page = q.clone().set_exclusive_start_key(start).send().await?;
        out.extend(page.items.unwrap_or_default());
        start = page.last_evaluated_key;
        if start.is_none() {
            return Ok(out);
        }
    }
}

/// Every item at `keys` that exists, by BatchGetItem: 100 keys a request,
/// unprocessed keys asked again. Strongly consistent.
pub async fn batch_get(
    db: &aws_sdk_dynamodb::Client,
    table: &str,
    keys: Vec<Item>,
) -> anyhow::Result<Vec<Item>> {
    use aws_sdk_dynamodb::types::KeysAndAttributes;
    let mut out = Vec::new();
    for chunk in keys.chunks(100) {
        let mut request = Some(HashMap::from([(
            table.to_owned(),
            KeysAndAttributes::builder()
                .set_keys(Some(chunk.to_vec()))
                .consistent_read(true)
                .build()?,
        )]));
        while let Some(req) = request.take().filter(|r| !r.is_empty()) {
            let got = db.batch_get_item().set_request_items(Some(req)).send().await?;
            out.extend(
                got.responses
                    .unwrap_or_default()
                    .remove(table)
                    .unwrap_or_default(),
            );
            request = got.unprocessed_keys;
        }
    }
    Ok(out)
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
    let q = db
        .query()
        .table_name(table)
        .key_condition_expression("pk = :pk AND begins_with(sk, :p)")
        .expression_attribute_values(":pk", s(pk))
        .expression_attribute_values(":p", s(prefix))
        .consistent_read(true);
    let items = all_pages(q).await?;
    Ok(items
        .into_iter()
        .map(serde_dynamo::from_item)
        .collect::<Result<_, _>>()?)
}

/// Which page of a listing: its size, and the cursor the page before gave.
#[derive(Debug, Clone, Copy)]
pub struct PageOf<'a> {
    pub limit: u32,
    pub cursor: Option<&'a str>,
}

/// One page of partition `pk`'s items whose sort key starts with `prefix`,
/// newest (highest sort key) first, decoded; `what` names them in errors
/// ("images"). The page's cursor continues a listing: it is checked by
/// `valid` (a sort key this listing could have issued) and only ever
/// combined with `pk`, so it can never reach another partition.
pub async fn page_newest_first<T: serde::de::DeserializeOwned>(
    db: &aws_sdk_dynamodb::Client,
    table: &str,
    pk: &str,
    prefix: &str,
    page: PageOf<'_>,
    valid: impl FnOnce(&str) -> bool,
    what: &str,
) -> Result<crate::Page<T>, printvault_domain::Error> {
    page_newest_first_of(db, table, (pk, prefix), page, valid, what, &[]).await
}

/// [`page_newest_first`], reading only the attributes `projected` (all
/// when empty): a listing of large items shows a little of each.
pub async fn page_newest_first_of<T: serde::de::DeserializeOwned>(
    db: &aws_sdk_dynamodb::Client,
    table: &str,
    (pk, prefix): (&str, &str),
    page: PageOf<'_>,
    valid: impl FnOnce(&str) -> bool,
    what: &str,
    projected: &[&str],
) -> Result<crate::Page<T>, printvault_domain::Error> {
    use anyhow::Context;
    let PageOf { limit, cursor } = page;
    let start = cursor.map(|c| crate::cursor::decode(c, valid)).transpose()?;
    let mut q = db
        .query()
        .table_name(table)
        .key_condition_expression("pk = :pk AND begins_with(sk, :prefix)")
        .expression_attribute_values(":pk", s(pk))
        .expression_attribute_values(":prefix", s(prefix))
        .scan_index_forward(false)
        .limit(limit as i32)
        .set_exclusive_start_key(start.map(|sk| super::key(pk, sk)));
    if !projected.is_empty() {
        // Every name through a placeholder: some are reserved words.
        let names: Vec<String> = (0..projected.len()).map(|n| format!("#p{n}")).collect();
        q = q.projection_expression(names.join(", "));
        for (n, attr) in names.iter().zip(projected) {
            q = q.expression_attribute_names(n, *attr);
        }
    }
    let out = q.send().await.with_context(|| format!("listing {what}"))?;
    let items = out
        .items
        .unwrap_or_default()
        .into_iter()
        .map(|i| serde_dynamo::from_item(i).with_context(|| format!("decoding {what}")))
        .collect::<anyhow::Result<Vec<T>>>()?;
    let next_cursor = out
        .last_evaluated_key
        .and_then(|k| k.get(crate::names::SK).and_then(|v| v.as_s().ok()).cloned())
        .map(|sk| crate::cursor::encode(&sk));
    Ok(crate::Page { items, next_cursor })
}
