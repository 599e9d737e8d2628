//! M1 accounts and sessions.

use printvault_adapters::accounts::{Customer, Verified};
use printvault_domain::account::Email;
use printvault_domain::ids::CustomerId;
use printvault_domain::when::rfc3339;
use printvault_usecases::accounts::Session;
use serde::Serialize;
use utoipa::ToSchema;

/// The same answer for every address: an email is on its way.
#[derive(Serialize, ToSchema)]
pub struct VerificationSent {
    pub email: Email,
    #[schema(example = "verification_sent")]
    pub status: &'static str,
    pub message: &'static str,
}

impl VerificationSent {
    pub fn new(email: Email) -> Self {
        Self {
            email,
            status: "verification_sent",
            message: "We sent an email to this address. Open its link, or send its code to \
                      POST /v1/accounts/verify, to confirm the address.",
        }
    }
}

/// A verified address and the account that holds it now.
#[derive(Serialize, ToSchema)]
pub struct VerifiedView {
    pub customer_id: CustomerId,
    pub email: Email,
    /// `registered` (a new account) or `email_changed`.
    #[schema(example = "registered")]
    pub outcome: &'static str,
}

impl From<Verified> for VerifiedView {
    fn from(v: Verified) -> Self {
        let (c, outcome): (Customer, _) = match v {
            Verified::Registered(c) => (c, "registered"),
            Verified::EmailChanged(c) => (c, "email_changed"),
        };
        Self {
            customer_id: c.customer_id,
            email: c.email,
            outcome,
        }
    }
}

/// A session token, shown once. Send it as `Authorization: Bearer <token>`.
#[derive(Serialize, ToSchema)]
pub struct SessionView {
    pub token: String,
    #[schema(example = "Bearer")]
    pub token_type: &'static str,
    pub customer_id: CustomerId,
    #[schema(example = "2026-12-06T07:08:38Z")]
    pub expires_at: String,
}

impl From<&Session> for SessionView {
    fn from(s: &Session) -> Self {
        Self {
            token: s.token.as_str().to_owned(),
            token_type: "Bearer",
            customer_id: s.customer.clone(),
            expires_at: rfc3339(s.expires_at),
        }
    }
}
