//! Sharing use cases: party groups (M3), profile shares (M4), grants
//! (M12, M13) and share links (X4).

pub mod grants;
pub mod groups;
pub mod links;
pub mod profiles;

use printvault_domain::account::Email;
use printvault_domain::ids::{AlbumId, CustomerId, ImageId};
use printvault_domain::sharing::Target;
use printvault_domain::Error;
use printvault_domain::Thing;

use crate::Stores;

/// What a new grant or link names: exactly one of an image and an album.
pub enum TargetRequest {
    Image(ImageId),
    Album(AlbumId),
}

/// The caller's own ready image or own album, as a grant or link target.
async fn own_target(st: &Stores, owner: &CustomerId, t: TargetRequest) -> Result<Target, Error> {
    Ok(match t {
        TargetRequest::Image(i) => Target::Image(crate::images::own_ready_image(st, owner, &i).await?.id),
        TargetRequest::Album(a) => Target::Album(crate::albums::own_album(st, owner, &a).await?.album_id),
    })
}

/// The customer whose verified address is `email`, if any. Callers treat
/// both answers alike towards the owner: what they share waits for the
/// address when nobody holds it yet.
async fn holder_of(st: &Stores, email: &Email) -> Result<Option<CustomerId>, Error> {
    Ok(st.accounts.credentials(email).await?.map(|(id, _)| id))
}

/// Attaches to `customer` every grant and profile share that waited for
/// `email`, now that they verified it. Safe to repeat.
pub async fn attach_waiting(st: &Stores, customer: &CustomerId, email: &Email) -> Result<(), Error> {
    let (grants, shares) = st.sharing.waiting_for(email.as_str()).await?;
    for w in grants {
        // A grant from the customer to their own new address stays
        // waiting; nobody grants to themselves.
        if &w.owner != customer && st.sharing.attach_grant(&w, customer).await? {
            tracing::info!(target = ?w.target, grantee = %customer, "a waiting grant attached");
        }
    }
    for w in shares {
        if &w.owner != customer && st.sharing.attach_profile_share(&w, customer).await? {
            tracing::info!(owner = %w.owner, reader = %customer, "a waiting profile share attached");
        }
    }
    Ok(())
}

/// Whether a removal removed something: one that found nothing (already
/// gone, or a concurrent removal won) is not an error.
fn removed(r: Result<(), Error>) -> Result<bool, Error> {
    match r {
        Ok(()) => Ok(true),
        Err(Error::NotFound(_)) => Ok(false),
        Err(e) => Err(e),
    }
}

/// The caller's own email address.
async fn email_of(st: &Stores, c: &CustomerId) -> Result<Email, Error> {
    Ok(st
        .accounts
        .customer(c)
        .await?
        .ok_or(Error::NotFound(Thing::Customer))?
        .email)
}
