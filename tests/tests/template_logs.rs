//! What the deployed stack writes to its logs: the route, never the path,
//! which can hold a share link's token (`/v1/shared/<token>`). The api's own
//! request log line names the route template (`functions/api/src/error.rs`).

#[test]
fn api_gateway_access_logs_name_the_route_not_the_path() {
    let template = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../infra/template.yaml"))
        .expect("infra/template.yaml");
    let mut lines = template.lines().skip_while(|l| l.trim() != "AccessLogSettings:");
    let heading = lines.next().expect("the HTTP API has access logs");
    let indent = heading.len() - heading.trim_start().len();
    // The block under the heading: every line indented deeper than it.
    let settings: String = lines
        .take_while(|l| l.trim().is_empty() || l.len() - l.trim_start().len() > indent)
        .collect();
    assert!(settings.contains("$context.routeKey"), "{settings}");
    assert!(
        !settings.contains("$context.path"),
        "the path can hold a link token: {settings}"
    );
    assert!(!settings.contains("$context.resourcePath"), "{settings}");
}
