//! Who is calling: the caller's IP address, which failed logins are counted
//! by (docs/architecture.md, "Guessing limits") and the request log names.
//!
//! Behind the stack's CloudFront distribution (`WebDistribution`, `/v1/*`),
//! API Gateway's `sourceIp` is a CloudFront edge server's address, shared by
//! every viewer that edge serves. So the distribution tells the api who the
//! viewer is: a CloudFront Function (`WebApiViewerFunction`) puts the
//! viewer's address, `event.viewer.ip`, in [`VIEWER_IP_HEADER`], replacing
//! any the viewer sent, and the API origin adds [`ORIGIN_VERIFY_HEADER`]
//! with a secret (`OriginVerifySecret`), which CloudFront also writes over
//! any the viewer sent. The viewer's address is believed only on a request
//! that carries that secret: a direct call to the execute-api address, a
//! stranger forging the headers, or any call when no secret is configured
//! (the local runner) is the address that connected.
//!
//! `CloudFront-Viewer-Address` is never read: an origin request policy that
//! adds it must forward the viewer's `Host` too (no policy keeps every viewer
//! header but `Host` and adds CloudFront's), which API Gateway refuses, so
//! the distribution does not add it, and one that arrives is the viewer's own.

use axum::http::{Extensions, HeaderMap};
use printvault_domain::account::secrets_match;
use std::net::{IpAddr, SocketAddr};

/// The secret that proves a request came through the stack's distribution.
pub const ORIGIN_VERIFY_HEADER: &str = "x-origin-verify";
/// The viewer's IP address, as CloudFront saw the connection (no port).
pub const VIEWER_IP_HEADER: &str = "x-viewer-ip";

/// The caller's address: the viewer's, when the request proves it came
/// through the distribution with `proof`; otherwise the address that
/// connected (API Gateway's `sourceIp`, or the TCP peer when served
/// locally), or `unknown` when neither is known (a test calling the router
/// directly). Never a header a client sets freely, such as `X-Forwarded-For`,
/// which a guesser would simply vary.
pub fn caller_ip(headers: &HeaderMap, extensions: &Extensions, proof: Option<&str>) -> String {
    proof
        .filter(|secret| proven(headers, secret))
        .and_then(|_| viewer_ip(headers))
        .map(|ip| ip.to_string())
        .or_else(|| connected_ip(extensions))
        .unwrap_or_else(|| "unknown".into())
}

/// Exactly one `x-origin-verify`, equal to the secret (compared in constant
/// time).
fn proven(headers: &HeaderMap, secret: &str) -> bool {
    only_value(headers, ORIGIN_VERIFY_HEADER).is_some_and(|v| secrets_match(v, secret))
}

/// Exactly one `x-viewer-ip` holding one IP address, in its canonical form
/// (an IPv4-mapped IPv6 address is the IPv4 one), so that one viewer is one
/// key however the address is spelt.
fn viewer_ip(headers: &HeaderMap) -> Option<IpAddr> {
    let ip: IpAddr = only_value(headers, VIEWER_IP_HEADER)?.trim().parse().ok()?;
    Some(ip.to_canonical())
}

/// The header's value when it is sent once, as text. API Gateway joins
/// repeated headers with commas, which no secret or address contains.
fn only_value<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    let mut values = headers.get_all(name).iter();
    match (values.next(), values.next()) {
        (Some(v), None) => v.to_str().ok(),
        _ => None,
    }
}

