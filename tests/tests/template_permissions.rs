//! Least privilege, checked (issue 7, item 7): every S3 and SQS call a
//! function makes (`printvault_adapters::calls`, built from the key
//! functions) is allowed by that function's statements in
//! `infra/template.yaml`, for every function, whether or not a test
//! exercises the call. The enforcing moto of `least_privilege/` refuses
//! what a walk does outside a policy; this covers the rest (the two found
//! first: upload-finalise's clean-up deleting derived objects, and the
//! api's existence check needing `s3:ListBucket`, which moto answers 404
//! without).

use integration_tests::template::{self, list};
use printvault_adapters::calls::{self, Call, Queue};
use serde_yaml::Value;

fn allows(statements: &[Value], action: &str, resource: &str) -> bool {
    statements.iter().any(|s| {
        list(&s["Action"]).iter().any(|a| a == action) && list(&s["Resource"]).iter().any(|r| r == resource)
    })
}

fn queue_arn(q: Queue) -> &'static str {
    match q {
        Queue::Uploads => "!GetAtt UploadsQueue.Arn",
        Queue::ImageEvents => "!GetAtt ImageEventsQueue.Arn",
        Queue::Notices => "!GetAtt NoticesQueue.Arn",
        Queue::MailEvents => "!GetAtt MailEventsQueue.Arn",
        Queue::Dispatch => "!GetAtt DispatchQueue.Arn",
        Queue::Exports => "!GetAtt ExportsQueue.Arn",
        Queue::LabJobs => {
            "!Sub arn:${AWS::Partition}:sqs:${AWS::Region}:${AWS::AccountId}:${AppName}-${Stage}-lab-*"
        }
    }
}

#[test]
fn every_call_a_function_makes_is_allowed_by_its_statements() {
    let t = template::load();
    let mut missing = Vec::new();
    let mut checked = 0;
    for (id, binary, stmts) in template::function_statements(&t) {
        for call in calls::of(&binary) {
            checked += 1;
            let (action, resource) = match &call {
                Call::Object { action, prefix } => (*action, format!("!Sub ${{PhotosBucket.Arn}}/{prefix}*")),
                Call::Bucket { action } => (*action, "!GetAtt PhotosBucket.Arn".to_owned()),
                Call::Queue { action, queue } => (*action, queue_arn(*queue).to_owned()),
            };
            if !allows(&stmts, action, &resource) {
                missing.push(format!("{id} ({binary}) may not {action} on {resource}"));
            }
        }
    }
    assert!(checked > 20, "the table names the functions' calls ({checked})");
    for (id, binary, _) in template::function_statements(&t) {
        assert!(
            !calls::of(&binary).is_empty(),
            "{id} ({binary}): the call table names none of its S3 or SQS calls"
        );
    }
    assert!(
        missing.is_empty(),
        "missing permissions:\n  {}",
        missing.join("\n  ")
    );
}
