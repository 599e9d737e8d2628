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

/// The fingerprint of an order request: SHA-256 of the request as parsed,
/// written back as JSON (fields in their declared order, defaults spelled
/// out), so that the same order sent with its fields in another order, other
/// spacing or a default left out is the same request.
pub fn fingerprint(request: &super::OrderRequest) -> String {
    let canonical = serde_json::to_vec(request).expect("an order request is plain data");
    hex::encode(Sha256::digest(canonical))
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
    fn the_fingerprint_ignores_field_order_spacing_and_spelled_out_defaults() {
        let parse = |json: &str| -> super::super::OrderRequest { serde_json::from_str(json).unwrap() };
        let address = r#"{"name":"Ann","postal_code":"150-0002","region":"Tokyo","locality":"Shibuya-ku","street":"2-21-1"}"#;
        let quote = "quo_01JDQ3V6ZK8R2M4N5P6Q7R8S9T";
        let a = parse(&format!(
            r#"{{"quote_id":"{quote}","points":10,"address":{address}}}"#
        ));
        let b = parse(&format!(
            r#"{{ "address": {address}, "points": 10, "email": null, "quote_id": "{quote}" }}"#
        ));
        let c = parse(&format!(
            r#"{{"quote_id":"{quote}","points":11,"address":{address}}}"#
        ));
        assert_eq!(fingerprint(&a), fingerprint(&b));
        assert_ne!(fingerprint(&a), fingerprint(&c));
    }
}
