//! The deployed stack hosts the customer web page (issue 19, X1): a private
//! bucket that only the stack's CloudFront distribution reads (origin access
//! control), the API under `/v1/*` on the same origin, uncached, and the
//! page's security headers: a Content-Security-Policy without inline script,
//! and no Referer, which could carry a share link's token. The API origin
//! tells the api who the viewer is, with a secret that proves it (`viewer`).

// In web_hosting/, so that cargo does not take them for test targets of their own.
#[path = "web_hosting/csp.rs"]
mod csp;
#[path = "web_hosting/viewer.rs"]
mod viewer;

use integration_tests::template::{self, list, text};
use serde_yaml::Value;

/// Managed-CachingDisabled.
const CACHING_DISABLED: &str = "4135ea2d-6df8-44a3-9df3-4b5a84be39ad";
/// Managed-AllViewerExceptHostHeader.
const ALL_VIEWER_EXCEPT_HOST: &str = "b689b0a8-53d0-40ab-baf2-68738e2966ac";

/// Logical IDs of the resources of type `ty`.
fn of_type(t: &Value, ty: &str) -> Vec<String> {
    let resources = t["Resources"].as_mapping().expect("resources");
    let ids = resources.iter().filter(|(_, r)| r["Type"] == ty);
    ids.map(|(id, _)| id.as_str().expect("logical ID").to_owned())
        .collect()
}

/// The one distribution: its logical ID and its `DistributionConfig`.
fn distribution(t: &Value) -> (String, &Value) {
    let ids = of_type(t, "AWS::CloudFront::Distribution");
    assert_eq!(ids.len(), 1, "one CloudFront distribution: {ids:?}");
    let config = &t["Resources"][ids[0].as_str()]["Properties"]["DistributionConfig"];
    (ids[0].clone(), config)
}

/// The origin a cache behavior sends to.
fn origin_of<'a>(config: &'a Value, behavior: &Value) -> &'a Value {
    let id = &behavior["TargetOriginId"];
    let origins = config["Origins"].as_sequence().expect("origins");
    origins
        .iter()
        .find(|o| o["Id"] == *id)
        .unwrap_or_else(|| panic!("no origin {}", text(id)))
}

/// The resource that `!GetAtt <id>.<attribute>` or `!Ref <id>` names.
fn target<'a>(t: &'a Value, reference: &Value, form: &str, attribute: &str) -> (String, &'a Value) {
    let s = text(reference);
    let id = s
        .strip_prefix(form)
        .map(|rest| rest.trim_end_matches(attribute))
        .unwrap_or_else(|| panic!("expected `{form}<resource>{attribute}`, found {s:?}"));
    let r = &t["Resources"][id];
    assert!(r.is_mapping(), "{s}: no resource {id}");
    (id.to_owned(), r)
}

/// The argument of a `!Sub` (the template text and its variables, if any).
fn sub_of(v: &Value) -> (String, Value) {
    let Value::Tagged(tagged) = v else {
        panic!("expected a !Sub, found {}", text(v))
    };
    assert_eq!(tagged.tag.to_string(), "!Sub");
    match &tagged.value {
        Value::Sequence(s) => (s[0].as_str().expect("a !Sub text").to_owned(), s[1].clone()),
        other => (other.as_str().expect("a !Sub text").to_owned(), Value::Null),
    }
}

