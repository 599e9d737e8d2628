//! The page's Content-Security-Policy is the same where it is served: the
//! local runner's (`local_runner::web::content_security_policy`) and the
//! deployed one (the distribution's response headers policy in
//! `infra/template.yaml`) have the same directives with the same sources,
//! but for where each stack's photos are and the provider's checkout, which
//! the deployed page's form posts to (locally the checkout is the page's
//! own origin). A change to one of them alone fails here.

use super::{distribution, sub_of, target};
use integration_tests::template::{self, text};
use std::collections::BTreeMap;

/// What stands for the photos bucket's origin in either policy.
const PHOTOS: &str = "<photos>";
/// The deployed photos bucket's host, with the template's variables.
const DEPLOYED_PHOTOS: &str = "https://${AppName}-${Stage}-photos.s3.${AWS::Region}.${AWS::URLSuffix}";
/// A local S3 origin, as the runner's moto serves.
const LOCAL_PHOTOS: &str = "http://127.0.0.1:40385";

/// Each directive and its sources (sorted), with `photos` read as
/// [`PHOTOS`]; a directive given twice fails.
fn directives(csp: &str, photos: &str) -> BTreeMap<String, Vec<String>> {
    let mut out = BTreeMap::new();
    for part in csp.split(';').map(str::trim).filter(|p| !p.is_empty()) {
        let mut words = part.split_whitespace();
        let name = words.next().unwrap().to_owned();
        let mut sources: Vec<String> = words
            .map(|w| {
                if w == photos {
                    PHOTOS.to_owned()
                } else {
                    w.to_owned()
                }
            })
            .collect();
        sources.sort();
        assert!(
            out.insert(name.clone(), sources).is_none(),
            "{name} twice in {csp}"
        );
    }
    out
}

/// The deployed policy, its `${Photos}` replaced by its value.
fn deployed() -> String {
    let t = template::load();
    let (_, config) = distribution(&t);
    let reference = &config["DefaultCacheBehavior"]["ResponseHeadersPolicyId"];
    let (_, policy) = target(&t, reference, "!Ref ", "");
    let headers = &policy["Properties"]["ResponseHeadersPolicyConfig"]["SecurityHeadersConfig"];
    let (csp, vars) = sub_of(&headers["ContentSecurityPolicy"]["ContentSecurityPolicy"]);
    let photos = text(&vars["Photos"]);
    let photos = photos.strip_prefix("!Sub ").expect("Photos is a !Sub");
    csp.replace("${Photos}", photos)
}

#[test]
fn the_local_and_deployed_page_policies_are_the_same() {
    let local = directives(
        &local_runner::web::content_security_policy(LOCAL_PHOTOS),
        LOCAL_PHOTOS,
    );
    let deployed_csp = deployed();
    let mut deployed = directives(&deployed_csp, DEPLOYED_PHOTOS);

    // The one other difference: the deployed form may post to the provider.
    let form_action = deployed.get_mut("form-action").expect("a form-action");
    let before = form_action.len();
    form_action.retain(|s| s != "${CheckoutOrigin}");
    assert_eq!(
        form_action.len(),
        before - 1,
        "form-action allows ${{CheckoutOrigin}}"
    );
    assert!(
        !deployed.values().flatten().any(|s| s.contains("CheckoutOrigin")),
        "the checkout only in form-action: {deployed_csp}"
    );

    assert_eq!(local, deployed, "local: {local:#?}\ndeployed: {deployed_csp}");
    // The photos are where each stack's answers say.
    for name in ["img-src", "connect-src"] {
        assert!(local[name].iter().any(|s| s == PHOTOS), "{name}: {local:?}");
    }
}

#[test]
fn a_difference_is_seen() {
    let local = |csp: &str| directives(csp, LOCAL_PHOTOS);
    let base = local("default-src 'self'; img-src 'self' http://127.0.0.1:40385");
    assert_ne!(base, local("default-src 'self'; img-src 'self'"));
    assert_ne!(
        base,
        local("default-src 'self' https:; img-src 'self' http://127.0.0.1:40385")
    );
    assert_ne!(base, local("img-src 'self' http://127.0.0.1:40385"));
    // Order does not matter; the sources are a set.
    assert_eq!(
        base,
        local("img-src http://127.0.0.1:40385 'self'; default-src 'self'")
    );
}
