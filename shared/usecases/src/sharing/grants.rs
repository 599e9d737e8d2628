//! M12, M13: grants of one image or one album to one named customer.

use printvault_domain::account::Email;
use printvault_domain::ids::CustomerId;
use printvault_domain::sharing::{GivenGrant, Grant, Recipient, Target, WaitingGrant};
use printvault_domain::when::Timestamp;
use printvault_domain::Error;
use printvault_domain::Rule;
use printvault_domain::Thing;
use time::OffsetDateTime;

use super::{email_of, holder_of, own_target, removed, TargetRequest};
use crate::Stores;

/// Grants the owner's image or album to whoever holds `email`. An address
/// without a verified account gets the grant when it is verified; the owner
/// is told the same either way.
pub async fn grant(
    st: &Stores,
    owner: &CustomerId,
    target: TargetRequest,
    email: &str,
    now: OffsetDateTime,
) -> Result<GivenGrant, Error> {
    let target = own_target(st, owner, target).await?;
    let email = Email::parse(email)?;
    if email == email_of(st, owner).await? {
        return Err(Error::rule("grantee_email", Rule::SelfGrant));
    }
    match holder_of(st, &email).await? {
        Some(grantee) => {
            let grant = Grant::new(
                target,
                owner.clone(),
                grantee,
                email.to_string(),
                Timestamp::at(now),
            )?;
            st.sharing.grant(&grant).await?;
            tracing::info!(target = ?grant.target, grantee = %grant.grantee, "granted");
            Ok(grant.into())
        }
        None => {
            let w = WaitingGrant {
                target,
                owner: owner.clone(),
                grantee_email: email.to_string(),
                created_at: Timestamp::at(now),
            };
            st.sharing.wait_grant(&w).await?;
            tracing::info!(target = ?w.target, "granted to an address that waits for verification");
            Ok(w.into())
        }
    }
}

/// The grants the owner gave, by address, sorted by address and target.
pub async fn given(st: &Stores, owner: &CustomerId) -> Result<Vec<GivenGrant>, Error> {
    let mut out: Vec<GivenGrant> = st
        .sharing
        .grants_given(owner)
        .await?
        .into_iter()
        .map(Into::into)
        .collect();
    out.extend(
        st.sharing
            .waiting_grants_given(owner)
            .await?
            .into_iter()
            .map(Into::into),
    );
    out.sort_by(|a, b| (&a.grantee_email, &a.created_at).cmp(&(&b.grantee_email, &b.created_at)));
    Ok(out)
}

/// One page of the grants `grantee` holds.
pub async fn received(
    st: &Stores,
    grantee: &CustomerId,
    limit: u32,
    cursor: Option<&str>,
) -> Result<printvault_adapters::Page<Grant>, Error> {
    st.sharing.grants_received(grantee, limit, cursor).await
}

/// The grantee gives a grant back: it opens nothing for them from now on.
/// Nobody has to keep what a stranger granted them.
pub async fn decline(st: &Stores, grantee: &CustomerId, target: &Target) -> Result<(), Error> {
    let g = st
        .sharing
        .received_grant(grantee, target)
        .await?
        .ok_or(Error::NotFound(Thing::Grant))?;
    st.sharing.revoke_grant(&g.owner, target, grantee).await?;
    tracing::info!(?target, %grantee, "grant declined");
    Ok(())
}

/// Takes back the owner's grant of `target` to `who`, waiting or not; it
/// stops opening anything at once. `NotFound` when there is none.
pub async fn revoke(st: &Stores, owner: &CustomerId, target: &Target, who: &Recipient) -> Result<(), Error> {
    let mut found = false;
    for g in st.sharing.grants_of(target).await? {
        if &g.owner == owner && who.names(&g.grantee, &g.grantee_email) {
            found |= removed(st.sharing.revoke_grant(owner, target, &g.grantee).await)?;
        }
    }
    if let Recipient::Email(e) = who {
        for w in st.sharing.waiting_grants_of(target).await? {
            if &w.owner == owner && w.grantee_email == e.as_str() {
                found |= removed(st.sharing.drop_waiting_grant(&w).await)?;
            }
        }
    }
    if !found {
        return Err(Error::NotFound(Thing::Grant));
    }
    tracing::info!(?target, "grant revoked");
    Ok(())
}
