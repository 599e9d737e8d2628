//! M2 customer information and M4 profile shares.

use printvault_adapters::accounts::Customer;
use printvault_domain::account::Email;
use printvault_domain::ids::CustomerId;
use printvault_domain::profile::{NamedDate, PostalAddress, Profile};
use printvault_domain::sharing::{GivenProfileShare, ProfileShare};
use serde::Serialize;
use utoipa::ToSchema;

/// The caller's own account and customer information.
#[derive(Serialize, ToSchema)]
pub struct ProfileView {
    pub customer_id: CustomerId,
    pub email: Email,
    #[serde(flatten)]
    pub profile: Profile,
}

impl From<Customer> for ProfileView {
    fn from(c: Customer) -> Self {
        Self {
            customer_id: c.customer_id,
            email: c.email,
            profile: c.profile,
        }
    }
}

/// Another customer's profile: only the fields they share with the caller.
#[derive(Serialize, ToSchema)]
pub struct SharedProfile {
    pub customer_id: CustomerId,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub contact_email: Option<Email>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub postal_address: Option<PostalAddress>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(format = Date, example = "1990-04-01")]
    pub birthday: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub named_dates: Option<Vec<NamedDate>>,
}

impl SharedProfile {
    pub fn new(owner: CustomerId, p: Profile, share: &ProfileShare) -> Self {
        let birthday = p.birthday.and_then(|d| {
            d.format(time::macros::format_description!("[year]-[month]-[day]"))
                .ok()
        });
        Self {
            customer_id: owner,
            name: p.name.filter(|_| share.allows("name")),
            contact_email: p.contact_email.filter(|_| share.allows("contact_email")),
            postal_address: p.postal_address.filter(|_| share.allows("postal_address")),
            birthday: birthday.filter(|_| share.allows("birthday")),
            named_dates: share.allows("named_dates").then_some(p.named_dates),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct ShareList {
    pub shares: Vec<GivenProfileShare>,
}

/// Whose profile the caller may read, and which fields.
#[derive(Serialize, ToSchema)]
pub struct SharedWithMe {
    pub profiles: Vec<ReadableProfile>,
}

#[derive(Serialize, ToSchema)]
pub struct ReadableProfile {
    pub customer_id: CustomerId,
    pub fields: Vec<String>,
}

impl From<Vec<ProfileShare>> for SharedWithMe {
    fn from(shares: Vec<ProfileShare>) -> Self {
        Self {
            profiles: shares
                .into_iter()
                .map(|s| ReadableProfile {
                    customer_id: s.owner,
                    fields: s.fields,
                })
                .collect(),
        }
    }
}
