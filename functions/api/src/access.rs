//! Gathers the facts the domain's permission model decides on
//! (`printvault_domain::access::decide`). Every route that shows an image to
//! someone other than its owner goes through here.

use printvault_domain::access::{decide, Access, Facts, LinkTerms, Principal};
use printvault_domain::ids::CustomerId;
use printvault_domain::image::{Image, ImageStatus};

use crate::{ApiError, AppState};

/// What `caller` (None: anonymous) may do with `image`, holding `link` if the
/// request came through a share link that covers it.
pub async fn access(
    st: &AppState,
    caller: Option<&CustomerId>,
    image: &Image,
    link: Option<LinkTerms>,
) -> Result<Access, ApiError> {
    let is_owner = caller == Some(&image.owner);
    let ready = image.status == ImageStatus::Ready;
    // Relations are read only when they could matter: for a ready image of
    // someone else, seen by a customer.
    let (same_group, image_grant) = match caller {
        Some(c) if !is_owner && ready => (
            st.sharing.same_group(c, &image.owner).await?,
            st.sharing.has_image_grant(&image.id, c).await?,
        ),
        _ => (false, false),
    };
    let facts = Facts {
        principal: if caller.is_some() {
            Principal::Customer
        } else {
            Principal::Anonymous
        },
        ready,
        class: image.class,
        is_owner,
        same_group,
        image_grant,
        album_grant: false,
        link,
    };
    Ok(decide(&facts))
}
