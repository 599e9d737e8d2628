//! Stacks whose functions run with only their own template permissions, on
//! a moto server that enforces IAM (issue 7, item 7).
//!
//! Each function's statements in `infra/template.yaml` become one moto
//! user's policy, with names made for any stage (`printvault-*-photos`).
//! moto checks S3 and SQS calls against resource ARNs, and DynamoDB, SES and
//! Secrets Manager calls by action only (it evaluates them against `*`), so
//! the translation gives those statements the resource `*` (and
//! `sqs:CreateQueue` too: moto checks a queue not made yet against `*`), adds the
//! `dynamodb:TransactWriteItems` action moto asks for where the statement
//! allows the item writes a transaction is made of (and the SQS batch
//! actions where the single ones are allowed, as AWS authorises them), and drops conditions,
//! which moto does not evaluate. docs/deploy.md says what this proves.

use local_runner::moto::{default_python, MotoServer};
use printvault_adapters::names::ResourceNames;
use serde_json::{json, Value as Json};
use serde_yaml::Value;
use std::sync::OnceLock;

use crate::template::{self, list};
use crate::TestEnv;

const ACCOUNT: &str = "123456789012";
const REGION: &str = "us-east-1";

/// What a template resource reference becomes in moto, for any stage.
fn resolve(resource: &str, n: &ResourceNames) -> Option<String> {
    let s3 = |name: &str, rest: &str| format!("arn:aws:s3:::{name}{rest}");
    let sqs = |name: &str| format!("arn:aws:sqs:{REGION}:{ACCOUNT}:{name}");
    let queues = [
        ("UploadsQueue", &n.uploads_queue),
        ("ImageEventsQueue", &n.image_events_queue),
        ("NoticesQueue", &n.notices_queue),
        ("DispatchQueue", &n.dispatch_queue),
        ("MailEventsQueue", &n.mail_events_queue),
        ("ExportsQueue", &n.exports_queue),
    ];
    if resource == "!Sub arn:${AWS::Partition}:sqs:${AWS::Region}:${AWS::AccountId}:${AppName}-${Stage}-lab-*"
    {
        return Some(sqs(&format!("{}*", n.lab_queue_prefix)));
    }
    if resource == "!GetAtt PhotosBucket.Arn" {
        return Some(s3(&n.photos_bucket, ""));
    }
    if let Some(rest) = resource.strip_prefix("!Sub ${PhotosBucket.Arn}") {
        return Some(s3(&n.photos_bucket, rest));
    }
    for (id, name) in queues {
        if resource == format!("!GetAtt {id}.Arn") {
            return Some(sqs(name));
        }
    }
    None
}

fn is_resource_checked(action: &str) -> bool {
    action.starts_with("s3:") || action.starts_with("sqs:")
}

/// One function's statements as a moto policy.
fn policy(statements: &[Value], n: &ResourceNames) -> Json {
    let mut out = Vec::new();
    for s in statements {
        let mut actions = list(&s["Action"]);
        let resources = list(&s["Resource"]);
        // moto authorises CreateQueue of a queue that does not exist yet
        // against `*` (AWS checks the new queue's ARN): that one action gets
        // the resource `*` here.
        if actions.iter().any(|a| a == "sqs:CreateQueue") {
            out.push(json!({"Effect": "Allow", "Action": "sqs:CreateQueue", "Resource": "*"}));
            actions.retain(|a| a != "sqs:CreateQueue");
        }
        // AWS authorises SQS batch calls by their single action (there is
        // no SendMessageBatch action in IAM); moto asks for the batch name.
        for (single, batch) in [
            ("sqs:SendMessage", "sqs:SendMessageBatch"),
            ("sqs:DeleteMessage", "sqs:DeleteMessageBatch"),
            ("sqs:ChangeMessageVisibility", "sqs:ChangeMessageVisibilityBatch"),
        ] {
            if actions.iter().any(|a| a == single) {
                actions.push(batch.into());
            }
        }
        if actions.iter().all(|a| is_resource_checked(a)) {
            let arns: Vec<String> = resources.iter().filter_map(|r| resolve(r, n)).collect();
            if !arns.is_empty() {
                out.push(json!({"Effect": "Allow", "Action": actions, "Resource": arns}));
            }
            continue;
        }
        let writes = [
            "dynamodb:PutItem",
            "dynamodb:UpdateItem",
            "dynamodb:DeleteItem",
            "dynamodb:ConditionCheckItem",
        ];
        if actions.iter().any(|a| writes.contains(&a.as_str())) {
            actions.push("dynamodb:TransactWriteItems".into());
        }
        out.push(json!({"Effect": "Allow", "Action": actions, "Resource": "*"}));
    }
    json!({"Version": "2012-10-17", "Statement": out})
}

/// Every user's policy: `admin` may do anything (it makes the resources and
/// plays the tests' own inspections); each function only what its
/// statements allow.
pub fn policies() -> Json {
    let t = template::load();
    let n = ResourceNames::new("printvault", "*");
    let mut users = serde_json::Map::new();
    users.insert(
        "admin".into(),
        json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}),
    );
    for (_, binary, statements) in template::function_statements(&t) {
        users.insert(binary, policy(&statements, &n));
    }
    Json::Object(users)
}

static ENFORCING: OnceLock<MotoServer> = OnceLock::new();

fn enforcing_moto() -> &'static MotoServer {
    ENFORCING.get_or_init(|| {
        let path = std::env::temp_dir().join(format!("printvault-policies-{}.json", std::process::id()));
        std::fs::write(&path, policies().to_string()).expect("writing the policies");
        MotoServer::start_enforcing_iam(&default_python(), &path).expect("moto must start (run `make venv`)")
    })
}

impl TestEnv {
    /// A stack on a moto that enforces IAM, each function running as a
    /// user with only its own template permissions. Presigned URLs cannot
    /// be used against it (moto's IAM check fails them with a 500).
    pub async fn least_privileged(f: impl FnOnce(&mut local_runner::StackOptions)) -> Self {
        let moto = enforcing_moto();
        Self::on(moto.endpoint.clone(), |o| {
            o.keys = moto.keys.clone();
            f(o)
        })
        .await
    }
}

/// The access key and secret of a moto user of the enforcing server.
pub fn keys_of(user: &str) -> (String, String) {
    enforcing_moto()
        .keys
        .get(user)
        .cloned()
        .unwrap_or_else(|| panic!("no moto user {user}"))
}
