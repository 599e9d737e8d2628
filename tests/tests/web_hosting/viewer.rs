//! Behind the distribution, the api counts failed logins by the viewer, not
//! by the CloudFront edge server API Gateway sees (docs/architecture.md,
//! "Guessing limits"): the `/v1/*` behavior puts the viewer's address in
//! `x-viewer-ip` (a viewer-request function, over whatever the viewer sent),
//! forwards it with every other viewer header but `Host`, and the API origin
//! adds `x-origin-verify` with a generated secret that the api reads too and
//! believes the address only next to (`functions/api/src/client.rs`).

use super::{distribution, origin_of, sub_of, target};
use integration_tests::template::{self, list, text};
use serde_yaml::Value;

/// The `/v1/*` behavior.
fn api_behavior(config: &Value) -> &Value {
    let behaviors = config["CacheBehaviors"].as_sequence().expect("cache behaviors");
    behaviors
        .iter()
        .find(|b| b["PathPattern"] == "/v1/*")
        .expect("a /v1/* behavior")
}

#[test]
fn the_api_origin_sends_the_secret_the_api_reads() {
    let t = template::load();
    let (_, config) = distribution(&t);
    let origin = origin_of(config, api_behavior(config));
    let headers = origin["OriginCustomHeaders"]
        .as_sequence()
        .expect("origin custom headers");
    let proof: Vec<&Value> = headers
        .iter()
        .filter(|h| h["HeaderName"] == api::ORIGIN_VERIFY_HEADER)
        .collect();
    assert_eq!(
        proof.len(),
        1,
        "one {} header: {}",
        api::ORIGIN_VERIFY_HEADER,
        text(&origin["OriginCustomHeaders"])
    );

    // The value is the secret's, resolved at deploy time: never in the template.
    let (value, vars) = sub_of(&proof[0]["HeaderValue"]);
    assert!(vars.is_null(), "{value}");
    let id = value
        .strip_prefix("{{resolve:secretsmanager:${")
        .and_then(|rest| rest.strip_suffix("}}}"))
        .unwrap_or_else(|| panic!("a dynamic reference to a whole secret: {value}"));
    let (id, secret) = target(&t, &Value::String(format!("!Ref {id}")), "!Ref ", "");
    assert_eq!(secret["Type"], "AWS::SecretsManager::Secret", "{id}");
    let generate = &secret["Properties"]["GenerateSecretString"];
    assert!(
        secret["Properties"]["SecretString"].is_null(),
        "{id} is generated"
    );
    assert!(
        generate["PasswordLength"].as_u64().is_some_and(|n| n >= 32),
        "{id}: long"
    );
    assert_eq!(
        generate["ExcludePunctuation"].as_bool(),
        Some(true),
        "{id}: header-safe"
    );

    // The page's bucket is not sent it.
    let page = origin_of(config, &config["DefaultCacheBehavior"]);
    assert!(
        page["OriginCustomHeaders"].is_null(),
        "the secret goes to the API only"
    );

    // The api reads that secret, and only the api may.
    let api = &t["Resources"]["ApiFunction"]["Properties"];
    let env = &api["Environment"]["Variables"]["ORIGIN_VERIFY_SECRET_ARN"];
    assert_eq!(text(env), format!("!Ref {id}"), "the api reads {id}");
    let reference = format!("!Ref {id}");
    for (function, _, statements) in template::function_statements(&t) {
        for s in statements {
            if list(&s["Resource"]).contains(&reference) {
                assert_eq!(function, "ApiFunction", "only the api reads {id}: {}", text(&s));
                assert_eq!(
                    list(&s["Action"]),
                    ["secretsmanager:GetSecretValue"],
                    "{}",
                    text(&s)
                );
                assert_eq!(list(&s["Resource"]), [reference.as_str()], "that secret alone");
            }
        }
    }
}

#[test]
fn the_api_behavior_forwards_the_viewers_address_set_by_cloudfront() {
    let t = template::load();
    let (_, config) = distribution(&t);
    let behavior = api_behavior(config);
    // Every viewer header but Host, including what a viewer-request function sets.
    assert_eq!(
        text(&behavior["OriginRequestPolicyId"]),
        super::ALL_VIEWER_EXCEPT_HOST
    );
    let functions = behavior["FunctionAssociations"]
        .as_sequence()
        .expect("a function on /v1/*");
    let viewer_request: Vec<&Value> = functions
        .iter()
        .filter(|f| f["EventType"] == "viewer-request")
        .collect();
    assert_eq!(
        viewer_request.len(),
        1,
        "{}",
        text(&behavior["FunctionAssociations"])
    );
    let (id, function) = target(&t, &viewer_request[0]["FunctionARN"], "!GetAtt ", ".FunctionARN");
    assert_eq!(function["Type"], "AWS::CloudFront::Function", "{id}");
    let p = &function["Properties"];
    assert_eq!(p["AutoPublish"].as_bool(), Some(true), "{id} is live");
    assert_eq!(p["FunctionConfig"]["Runtime"], "cloudfront-js-2.0");

    // It sets the header, unconditionally, from the connection CloudFront saw.
    let code = p["FunctionCode"].as_str().expect("the function's code");
    let statements: Vec<String> = code
        .split([';', '\n'])
        .map(|s| s.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|s| !s.is_empty())
        .collect();
    let set = format!(
        "request.headers[\"{}\"] = {{ value: event.viewer.ip }}",
        api::VIEWER_IP_HEADER
    );
    assert!(statements.contains(&set), "{id} must run `{set}`:\n{code}");
    for branch in ["if (", "if(", "?", "&&", "||"] {
        assert!(
            !code.contains(branch),
            "{id} sets it always (found {branch:?}):\n{code}"
        );
    }
}
