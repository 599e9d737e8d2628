//! `Idempotency-Key` (IETF httpapi draft `idempotency-key-header`): a
//! client's unique key for one POST, so that a retried request makes one
//! order. The key is a Structured Field string (`"…"`); a bare token is
//! accepted too, as most clients send one.

use crate::{Form, Problem};
use sha2::{Digest, Sha256};

use crate::account::Email;
use crate::ids::CustomerId;
use crate::Error;

/// Whose keys a key is among: a customer's are their own, and so are a
/// guest's, by the SHA-256 of the address they give (as `Email` normalises
/// it), so two callers' keys never collide and a replay answers only the
/// caller who made the order. Two guests who give the same address are
/// one caller: the order's link goes to that mailbox alone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyScope(String);

impl KeyScope {
    pub fn customer(c: &CustomerId) -> Self {
        Self(c.to_string())
    }

    pub fn guest(email: &Email) -> Self {
        Self(format!("guest-{}", email.digest()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A parsed key: 1 to 255 visible ASCII characters.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct IdempotencyKey(String);

impl IdempotencyKey {
    pub const MAX_CHARS: usize = 255;

    /// `None` when the header is missing: the request is refused (400).
    pub fn from_header(raw: Option<&str>) -> Result<Self, Error> {
        let raw = raw.ok_or_else(|| Error::invalid("Idempotency-Key", Problem::Missing))?;
        let raw = raw.trim();
        let key = raw
            .strip_prefix('"')
            .and_then(|r| r.strip_suffix('"'))
            .unwrap_or(raw);
        let ok = !key.is_empty()
            && key.len() <= Self::MAX_CHARS
            && key
                .bytes()
                .all(|b| (0x21..=0x7e).contains(&b) && b != b'"' && b != b'\\');
        if !ok {
            return Err(Error::invalid(
                "Idempotency-Key",
                Problem::Form(Form::VisibleAscii),
            ));
        }
        Ok(Self(key.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The fingerprint of a request body: SHA-256 of its JSON in a canonical
/// form (keys sorted, no whitespace), so that the same order sent with its
/// fields in another order is the same request.
pub fn fingerprint(body: &serde_json::Value) -> String {
    let mut canonical = String::new();
    write_canonical(body, &mut canonical);
    hex::encode(Sha256::digest(canonical.as_bytes()))
}

/// Sorts object keys itself, whatever map serde_json was built with.
fn write_canonical(v: &serde_json::Value, out: &mut String) {
    use serde_json::Value;
    match v {
        Value::Object(map) => {
            let mut entries: Vec<_> = map.iter().collect();
            entries.sort_by(|a, b| a.0.cmp(b.0));
            out.push('{');
            for (i, (k, v)) in entries.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&Value::String(k.clone()).to_string());
                out.push(':');
                write_canonical(v, out);
            }
            out.push('}');
        }
        Value::Array(items) => {
            out.push('[');
            for (i, v) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_canonical(v, out);
            }
            out.push(']');
        }
        scalar => out.push_str(&scalar.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_parsed_from_structured_or_bare_strings() {
        assert_eq!(
            IdempotencyKey::from_header(Some("\"abc-1\"")).unwrap().as_str(),
            "abc-1"
        );
        assert_eq!(
            IdempotencyKey::from_header(Some("abc-1")).unwrap().as_str(),
            "abc-1"
        );
        assert!(IdempotencyKey::from_header(None).is_err());
        assert!(IdempotencyKey::from_header(Some("\"\"")).is_err());
        assert!(IdempotencyKey::from_header(Some("a b")).is_err());
        assert!(IdempotencyKey::from_header(Some(&"k".repeat(256))).is_err());
    }

    #[test]
    fn guests_have_a_scope_each_by_their_normalised_address() {
        let a = KeyScope::guest(&Email::parse("Ann@Example.com").unwrap());
        let a2 = KeyScope::guest(&Email::parse(" ann@example.com ").unwrap());
        let b = KeyScope::guest(&Email::parse("bob@example.com").unwrap());
        assert_eq!(a, a2);
        assert_ne!(a, b);
        assert!(!a.as_str().contains("example"), "the address is hashed");
        let c = KeyScope::customer(&CustomerId::generate());
        assert_ne!(a, c);
    }

    #[test]
    fn the_fingerprint_ignores_field_order_and_spacing() {
        let a: serde_json::Value = serde_json::from_str(r#"{"a":1,"b":{"c":2,"d":3}}"#).unwrap();
        let b: serde_json::Value = serde_json::from_str(r#"{ "b": {"d":3, "c":2}, "a": 1 }"#).unwrap();
        let c: serde_json::Value = serde_json::from_str(r#"{"a":2,"b":{"c":2,"d":3}}"#).unwrap();
        assert_eq!(fingerprint(&a), fingerprint(&b));
        assert_ne!(fingerprint(&a), fingerprint(&c));
    }
}
