//! M2: the caller's own customer information.

use axum::extract::State;
use axum::Json;
use printvault_adapters::accounts::Customer;
use printvault_domain::profile::ProfileUpdate;
use printvault_domain::Error;
use serde_json::{json, Value};

use crate::auth::Caller;
use crate::error::JsonBody;
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
    let mut customer = load(&st, &caller).await?;
    customer.profile.apply(update, st.now().date())?;
    st.accounts
        .put_profile(&customer.customer_id, &customer.profile)
        .await?;
    Ok(Json(view(&customer)))
}