/// The address API Gateway saw (`requestContext`), or the TCP peer.
fn connected_ip(extensions: &Extensions) -> Option<String> {
    use lambda_http::request::RequestContext;
    let from_gateway = match extensions.get::<RequestContext>() {
        Some(RequestContext::ApiGatewayV2(c)) => c.http.source_ip.clone(),
        Some(RequestContext::ApiGatewayV1(c)) => c.identity.source_ip.clone(),
        _ => None,
    };
    from_gateway.or_else(|| {
        extensions
            .get::<axum::extract::ConnectInfo<SocketAddr>>()
            .map(|c| c.0.ip().to_string())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;
    use lambda_http::aws_lambda_events::apigw::ApiGatewayV2httpRequestContext;
    use lambda_http::request::RequestContext;

    const SECRET: &str = "the-distribution-s-secret-0123456789abcdef";
    /// A CloudFront edge server, as API Gateway reports the caller.
    const EDGE: &str = "130.176.1.20";

    fn through_gateway(source_ip: &str) -> Extensions {
        let mut c = ApiGatewayV2httpRequestContext::default();
        c.http.source_ip = Some(source_ip.into());
        let mut e = Extensions::new();
        e.insert(RequestContext::ApiGatewayV2(c));
        e
    }

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (name, value) in pairs {
            h.append(*name, HeaderValue::from_str(value).unwrap());
        }
        h
    }

    fn caller(pairs: &[(&'static str, &str)]) -> String {
        caller_ip(&headers(pairs), &through_gateway(EDGE), Some(SECRET))
    }

    #[test]
    fn with_the_secret_the_viewer_is_the_caller() {
        let h = [
            (ORIGIN_VERIFY_HEADER, SECRET),
            (VIEWER_IP_HEADER, "198.51.100.10"),
        ];
        assert_eq!(caller(&h), "198.51.100.10");
    }

    #[test]
    fn without_the_right_secret_the_viewer_header_is_ignored() {
        let forged = (VIEWER_IP_HEADER, "198.51.100.10");
        assert_eq!(caller(&[forged]), EDGE, "no secret");
        assert_eq!(caller(&[(ORIGIN_VERIFY_HEADER, "guess"), forged]), EDGE);
        assert_eq!(caller(&[(ORIGIN_VERIFY_HEADER, &SECRET[1..]), forged]), EDGE);
        assert_eq!(caller(&[(ORIGIN_VERIFY_HEADER, ""), forged]), EDGE);
        let twice = [
            (ORIGIN_VERIFY_HEADER, SECRET),
            (ORIGIN_VERIFY_HEADER, "x"),
            forged,
        ];
        assert_eq!(caller(&twice), EDGE, "two proofs are none");
        // No secret configured (the local runner): never believed.
        let h = headers(&[(ORIGIN_VERIFY_HEADER, SECRET), forged]);
        assert_eq!(caller_ip(&h, &through_gateway(EDGE), None), EDGE);
    }

    #[test]
    fn a_malformed_viewer_address_is_ignored() {
        for bad in [
            "",
            "not an address",
            "198.51.100.10:46532",
            "[2001:db8::1]:443",
            "2001:db8::1:46532",
            "198.51.100.10, 198.51.100.11",
            "198.51.100.300",
            "2001:db8::1%eth0",
        ] {
            let h = [(ORIGIN_VERIFY_HEADER, SECRET), (VIEWER_IP_HEADER, bad)];
            assert_eq!(caller(&h), EDGE, "{bad:?}");
        }
        let twice = [
            (ORIGIN_VERIFY_HEADER, SECRET),
            (VIEWER_IP_HEADER, "198.51.100.10"),
            (VIEWER_IP_HEADER, "198.51.100.11"),
        ];
        assert_eq!(caller(&twice), EDGE, "two addresses are none");
        assert_eq!(caller(&[(ORIGIN_VERIFY_HEADER, SECRET)]), EDGE, "no address");
    }

    #[test]
    fn ipv6_viewers_are_named_canonically() {
        let of = |ip: &str| caller(&[(ORIGIN_VERIFY_HEADER, SECRET), (VIEWER_IP_HEADER, ip)]);
        assert_eq!(of("2001:DB8:0:0::1"), "2001:db8::1");
        assert_eq!(of(" 2001:db8::1 "), "2001:db8::1");
        assert_eq!(of("::ffff:198.51.100.7"), "198.51.100.7", "IPv4-mapped is IPv4");
        // An IPv6 edge is passed through as API Gateway gives it.
        let edge6 = through_gateway("2600:9000:2000::1");
        assert_eq!(
            caller_ip(&HeaderMap::new(), &edge6, Some(SECRET)),
            "2600:9000:2000::1"
        );
    }

    #[test]
    fn a_viewers_own_cloudfront_viewer_address_is_never_read() {
        let h = [
            (ORIGIN_VERIFY_HEADER, SECRET),
            ("cloudfront-viewer-address", "198.51.100.10:46532"),
        ];
        assert_eq!(caller(&h), EDGE);
    }

    #[test]
    fn locally_the_peer_and_otherwise_unknown() {
        let mut e = Extensions::new();
        e.insert(axum::extract::ConnectInfo(SocketAddr::from((
            [127, 0, 0, 1],
            50_000,
        ))));
        assert_eq!(caller_ip(&HeaderMap::new(), &e, None), "127.0.0.1");
        assert_eq!(caller_ip(&HeaderMap::new(), &Extensions::new(), None), "unknown");
    }
}
