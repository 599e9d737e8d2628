//! Membership (M1): emails, passwords and sessions.

use crate::{Form, Problem};
use argon2::password_hash::{rand_core::OsRng, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine};
use rand::RngCore;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::fmt;

use crate::Error;

mod password;
pub use password::Password;

/// A syntactically valid email address, trimmed and lower-cased.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(format = Email, example = "ann@example.com"))]
pub struct Email(String);

impl Email {
    pub fn parse(raw: &str) -> Result<Self, Error> {
        let s = raw.trim().to_lowercase();
        let bad = || {
            Error::invalid(
                "email",
                Problem::NotA {
                    form: Form::Email,
                    got: raw.trim().chars().take(254).collect(),
                },
            )
        };
        if s.len() > 254 || s.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(bad());
        }
        let (local, domain) = s.split_once('@').ok_or_else(bad)?;
        let domain_ok = domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !domain.contains("..")
            && !domain.contains('@');
        if local.is_empty() || local.len() > 64 || !domain_ok {
            return Err(bad());
        }
        Ok(Self(s))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The SHA-256 of the address, hex: names it in IDs and logs without
    /// writing it out.
    pub fn digest(&self) -> String {
        hex::encode(Sha256::digest(self.0.as_bytes()))
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for Email {
    type Error = Error;
    fn try_from(s: String) -> Result<Self, Error> {
        Self::parse(&s)
    }
}

impl From<Email> for String {
    fn from(e: Email) -> String {
        e.0
    }
}

/// An argon2id hash in PHC string form (`$argon2id$v=19$m=…`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PasswordHash(pub String);

/// argon2id with OWASP's recommended cost (19 MiB, 2 passes, 1 lane).
fn argon2() -> Argon2<'static> {
    let params = Params::new(19 * 1024, 2, 1, None).expect("static argon2 parameters are valid");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

impl PasswordHash {
    pub fn create(password: &Password) -> Result<Self, Error> {
        let salt = SaltString::generate(&mut OsRng);
        let phc = argon2()
            .hash_password(password.0.as_bytes(), &salt)
            .map_err(|e| anyhow::anyhow!("hashing a password: {e}"))?;
        Ok(Self(phc.to_string()))
    }

    /// Constant-time check of `candidate` against this hash. A malformed stored
    /// hash verifies nothing.
    pub fn verify(&self, candidate: &str) -> bool {
        argon2::password_hash::PasswordHash::new(&self.0)
            .map(|h| argon2().verify_password(candidate.as_bytes(), &h).is_ok())
            .unwrap_or(false)
    }
}

/// A hash that no password matches, verified against when an email is unknown
/// so that login takes the same time whether or not the account exists.
pub fn decoy_hash() -> &'static PasswordHash {
    static DECOY: std::sync::OnceLock<PasswordHash> = std::sync::OnceLock::new();
    DECOY.get_or_init(|| {
        PasswordHash::create(&Password("decoy password that nobody has".into()))
            .unwrap_or_else(|_| PasswordHash(String::new()))
    })
}

/// An opaque bearer token. Only its SHA-256 is stored, so a leaked table does
/// not leak sessions.
pub struct SessionToken(String);

impl SessionToken {
    /// 256 random bits, URL-safe base64.
    pub fn generate() -> Self {
        let mut bytes = [0u8; 32];
        rand::rngs::OsRng.fill_bytes(&mut bytes);
        Self(URL_SAFE_NO_PAD.encode(bytes))
    }

    /// Wraps a token presented by a client. Returns `None` for anything that
    /// cannot be one of ours, without touching storage.
    pub fn from_presented(raw: &str) -> Option<Self> {
        (raw.len() == 43
            && raw
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'))
        .then(|| Self(raw.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The storage key of this token.
    pub fn digest(&self) -> String {
        hex::encode(Sha256::digest(self.0.as_bytes()))
    }
}

impl fmt::Debug for SessionToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SessionToken(***)")
    }
}

/// Compares two secrets (an operator key, say) in constant time.
pub fn secrets_match(a: &str, b: &str) -> bool {
    use subtle::ConstantTimeEq;
    let (da, db) = (Sha256::digest(a.as_bytes()), Sha256::digest(b.as_bytes()));
    bool::from(da.ct_eq(&db))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_normalised_and_checked() {
        assert_eq!(
            Email::parse("  Ann@Example.COM ").unwrap().as_str(),
            "ann@example.com"
        );
        for bad in [
            "",
            "ann",
            "ann@",
            "@example.com",
            "ann@example",
            "a b@example.com",
            "ann@.com",
            "ann@example..com",
        ] {
            assert!(Email::parse(bad).is_err(), "{bad:?} should be refused");
        }
    }

    #[test]
    fn password_policy() {
        assert!(Password::parse("short").is_err());
        assert!(Password::parse(&"x".repeat(2000)).is_err());
        assert!(Password::parse("correct horse battery").is_ok());
    }

    #[test]
    fn password_hashes_are_argon2id_and_verify() {
        let h = PasswordHash::create(&Password::parse("correct horse battery").unwrap()).unwrap();
        assert!(h.0.starts_with("$argon2id$"));
        assert!(h.verify("correct horse battery"));
        assert!(!h.verify("wrong horse battery"));
        assert!(!PasswordHash("garbage".into()).verify("anything"));
        assert!(!decoy_hash().verify(""));
    }

    #[test]
    fn tokens_are_random_and_stored_hashed() {
        let a = SessionToken::generate();
        let b = SessionToken::generate();
        assert_ne!(a.as_str(), b.as_str());
        assert_eq!(a.digest().len(), 64);
        assert_ne!(a.digest(), a.as_str());
        assert!(SessionToken::from_presented(a.as_str()).is_some());
        assert!(SessionToken::from_presented("abc").is_none());
        assert!(SessionToken::from_presented(&"é".repeat(43)).is_none());
    }

    #[test]
    fn secrets_compare() {
        assert!(secrets_match("k1", "k1"));
        assert!(!secrets_match("k1", "k2"));
    }
}
