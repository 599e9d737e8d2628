//! Gathers the facts the domain's permission model decides on
//! (`printvault_domain::access::decide`). Every use case that shows an image
//! to someone other than its owner goes through here.

use printvault_domain::access::{decide, Access, Facts, LinkTerms, Principal};
use printvault_domain::ids::CustomerId;
use printvault_domain::image::{Image, ImageStatus};
use printvault_domain::sharing::Target;
use printvault_domain::Error;

use crate::Stores;

/// What `caller` (None: anonymous) may do with `image`, holding `link` if the
/// request came through a share link that covers it.
pub async fn access(
    st: &Stores,
    caller: Option<&CustomerId>,
    image: &Image,
    link: Option<LinkTerms>,
) -> Result<Access, Error> {
    let is_owner = caller == Some(&image.owner);
    // An image being deleted is, for everyone but its owner, already gone.
    let ready = image.status == ImageStatus::Ready && !image.deleting;
    // Read only when it could matter: someone else's ready image.
    let owner_in_arrears = ready && !is_owner && !st.billing.overdue(&image.owner).await?.is_empty();
    // Relations are read only when they could matter: for a ready image of
    // someone else, seen by a customer.
    let (mut same_group, mut image_grant, mut album_grant) = (false, false, false);
    if let Some(c) = caller.filter(|_| !is_owner && ready && !owner_in_arrears) {
        same_group = st.sharing.same_group(c, &image.owner).await?;
        if !same_group {
            image_grant = st.sharing.has_grant(&Target::Image(image.id.clone()), c).await?;
        }
        if !same_group && !image_grant {
            // One read per album of the image (an image is in few albums).
            for a in &image.albums {
                if st.sharing.has_grant(&Target::Album(a.clone()), c).await? {
                    album_grant = true;
                    break;
                }
            }
        }
    }
    let facts = Facts {
        principal: if caller.is_some() {
            Principal::Customer
        } else {
            Principal::Anonymous
        },
        ready,
        owner_in_arrears,
        class: image.class,
        is_owner,
        same_group,
        image_grant,
        album_grant,
        link,
    };
    Ok(decide(&facts))
}
