//! Payment confirmations (M20), signed as the Standard Webhooks spec (v1)
//! says: the provider sends `webhook-id`, `webhook-timestamp` (unix
//! seconds) and `webhook-signature` (`v1,<base64 HMAC-SHA256>` of
//! `"<id>.<timestamp>.<body>"`, space-separated when it signs with more than
//! one secret). The secret is `whsec_` and the key in base64. We accept a
//! message signed by any of our secrets (several during a rotation), within
//! five minutes of now either way.

use crate::WebhookRefusal;
use crate::{Form, Problem, Rule};
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

use crate::Error;

/// How far a webhook's timestamp may be from now, either way.
pub const TOLERANCE_SECS: i64 = 5 * 60;

/// The secret of local stacks and tests (`make run`, `local-runner pay`).
/// Never deployed: the template takes the provider's secret as a parameter.
pub const LOCAL_SECRET: &str = "whsec_cHJpbnR2YXVsdC1sb2NhbC13ZWJob29rLXNlY3JldCE=";

/// The signing keys (decoded), newest first.
#[derive(Clone)]
pub struct WebhookSecrets(Vec<Vec<u8>>);

impl std::fmt::Debug for WebhookSecrets {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "WebhookSecrets({} keys)", self.0.len())
    }
}

impl WebhookSecrets {
    /// One or more `whsec_<base64>` secrets, separated by spaces.
    pub fn parse(raw: &str) -> Result<Self, Error> {
        let keys = raw
            .split_whitespace()
            .map(|s| {
                s.strip_prefix("whsec_")
                    .and_then(|k| STANDARD.decode(k).ok())
                    .filter(|k| k.len() >= 24)
                    .ok_or_else(|| Error::invalid("webhook secret", Problem::Form(Form::WebhookSecret)))
            })
            .collect::<Result<Vec<_>, _>>()?;
        if keys.is_empty() {
            return Err(Error::rule("webhook secret", Rule::NoWebhookSecret));
        }
        Ok(Self(keys))
    }

    /// The first key, for signing (`local-runner pay`, tests).
    pub fn signing_key(&self) -> &[u8] {
        &self.0[0]
    }
}

/// A new random secret, `whsec_` and 32 bytes in base64.
pub fn new_secret() -> String {
    use rand::RngCore;
    let mut key = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut key);
    format!("whsec_{}", STANDARD.encode(key))
}

fn mac(key: &[u8], id: &str, timestamp: &str, body: &[u8]) -> Hmac<Sha256> {
    let mut m = <Hmac<Sha256> as KeyInit>::new_from_slice(key).expect("HMAC takes a key of any length");
    m.update(id.as_bytes());
    m.update(b".");
    m.update(timestamp.as_bytes());
    m.update(b".");
    m.update(body);
    m
}

/// The `webhook-signature` value for one key: `v1,<base64>`.
pub fn sign(key: &[u8], id: &str, timestamp: i64, body: &[u8]) -> String {
    let tag = mac(key, id, &timestamp.to_string(), body).finalize().into_bytes();
    format!("v1,{}", STANDARD.encode(tag))
}

/// The three headers, as received.
pub struct Signed<'a> {
    pub id: Option<&'a str>,
    pub timestamp: Option<&'a str>,
    pub signature: Option<&'a str>,
}

fn unauthorized(why: WebhookRefusal) -> Error {
    Error::NotAuthenticated(crate::Unauthenticated::WebhookRefused(why))
}

/// Checks a webhook: its headers are present, its timestamp within five
/// minutes of `now`, and one of its signatures made by one of `secrets`
/// over exactly these bytes. Returns the webhook ID.
pub fn verify<'a>(secrets: &WebhookSecrets, h: &Signed<'a>, body: &[u8], now: i64) -> Result<&'a str, Error> {
    let id =
        h.id.filter(|i| !i.is_empty() && i.len() <= 200)
            .ok_or_else(|| unauthorized(WebhookRefusal::Missing("webhook-id")))?;
    let raw_ts = h
        .timestamp
        .ok_or_else(|| unauthorized(WebhookRefusal::Missing("webhook-timestamp")))?;
    let ts: i64 = raw_ts
        .parse()
        .map_err(|_| unauthorized(WebhookRefusal::TimestampUnreadable))?;
    // `abs_diff` cannot overflow: a timestamp of i64::MIN or i64::MAX is
    // simply far from now (`(now - ts).abs()` overflowed on them).
    if now.abs_diff(ts) > TOLERANCE_SECS.unsigned_abs() {
        return Err(unauthorized(WebhookRefusal::TimestampSkew {
            tolerance_secs: TOLERANCE_SECS,
        }));
    }
    let sigs = h
        .signature
        .ok_or_else(|| unauthorized(WebhookRefusal::Missing("webhook-signature")))?;
    let presented: Vec<Vec<u8>> = sigs
        .split_whitespace()
        .filter_map(|s| s.strip_prefix("v1,"))
        .filter_map(|b| STANDARD.decode(b).ok())
        .take(10)
        .collect();
    let ok = secrets.0.iter().any(|key| {
        presented
            .iter()
            .any(|p| mac(key, id, raw_ts, body).verify_slice(p).is_ok())
    });
    if !ok {
        return Err(unauthorized(WebhookRefusal::NoValidSignature));
    }
    Ok(id)
}

