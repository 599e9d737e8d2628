//! The tables, as the template makes them: keys, indexes and TTL.

use aws_sdk_dynamodb::types::{
    AttributeDefinition, BillingMode, GlobalSecondaryIndex, KeySchemaElement, KeyType, Projection,
    ProjectionType, ScalarAttributeType,
};
use printvault_adapters::names;

pub(crate) async fn create_table(
    db: &aws_sdk_dynamodb::Client,
    name: &str,
    indexes: &[names::IndexSpec],
) -> anyhow::Result<()> {
    let attr = |n: &str| {
        AttributeDefinition::builder()
            .attribute_name(n)
            .attribute_type(ScalarAttributeType::S)
            .build()
    };
    let key = |n: &str, t| KeySchemaElement::builder().attribute_name(n).key_type(t).build();
    let mut req = db
        .create_table()
        .table_name(name)
        .billing_mode(BillingMode::PayPerRequest)
        .attribute_definitions(attr(names::PK)?)
        .attribute_definitions(attr(names::SK)?)
        .key_schema(key(names::PK, KeyType::Hash)?)
        .key_schema(key(names::SK, KeyType::Range)?);
    for index in indexes {
        let projection = match index.include {
            None => Projection::builder().projection_type(ProjectionType::All).build(),
            Some(attrs) => Projection::builder()
                .projection_type(ProjectionType::Include)
                .set_non_key_attributes(Some(attrs.iter().map(|a| (*a).to_owned()).collect()))
                .build(),
        };
        req = req
            .attribute_definitions(attr(index.pk)?)
            .attribute_definitions(attr(index.sk)?)
            .global_secondary_indexes(
                GlobalSecondaryIndex::builder()
                    .index_name(index.name)
                    .key_schema(key(index.pk, KeyType::Hash)?)
                    .key_schema(key(index.sk, KeyType::Range)?)
                    .projection(projection)
                    .build()?,
            );
    }
    let res = req.send().await;
    match res {
        Ok(_) => Ok(()),
        Err(e)
            if e.as_service_error()
                .is_some_and(|e| e.is_resource_in_use_exception()) =>
        {
            Ok(())
        }
        Err(e) => Err(anyhow::Error::from(e).context(format!("creating table {name}"))),
    }
}

/// As the template's `TimeToLiveSpecification` (moto records it; it does
/// not delete lapsed items, which the code ignores by itself anyway).
pub(crate) async fn enable_ttl(
    db: &aws_sdk_dynamodb::Client,
    table: &str,
    attribute: &str,
) -> anyhow::Result<()> {
    let spec = aws_sdk_dynamodb::types::TimeToLiveSpecification::builder()
        .enabled(true)
        .attribute_name(attribute)
        .build()?;
    let res = db
        .update_time_to_live()
        .table_name(table)
        .time_to_live_specification(spec)
        .send()
        .await;
    match res {
        Ok(_) => Ok(()),
        // Already enabled: a stack made again on the same server.
        Err(e)
            if e.as_service_error()
                .is_some_and(|e| e.meta().code() == Some("ValidationException")) =>
        {
            Ok(())
        }
        Err(e) => Err(anyhow::Error::from(e).context(format!("enabling TTL on table {table}"))),
    }
}