#[test]
fn only_the_distribution_reads_the_private_page_bucket() {
    let t = template::load();
    let (dist, config) = distribution(&t);
    let origin = origin_of(config, &config["DefaultCacheBehavior"]);

    let (bucket, b) = target(&t, &origin["DomainName"], "!GetAtt ", ".RegionalDomainName");
    assert_eq!(b["Type"], "AWS::S3::Bucket", "{bucket}");
    let p = &b["Properties"];
    let block = &p["PublicAccessBlockConfiguration"];
    for flag in [
        "BlockPublicAcls",
        "BlockPublicPolicy",
        "IgnorePublicAcls",
        "RestrictPublicBuckets",
    ] {
        assert_eq!(block[flag].as_bool(), Some(true), "{bucket}: {flag}");
    }
    assert_eq!(
        text(&p["OwnershipControls"]["Rules"][0]["ObjectOwnership"]),
        "BucketOwnerEnforced",
        "{bucket}: ACLs disabled"
    );
    assert!(p["BucketEncryption"].is_mapping(), "{bucket}: encrypted");

    // Origin access control, signing every request; no legacy identity.
    let (oac, o) = target(&t, &origin["OriginAccessControlId"], "!GetAtt ", ".Id");
    assert_eq!(o["Type"], "AWS::CloudFront::OriginAccessControl", "{oac}");
    let oac_config = &o["Properties"]["OriginAccessControlConfig"];
    assert_eq!(oac_config["SigningBehavior"], "always", "{oac}");
    assert_eq!(oac_config["SigningProtocol"], "sigv4", "{oac}");
    assert_eq!(oac_config["OriginAccessControlOriginType"], "s3", "{oac}");
    assert_eq!(text(&origin["S3OriginConfig"]["OriginAccessIdentity"]), "");

    // The bucket policy allows this distribution GetObject, and nothing else.
    let policies: Vec<String> = of_type(&t, "AWS::S3::BucketPolicy")
        .into_iter()
        .filter(|id| text(&t["Resources"][id.as_str()]["Properties"]["Bucket"]) == format!("!Ref {bucket}"))
        .collect();
    assert_eq!(policies.len(), 1, "one policy for {bucket}: {policies:?}");
    let statements = t["Resources"][policies[0].as_str()]["Properties"]["PolicyDocument"]["Statement"]
        .as_sequence()
        .expect("statements");
    let allows: Vec<&Value> = statements.iter().filter(|s| s["Effect"] == "Allow").collect();
    assert!(!allows.is_empty(), "the distribution may read {bucket}");
    let source = format!("distribution/${{{dist}}}");
    for s in allows {
        assert_eq!(
            text(&s["Principal"]),
            "Service: cloudfront.amazonaws.com",
            "{}",
            text(s)
        );
        assert_eq!(list(&s["Action"]), ["s3:GetObject"], "{}", text(s));
        let condition = &s["Condition"]["StringEquals"]["AWS:SourceArn"];
        assert!(
            text(condition).starts_with("!Sub arn:${AWS::Partition}:cloudfront::${AWS::AccountId}:")
                && text(condition).ends_with(&source),
            "only {dist} may read, by AWS:SourceArn: {}",
            text(s)
        );
    }
    let tls_only = statements
        .iter()
        .any(|s| s["Effect"] == "Deny" && s["Condition"]["Bool"]["aws:SecureTransport"] == "false");
    assert!(tls_only, "{bucket}: TLS only");

    let outputs = &t["Outputs"];
    assert_eq!(
        text(&outputs["WebUrl"]["Value"]),
        format!("!Sub https://${{{dist}.DomainName}}/")
    );
    assert_eq!(text(&outputs["WebBucketName"]["Value"]), format!("!Ref {bucket}"));
    assert_eq!(
        text(&outputs["WebDistributionId"]["Value"]),
        format!("!Ref {dist}")
    );
}

#[test]
fn the_api_is_under_v1_on_the_same_origin_uncached_over_https() {
    let t = template::load();
    let (_, config) = distribution(&t);
    let behaviors = config["CacheBehaviors"].as_sequence().expect("cache behaviors");
    let api = behaviors
        .iter()
        .find(|b| b["PathPattern"] == "/v1/*")
        .expect("a /v1/* behavior");
    let origin = origin_of(config, api);
    assert_eq!(
        text(&origin["DomainName"]),
        "!Sub ${HttpApi}.execute-api.${AWS::Region}.${AWS::URLSuffix}"
    );
    let custom = &origin["CustomOriginConfig"];
    assert_eq!(custom["OriginProtocolPolicy"], "https-only");
    assert_eq!(list(&custom["OriginSSLProtocols"]), ["TLSv1.2"]);
    assert_eq!(text(&api["CachePolicyId"]), CACHING_DISABLED, "nothing cached");
    assert_eq!(text(&api["OriginRequestPolicyId"]), ALL_VIEWER_EXCEPT_HOST);
    let methods = list(&api["AllowedMethods"]);
    for m in ["GET", "HEAD", "OPTIONS", "PUT", "PATCH", "POST", "DELETE"] {
        assert!(methods.iter().any(|x| x == m), "/v1/* allows {m}: {methods:?}");
    }

    let default = &config["DefaultCacheBehavior"];
    assert_eq!(default["ViewerProtocolPolicy"], "redirect-to-https");
    for b in behaviors {
        assert_eq!(
            b["ViewerProtocolPolicy"],
            "redirect-to-https",
            "{}",
            text(&b["PathPattern"])
        );
    }
    // Error responses apply to every behavior: they would answer the API's
    // 403s and 404s with the page. Paths go to index.html by a function.
    assert!(
        config["CustomErrorResponses"].is_null(),
        "no custom error responses"
    );
    let functions = default["FunctionAssociations"]
        .as_sequence()
        .expect("the index function");
    assert!(functions.iter().any(|f| f["EventType"] == "viewer-request"));

    // One origin: the API needs no CORS for the page, only for a page
    // served elsewhere (WebOrigin, empty by default).
    assert_eq!(text(&t["Parameters"]["WebOrigin"]["Default"]), "");
    let cors = &t["Resources"]["HttpApi"]["Properties"]["CorsConfiguration"];
    let conditional = match cors {
        Value::Tagged(tagged) => tagged.tag == "!If" && tagged.value[0] == "HasWebOrigin",
        _ => false,
    };
    assert!(conditional, "API CORS only for WebOrigin: {}", text(cors));
}

