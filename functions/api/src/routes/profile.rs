//! M2: the caller's own customer information.

use axum::extract::State;
use axum::Json;
use printvault_adapters::accounts::Customer;
use printvault_domain::profile::ProfileUpdate;
use printvault_domain::Error;
use serde_json::{json, Value};

use crate::auth::Caller;
use crate::error::{JsonBody, PathParam};
use crate::{ApiError, AppState};

fn view(c: &Customer) -> Value {
    let mut v = json!({"customer_id": c.customer_id, "email": c.email});
    if let (Some(obj), Ok(Value::Object(p))) = (v.as_object_mut(), serde_json::to_value(&c.profile)) {
        obj.extend(p);
    }
    v
}

async fn load(st: &AppState, caller: &Caller) -> Result<Customer, ApiError> {
    Ok(st
        .accounts
        .customer(&caller.customer)
        .await?
        .ok_or(Error::NotFound("customer"))?)
}

pub async fn read(State(st): State<AppState>, caller: Caller) -> Result<Json<Value>, ApiError> {
    Ok(Json(view(&load(&st, &caller).await?)))
}

pub async fn update(
    State(st): State<AppState>,
    caller: Caller,
    JsonBody(update): JsonBody<ProfileUpdate>,
) -> Result<Json<Value>, ApiError> {
    // Applied to the profile as it is; if another change lands in between,
    // read it again and re-apply, so neither change is lost.
    for _ in 0..3 {
        let mut customer = load(&st, &caller).await?;
        let before = customer.clone();
        customer.profile.apply(update.clone(), st.now().date())?;
        if st.accounts.put_profile(&before, &customer.profile).await? {
            customer.profile_rev += 1;
            return Ok(Json(view(&customer)));
        }
    }
    Err(Error::Conflict("other requests keep changing this profile; try again".into()).into())
}

/// The profile fields an owner can share (M4).
pub const SHAREABLE: [&str; 5] = [
    "name",
    "contact_email",
    "postal_address",
    "birthday",
    "named_dates",
];

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewShare {
    reader_email: String,
    #[serde(default)]
    fields: Option<Vec<String>>,
}

/// M4: lets one named customer read the caller's profile, or chosen fields of it.
pub async fn share(
    State(st): State<AppState>,
    caller: Caller,
    JsonBody(body): JsonBody<NewShare>,
) -> Result<(axum::http::StatusCode, Json<Value>), ApiError> {
    let email = printvault_domain::account::Email::parse(&body.reader_email)?;
    let (reader, _) = st.accounts.credentials(&email).await?.ok_or_else(|| {
        Error::invalid(
            "reader_email",
            format!("no customer has the email address {email}"),
        )
    })?;
    if reader == caller.customer {
        return Err(Error::invalid("reader_email", "you can always read your own profile").into());
    }
    let fields = body
        .fields
        .unwrap_or_else(|| SHAREABLE.iter().map(|f| f.to_string()).collect());
    if fields.is_empty() {
        return Err(Error::invalid("fields", "share at least one field").into());
    }
    for f in &fields {
        if !SHAREABLE.contains(&f.as_str()) {
            return Err(Error::invalid(
                "fields",
                format!("'{f}' is not a profile field; use {}", SHAREABLE.join(", ")),
            )
            .into());
        }
    }
    let share = printvault_adapters::sharing::ProfileShare {
        owner: caller.customer.clone(),
        reader,
        reader_email: email.to_string(),
        fields,
        created_at: crate::state::rfc3339(st.now()),
    };
    st.sharing.share_profile(&share).await?;
    Ok((axum::http::StatusCode::CREATED, Json(json!(share))))
}

pub async fn shares(State(st): State<AppState>, caller: Caller) -> Result<Json<Value>, ApiError> {
    Ok(Json(
        json!({"shares": st.sharing.profile_shares_of(&caller.customer).await?}),
    ))
}

pub async fn unshare(
    State(st): State<AppState>,
    caller: Caller,
    PathParam(reader): PathParam<String>,
) -> Result<axum::http::StatusCode, ApiError> {
    let reader = printvault_domain::ids::CustomerId::parse(&reader)
        .map_err(|_| ApiError::from(Error::NotFound("profile share")))?;
    st.sharing.unshare_profile(&caller.customer, &reader).await?;
    Ok(axum::http::StatusCode::NO_CONTENT)
}

/// Another customer's profile, reduced to the fields they share with the
/// caller; `NotFound` for anyone they do not share with.
pub async fn read_shared(
    State(st): State<AppState>,
    caller: Caller,
    PathParam(owner): PathParam<String>,
) -> Result<Json<Value>, ApiError> {
    let nf = || ApiError::from(Error::NotFound("profile"));
    let owner = printvault_domain::ids::CustomerId::parse(&owner).map_err(|_| nf())?;
    let share = st
        .sharing
        .profile_share(&owner, &caller.customer)
        .await?
        .ok_or_else(nf)?;
    let customer = st.accounts.customer(&owner).await?.ok_or_else(nf)?;
    let full = serde_json::to_value(&customer.profile).map_err(anyhow::Error::from)?;
    let mut out = serde_json::Map::new();
    out.insert("customer_id".into(), json!(owner));
    for f in &share.fields {
        if let Some(v) = full.get(f) {
            out.insert(f.clone(), v.clone());
        }
    }
    Ok(Json(Value::Object(out)))
}

/// Whose profiles the caller may read, and which fields.
pub async fn shared_with_me(State(st): State<AppState>, caller: Caller) -> Result<Json<Value>, ApiError> {
    let shares = st.sharing.profiles_shared_with(&caller.customer).await?;
    let items: Vec<Value> = shares
        .iter()
        .map(|s| json!({"customer_id": s.owner, "fields": s.fields}))
        .collect();
    Ok(Json(json!({"profiles": items})))
}
