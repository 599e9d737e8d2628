//! Reading `infra/template.yaml` in tests: values as comparable text, and
//! each function's Allow statements.

use serde_yaml::Value;

/// The SAM template, parsed (CloudFormation tags kept as tagged values).
pub fn load() -> Value {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../infra/template.yaml"))
        .expect("infra/template.yaml");
    serde_yaml::from_str(&text).expect("the template is YAML")
}

/// A template value as one comparable line: `!Sub ${PhotosBucket.Arn}/incoming/*`.
pub fn text(v: &Value) -> String {
    serde_yaml::to_string(v)
        .unwrap_or_default()
        .trim()
        .replace(['\'', '"'], "")
}

/// A value that may be one item or a list of them, as text.
pub fn list(v: &Value) -> Vec<String> {
    match v.as_sequence() {
        Some(s) => s.iter().map(text).collect(),
        None => vec![text(v)],
    }
}

/// Each function's binary (crate) and its Allow statements: its own
/// role's, or SAM's inline ones.
pub fn function_statements(t: &Value) -> Vec<(String, String, Vec<Value>)> {
    let mut out = Vec::new();
    for (id, r) in t["Resources"].as_mapping().expect("resources") {
        if r["Type"] != "AWS::Serverless::Function" {
            continue;
        }
        let p = &r["Properties"];
        let docs: Vec<Value> = match text(&p["Role"]).strip_prefix("!GetAtt ") {
            Some(role) => t["Resources"][role.trim_end_matches(".Arn")]["Properties"]["Policies"]
                .as_sequence()
                .expect("the role's policies")
                .iter()
                .map(|p| p["PolicyDocument"].clone())
                .collect(),
            None => p["Policies"]
                .as_sequence()
                .expect("the function's policies")
                .clone(),
        };
        let statements = docs
            .iter()
            .flat_map(|d| d["Statement"].as_sequence().cloned().unwrap_or_default())
            .filter(|s| s["Effect"] == "Allow")
            .collect();
        let binary = r["Metadata"]["BuildProperties"]["Binary"]
            .as_str()
            .expect("a binary");
        out.push((id.as_str().unwrap().to_owned(), binary.to_owned(), statements));
    }
    out
}
