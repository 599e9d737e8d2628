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
    _st: &AppState,
    caller: Option<&CustomerId>,
    image: &Image,
    link: Option<LinkTerms>,
) -> Result<Access, ApiError> {
    let facts = Facts {
        principal: if caller.is_some() {
            Principal::Customer
        } else {
            Principal::Anonymous
        },
        ready: image.status == ImageStatus::Ready,
        class: image.class,
        is_owner: caller == Some(&image.owner),
        same_group: false,
        image_grant: false,
        album_grant: false,
        link,
    };
    Ok(decide(&facts))
}
