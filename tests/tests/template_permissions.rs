//! Least privilege, checked (issue 7, item 7): every S3 and SQS call a
//! function makes (`printvault_adapters::calls`, built from the key
//! functions) is allowed by that function's statements in
//! `infra/template.yaml`. moto runs the tests without enforcing IAM, so a
//! missing permission would otherwise first show on AWS, as a 403 (the two
//! found so far: upload-finalise's clean-up deleting derived objects, and
//! the api's existence check needing `s3:ListBucket`).

use printvault_adapters::calls::{self, Call, Queue};
use serde_yaml::Value;

fn template() -> Value {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../infra/template.yaml"))
        .expect("infra/template.yaml");
    serde_yaml::from_str(&text).expect("the template is YAML")
}

/// A template value as one comparable line: `!Sub ${PhotosBucket.Arn}/incoming/*`.
fn text(v: &Value) -> String {
    serde_yaml::to_string(v)
        .unwrap_or_default()
        .trim()
        .replace(['\'', '"'], "")
}

fn list(v: &Value) -> Vec<String> {
    match v.as_sequence() {
        Some(s) => s.iter().map(text).collect(),
        None => vec![text(v)],
    }
}

/// The Allow statements of a function: its own role's, or SAM's inline ones.
fn statements(t: &Value, function: &Value) -> Vec<Value> {
    let p = &function["Properties"];
    let docs: Vec<Value> = match text(&p["Role"]).strip_prefix("!GetAtt ") {
        Some(role) => {
            let role = role.trim_end_matches(".Arn");
            t["Resources"][role]["Properties"]["Policies"]
                .as_sequence()
                .expect("the role's policies")
                .iter()
                .map(|p| p["PolicyDocument"].clone())
                .collect()
        }
        None => p["Policies"]
            .as_sequence()
            .expect("the function's policies")
            .clone(),
    };
    docs.iter()
        .flat_map(|d| d["Statement"].as_sequence().cloned().unwrap_or_default())
        .filter(|s| s["Effect"] == "Allow")
        .collect()
}

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
    }
}

#[test]
fn every_call_a_function_makes_is_allowed_by_its_statements() {
    let t = template();
    let mut missing = Vec::new();
    let mut checked = 0;
    for (id, r) in t["Resources"].as_mapping().expect("resources") {
        if r["Type"] != "AWS::Serverless::Function" {
            continue;
        }
        let id = id.as_str().unwrap();
        let binary = r["Metadata"]["BuildProperties"]["Binary"]
            .as_str()
            .expect("a binary");
        let stmts = statements(&t, r);
        for call in calls::of(binary) {
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
    assert!(
        missing.is_empty(),
        "missing permissions:\n  {}",
        missing.join("\n  ")
    );
}
