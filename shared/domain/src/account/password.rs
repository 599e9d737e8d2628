//! The password policy: a length rule, then the zxcvbn estimate.

use crate::Rule;
use std::fmt;

use super::Email;
use crate::Error;

/// A password that meets the policy. Never logged, never serialised.
pub struct Password(pub(super) String);

impl Password {
    pub const MIN_CHARS: usize = 10;
    pub const MAX_BYTES: usize = 1024;

    fn length() -> Error {
        Error::rule(
            "password",
            Rule::PasswordLength {
                min: Self::MIN_CHARS,
                max: Self::MAX_BYTES,
            },
        )
    }

    pub fn parse(raw: &str) -> Result<Self, Error> {
        if raw.chars().count() < Self::MIN_CHARS {
            return Err(Self::length());
        }
        if raw.len() > Self::MAX_BYTES {
            return Err(Self::length());
        }
        Ok(Self(raw.to_owned()))
    }

    /// The length rule, then zxcvbn's estimate: a password it scores below
    /// [`Self::MIN_SCORE`] (common, a keyboard walk, a repeat, built from
    /// the address or the service's name) is refused with its advice.
    pub fn parse_for(raw: &str, email: &Email) -> Result<Self, Error> {
        let password = Self::parse(raw)?;
        // zxcvbn's cost grows with length, so it judges the first
        // `ESTIMATED_CHARS`: a long password must be hard to guess there too
        // (65 of one letter is no better than 12).
        let judged: String = raw.chars().take(Self::ESTIMATED_CHARS).collect();
        let (local, domain) = email.as_str().split_once('@').unwrap_or((email.as_str(), ""));
        let estimate = zxcvbn::zxcvbn(&judged, &[local, domain, email.as_str(), "printvault"]);
        if u8::from(estimate.score()) >= Self::MIN_SCORE {
            return Ok(password);
        }
        let mut advice = Vec::new();
        if let Some(f) = estimate.feedback() {
            if let Some(w) = f.warning() {
                advice.push(w.to_string());
            }
            advice.extend(f.suggestions().iter().map(|s| s.to_string()));
        }
        Err(Error::rule("password", Rule::WeakPassword { advice }))
    }

    /// zxcvbn's "safely unguessable" (moderate protection against offline
    /// attacks on a slow hash).
    pub const MIN_SCORE: u8 = 3;
    const ESTIMATED_CHARS: usize = 64;
}

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Password(***)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Problem;

    #[test]
    fn weak_and_common_passwords_are_refused_with_advice() {
        let email = Email::parse("ann.sato@example.com").unwrap();
        for weak in [
            "password1234",
            "1234567890",
            "qwertyuiop",
            "aaaaaaaaaaaa",
            "printvault2026",
            "ann.sato@example.com",
        ] {
            let e = Password::parse_for(weak, &email).unwrap_err();
            assert!(
                matches!(
                    e,
                    Error::Invalid {
                        field: "password",
                        problem: Problem::Rule(Rule::WeakPassword { .. })
                    }
                ),
                "{weak}: {e}"
            );
        }
        for strong in [
            "correct horse battery",
            "another long one",
            &"tangerine orbit quietly folds seven paper lanterns ".repeat(20),
        ] {
            assert!(Password::parse_for(strong, &email).is_ok(), "{strong}");
        }
        // Long, and no harder to guess for it: judged like a short one.
        for weak_and_long in ["x".repeat(65), "password".repeat(100), "1234567890".repeat(7)] {
            assert!(
                Password::parse_for(&weak_and_long, &email).is_err(),
                "{weak_and_long}"
            );
        }
        assert!(matches!(
            Password::parse_for("short", &email),
            Err(Error::Invalid {
                problem: Problem::Rule(Rule::PasswordLength { min: 10, .. }),
                ..
            })
        ));
    }
}
