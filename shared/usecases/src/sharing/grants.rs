//! M12, M13: grants of one image or one album to one named customer.

use printvault_domain::account::Email;
use printvault_domain::ids::CustomerId;
use printvault_domain::sharing::{Grant, Target};
use printvault_domain::when::rfc3339;
use printvault_domain::Error;
use time::OffsetDateTime;

use super::{customer_by_email, own_target, TargetRequest};
use crate::Stores;

/// Grants the owner's image or album to the customer holding `email`.
pub async fn grant(
    st: &Stores,
    owner: &CustomerId,
    target: TargetRequest,
    email: &str,
    now: OffsetDateTime,
) -> Result<Grant, Error> {
    let target = own_target(st, owner, target).await?;
    let email = Email::parse(email)?;
    let grantee = customer_by_email(st, "grantee_email", &email).await?;
    let grant = Grant::new(target, owner.clone(), grantee, email.to_string(), rfc3339(now))?;
    st.sharing.grant(&grant).await?;
    tracing::info!(target = ?grant.target, grantee = %grant.grantee, "granted");
    Ok(grant)
}

pub async fn given(st: &Stores, owner: &CustomerId) -> Result<Vec<Grant>, Error> {
    st.sharing.grants_given(owner).await
}

pub async fn received(st: &Stores, grantee: &CustomerId) -> Result<Vec<Grant>, Error> {
    st.sharing.grants_received(grantee).await
}

/// Takes a grant back; it stops opening anything at once.
pub async fn revoke(
    st: &Stores,
    owner: &CustomerId,
    target: &Target,
    grantee: &CustomerId,
) -> Result<(), Error> {
    st.sharing.revoke_grant(owner, target, grantee).await?;
    tracing::info!(?target, %grantee, "grant revoked");
    Ok(())
}
