//! API Gateway throttles registration and login on their own routes, below
//! the stage's default, so a flood of either cannot starve the other routes
//! (issue 7, item 4). The per-client limits are the api's own
//! (`tests/tests/guessing.rs`).

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