mod event;

pub use event::{PaidFor, PaymentData, PaymentEvent};

#[cfg(test)]
mod tests {
    use super::*;

    fn secrets() -> (String, WebhookSecrets) {
        let s = new_secret();
        (s.clone(), WebhookSecrets::parse(&s).unwrap())
    }

    #[test]
    fn a_signed_webhook_passes_and_anything_changed_fails() {
        let (_, keys) = secrets();
        let body = br#"{"type":"payment.succeeded"}"#;
        let sig = sign(keys.signing_key(), "msg_1", 1_000_000, body);
        let h = |id, ts, sig| Signed {
            id: Some(id),
            timestamp: Some(ts),
            signature: Some(sig),
        };
        assert_eq!(
            verify(&keys, &h("msg_1", "1000000", &sig), body, 1_000_100).unwrap(),
            "msg_1"
        );
        // Another body, ID or timestamp; too old; from the future; no v1 prefix.
        assert!(verify(&keys, &h("msg_1", "1000000", &sig), b"{}", 1_000_000).is_err());
        assert!(verify(&keys, &h("msg_2", "1000000", &sig), body, 1_000_000).is_err());
        assert!(verify(&keys, &h("msg_1", "1000001", &sig), body, 1_000_000).is_err());
        assert!(verify(&keys, &h("msg_1", "1000000", &sig), body, 1_000_301).is_err());
        assert!(verify(&keys, &h("msg_1", "1000000", &sig), body, 999_699).is_err());
        assert!(verify(&keys, &h("msg_1", "1000000", &sig[3..]), body, 1_000_000).is_err());
        let missing = Signed {
            id: None,
            timestamp: Some("1000000"),
            signature: Some(&sig),
        };
        assert!(verify(&keys, &missing, body, 1_000_000).is_err());
    }

    #[test]
    fn extreme_timestamps_are_refused_without_overflowing() {
        let (_, keys) = secrets();
        let body = b"{}";
        for (ts, now) in [
            (i64::MIN, 1_000_000),
            (i64::MAX, 1_000_000),
            (i64::MIN, i64::MAX),
            (i64::MAX, i64::MIN),
            (i64::MIN, 0),
        ] {
            let raw = ts.to_string();
            let sig = sign(keys.signing_key(), "m", ts, body);
            let h = Signed {
                id: Some("m"),
                timestamp: Some(&raw),
                signature: Some(&sig),
            };
            let e = verify(&keys, &h, body, now).unwrap_err();
            assert!(
                matches!(
                    e,
                    Error::NotAuthenticated(crate::Unauthenticated::WebhookRefused(
                        WebhookRefusal::TimestampSkew { tolerance_secs: 300 }
                    ))
                ),
                "{ts} at {now}: {e}"
            );
        }
        // At the edges of i64, the same stamp still passes.
        for t in [i64::MIN, i64::MAX] {
            let raw = t.to_string();
            let sig = sign(keys.signing_key(), "m", t, body);
            let h = Signed {
                id: Some("m"),
                timestamp: Some(&raw),
                signature: Some(&sig),
            };
            assert_eq!(verify(&keys, &h, body, t).unwrap(), "m");
        }
    }

    #[test]
    fn several_signatures_and_several_secrets_are_accepted_during_a_rotation() {
        let (old_raw, old) = secrets();
        let (new_raw, new) = secrets();
        let both = WebhookSecrets::parse(&format!("{new_raw} {old_raw}")).unwrap();
        let body = b"{}";
        let by_old = sign(old.signing_key(), "m", 5, body);
        let by_new = sign(new.signing_key(), "m", 5, body);
        let h = |sig: &str| {
            verify(
                &both,
                &Signed {
                    id: Some("m"),
                    timestamp: Some("5"),
                    signature: Some(sig),
                },
                body,
                5,
            )
            .is_ok()
        };
        assert!(h(&by_old));
        assert!(h(&format!("v1,AAAA {by_new}")));
        assert!(!h("v1,AAAA"));
        assert!(WebhookSecrets::parse("nope").is_err());
        assert!(WebhookSecrets::parse("whsec_c2hvcnQ=").is_err());
    }
}
