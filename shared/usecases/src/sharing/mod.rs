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

/// The customer holding `email`, or an `Invalid` naming `field`.
async fn customer_by_email(st: &Stores, field: &'static str, email: &Email) -> Result<CustomerId, Error> {
    let (id, _) = st
        .accounts
        .credentials(email)
        .await?
        .ok_or_else(|| Error::invalid(field, format!("no customer has the email address {email}")))?;
    Ok(id)
}

/// The caller's own email address.
async fn email_of(st: &Stores, c: &CustomerId) -> Result<Email, Error> {
    Ok(st
        .accounts
        .customer(c)
        .await?
        .ok_or(Error::NotFound("customer"))?
        .email)
}
