//! M1 accounts and sessions.

use printvault_adapters::accounts::Customer;
use printvault_domain::account::Email;
use printvault_domain::ids::CustomerId;
use printvault_domain::when::rfc3339;
use printvault_usecases::accounts::Session;
use serde::Serialize;
use utoipa::ToSchema;

#[derive(Serialize, ToSchema)]
pub struct Registered {
    pub customer_id: CustomerId,
    pub email: Email,
}

impl From<&Customer> for Registered {
    fn from(c: &Customer) -> Self {
        Self {
            customer_id: c.customer_id.clone(),
            email: c.email.clone(),
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
