//! A manifest against `docs/export.schema.json`, with Python's
//! `jsonschema` (installed with moto), as `export_format` checks one.

use std::io::Write;
use std::process::{Command, Stdio};

const VALIDATE: &str = r#"
import json, sys, jsonschema
schema = json.load(open(sys.argv[1]))
jsonschema.Draft202012Validator.check_schema(schema)
v = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
print(json.dumps(sorted(e.message for e in v.iter_errors(json.loads(sys.stdin.read())))))
"#;

/// What the schema finds wrong with `manifest` (nothing: empty).
pub fn errors(manifest: &serde_json::Value) -> Vec<String> {
    let schema = local_runner::moto::repo_root().join("docs/export.schema.json");
    let mut child = Command::new(local_runner::moto::default_python())
        .args(["-c", VALIDATE])
        .arg(schema)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("python runs");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(manifest.to_string().as_bytes())
        .expect("writing the manifest");
    let out = child.wait_with_output().expect("python answers");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).expect("a list of errors")
}
