//! Operations in the template (issue 7, items 4 and 8):
//! - API Gateway throttles registration and login on their own routes, below
//!   the stage's default, so a flood of either cannot starve the other
//!   routes; the per-client limits are the api's own (`guessing.rs`);
//! - every alarm notifies the alarm topic, which `AlarmEmail` subscribes to,
//!   and every function has an errors and a throttles alarm, the API a 5xx
//!   alarm.

use serde_yaml::Value;

fn template() -> Value {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../infra/template.yaml"))
        .expect("infra/template.yaml");
    serde_yaml::from_str(&text).expect("the template is YAML")
}

fn limits(settings: &Value) -> (u64, f64) {
    let burst = settings["ThrottlingBurstLimit"].as_u64().expect("a burst limit");
    let rate = settings["ThrottlingRateLimit"].as_f64().expect("a rate limit");
    (burst, rate)
}

#[test]
fn registration_and_login_have_their_own_smaller_throttles_and_routes() {
    let t = template();
    let api = &t["Resources"]["HttpApi"]["Properties"];
    let (default_burst, default_rate) = limits(&api["DefaultRouteSettings"]);
    let events = t["Resources"]["ApiFunction"]["Properties"]["Events"]
        .as_mapping()
        .expect("the api's events");
    for (method, path) in [("POST", "/v1/sessions"), ("POST", "/v1/accounts")] {
        let route = format!("{method} {path}");
        let (burst, rate) = limits(&api["RouteSettings"][route.as_str()]);
        assert!(
            burst < default_burst && rate < default_rate,
            "{route}: {burst}/{rate}"
        );
        assert!(
            events.values().any(|e| e["Type"] == "HttpApi"
                && e["Properties"]["Method"] == method
                && e["Properties"]["Path"] == path),
            "{route} must be a route of its own for its throttle to apply"
        );
    }
}

fn yaml(v: &Value) -> String {
    serde_yaml::to_string(v).unwrap_or_default().trim().to_owned()
}

#[test]
fn every_alarm_notifies_the_topic_and_every_function_and_the_api_have_alarms() {
    let t = template();
    let resources = t["Resources"].as_mapping().expect("resources");
    let of_type = |ty: &str| -> Vec<(String, Value)> {
        resources
            .iter()
            .filter(|(_, r)| r["Type"] == ty)
            .map(|(k, r)| (k.as_str().unwrap().to_owned(), r.clone()))
            .collect()
    };
    let alarms = of_type("AWS::CloudWatch::Alarm");
    assert!(!alarms.is_empty());
    for (id, a) in &alarms {
        let actions = a["Properties"]["AlarmActions"]
            .as_sequence()
            .map(|s| s.iter().map(yaml).collect::<Vec<_>>());
        assert_eq!(
            actions,
            Some(vec!["!Ref AlarmTopic".to_owned()]),
            "{id} must notify the alarm topic"
        );
    }
    let sub = &t["Resources"]["AlarmEmailSubscription"];
    assert_eq!(sub["Condition"], "HasAlarmEmail");
    assert_eq!(yaml(&sub["Properties"]["Endpoint"]), "!Ref AlarmEmail");
    assert!(t["Parameters"]["AlarmEmail"].is_mapping());

    let watches = |namespace: &str, metric: &str, dimension: &str| {
        alarms.iter().any(|(_, a)| {
            let p = &a["Properties"];
            p["Namespace"] == namespace
                && p["MetricName"] == metric
                && p["Dimensions"]
                    .as_sequence()
                    .is_some_and(|d| d.iter().any(|d| yaml(&d["Value"]) == dimension))
        })
    };
    for (id, _) in of_type("AWS::Serverless::Function") {
        for metric in ["Errors", "Throttles"] {
            assert!(
                watches("AWS/Lambda", metric, &format!("!Ref {id}")),
                "{id} needs a {metric} alarm"
            );
        }
    }
    assert!(
        watches("AWS/ApiGateway", "5xx", "!Ref HttpApi"),
        "the API needs a 5xx alarm"
    );
}

#[test]
fn upload_finalise_has_the_memory_its_local_budget_assumes_and_batches_to_fill_it() {
    let t = template();
    let p = &t["Resources"]["UploadFinaliseFunction"]["Properties"];
    assert_eq!(
        p["MemorySize"].as_u64(),
        Some(printvault_adapters::names::UPLOAD_FINALISE_MEMORY_MB),
        "names::UPLOAD_FINALISE_MEMORY_MB is the budget's base where Lambda does not say"
    );
    let batch = p["Events"]["Uploads"]["Properties"]["BatchSize"]
        .as_u64()
        .expect("a batch size");
    let in_flight = printvault_domain::settings::Settings::default()
        .uploads
        .finalise_in_flight;
    assert!(
        u64::from(in_flight) <= batch,
        "{in_flight} in flight of batches of {batch}"
    );
}