#[test]
fn the_page_headers_forbid_inline_script_framing_and_referrers() {
    let t = template::load();
    let (_, config) = distribution(&t);
    let reference = &config["DefaultCacheBehavior"]["ResponseHeadersPolicyId"];
    let (id, policy) = target(&t, reference, "!Ref ", "");
    assert_eq!(policy["Type"], "AWS::CloudFront::ResponseHeadersPolicy", "{id}");
    let headers = &policy["Properties"]["ResponseHeadersPolicyConfig"]["SecurityHeadersConfig"];

    let (csp, vars) = sub_of(&headers["ContentSecurityPolicy"]["ContentSecurityPolicy"]);
    assert_eq!(headers["ContentSecurityPolicy"]["Override"].as_bool(), Some(true));
    for unsafe_source in ["'unsafe-inline'", "'unsafe-eval'", "'unsafe-hashes'"] {
        assert!(!csp.contains(unsafe_source), "{unsafe_source} in {csp}");
    }
    let directive = |name: &str| -> Vec<&str> {
        let found = csp
            .split(';')
            .map(str::split_whitespace)
            .find_map(|mut words| (words.next() == Some(name)).then(|| words.collect::<Vec<_>>()));
        found.unwrap_or_else(|| panic!("no {name} in {csp}"))
    };
    assert_eq!(directive("default-src"), ["'self'"]);
    assert_eq!(directive("script-src"), ["'self'"]);
    assert_eq!(directive("style-src"), ["'self'"]);
    assert_eq!(directive("object-src"), ["'none'"]);
    assert_eq!(directive("base-uri"), ["'none'"]);
    assert_eq!(directive("frame-ancestors"), ["'none'"]);
    assert_eq!(directive("form-action"), ["'self'", "${CheckoutOrigin}"]);
    assert!(
        t["Parameters"]["CheckoutOrigin"].is_mapping(),
        "a CheckoutOrigin parameter"
    );

    // Presigned URLs are virtual-hosted: <bucket>.s3.<region>.<suffix>.
    let (photos, _) = sub_of(&t["Resources"]["PhotosBucket"]["Properties"]["BucketName"]);
    assert_eq!(
        text(&vars["Photos"]),
        format!("!Sub {photos}.s3.${{AWS::Region}}.${{AWS::URLSuffix}}"),
        "the photos bucket's regional host"
    );
    for name in ["img-src", "connect-src"] {
        assert!(directive(name).contains(&"https://${Photos}"), "{name} in {csp}");
    }

    let referrer = &headers["ReferrerPolicy"];
    assert_eq!(referrer["ReferrerPolicy"], "no-referrer");
    assert_eq!(referrer["Override"].as_bool(), Some(true));
    let hsts = &headers["StrictTransportSecurity"];
    let max_age = hsts["AccessControlMaxAgeSec"].as_u64();
    assert!(
        max_age.is_some_and(|s| s >= 31_536_000),
        "HSTS for a year: {max_age:?}"
    );
    assert_eq!(hsts["IncludeSubdomains"].as_bool(), Some(true));
    assert_eq!(headers["ContentTypeOptions"]["Override"].as_bool(), Some(true));
    assert_eq!(headers["FrameOptions"]["FrameOption"], "DENY");
}
