//! The resources of the functions' DynamoDB, SES and Secrets Manager calls,
//! which moto's IAM does not check, checked from the calls themselves
//! (`integration_tests::recorded`).

use integration_tests::TestEnv;

use super::clients_of;

/// Every DynamoDB, SES and Secrets Manager call so far was on a resource
/// its function's statements name (moto checks only their actions).
pub(crate) async fn within_statements(env: &TestEnv) {
    let outside = env.calls_outside_statements().await;
    assert!(
        outside.is_empty(),
        "calls outside the template's statements:\n  {}",
        outside.join("\n  ")
    );
}

/// moto lets classify read the orders table (it checks DynamoDB by action
/// only, and classify may `GetItem`); the recorded calls catch it.
#[tokio::test]
async fn a_call_on_a_table_outside_a_functions_statements_is_found() {
    let env = TestEnv::least_privileged(|o| o.run_pollers = false).await;
    let classify = clients_of(&env, "classify").await;
    let read = classify
        .dynamodb
        .get_item()
        .table_name(&env.stack.resources.names.orders_table)
        .key("pk", aws_sdk_dynamodb::types::AttributeValue::S("x".into()))
        .key("sk", aws_sdk_dynamodb::types::AttributeValue::S("x".into()))
        .send()
        .await;
    assert!(read.is_ok(), "moto does not check the table: {read:?}");
    let outside = env.calls_outside_statements().await;
    assert_eq!(outside.len(), 1, "{outside:?}");
    assert!(
        outside[0].contains("(classify) may not dynamodb:GetItem on")
            && outside[0].ends_with(&format!("table/{}", env.stack.resources.names.orders_table)),
        "{outside:?}"
    );
}
