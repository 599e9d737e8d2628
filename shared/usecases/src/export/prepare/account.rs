//! The sharing sections of an export: the owner's albums (manual and
//! automatic) with the exported images in each, the grants they gave
//! (waiting ones included), their share links (never a token or its
//! digest), and the party groups they are in.

use std::collections::HashSet;

use anyhow::Context;
use printvault_domain::album::AlbumKind;
use printvault_domain::export::manifest::{ManifestAlbum, ManifestGrant, ManifestGroup, ManifestLink};
use printvault_domain::ids::{CustomerId, ImageId};
use printvault_domain::when::Timestamp;
use printvault_domain::Error;

use super::{every, target, PAGE};
use crate::Stores;

/// `owner`'s albums, oldest first, each with its images in album order
/// (only those in the export).
pub(super) async fn albums(
    st: &Stores,
    owner: &CustomerId,
    exported: &HashSet<&ImageId>,
) -> Result<Vec<ManifestAlbum>, Error> {
    let mut albums = st.albums.list(owner).await?;
    albums.sort_by(|a, b| (a.created_at, &a.album_id).cmp(&(b.created_at, &b.album_id)));
    let mut out = Vec::with_capacity(albums.len());
    for a in albums {
        let id = &a.album_id;
        let mut images =
            every(|cursor| async move { st.albums.images(id, PAGE, cursor.as_deref()).await }).await?;
        images.retain(|i| exported.contains(i));
        out.push(ManifestAlbum {
            album_id: a.album_id,
            name: a.name,
            kind: match a.kind {
                AlbumKind::Manual => "manual",
                AlbumKind::Auto => "automatic",
            }
            .to_owned(),
            created_at: a.created_at,
            images,
        });
    }
    Ok(out)
}

/// The grants `owner` gave, to customers and to addresses still waiting
/// to be verified, oldest first.
pub(super) async fn grants(st: &Stores, owner: &CustomerId) -> Result<Vec<ManifestGrant>, Error> {
    let mut out: Vec<ManifestGrant> = crate::sharing::grants::given(st, owner)
        .await?
        .into_iter()
        .map(|g| ManifestGrant {
            target: target(&g.target),
            grantee_email: g.grantee_email,
            created_at: g.created_at,
        })
        .collect();
    out.sort_by(|a, b| (a.created_at, &a.grantee_email).cmp(&(b.created_at, &b.grantee_email)));
    Ok(out)
}

/// The share links `owner` made and has not revoked, expired or not,
/// oldest first: what each opens and until when, never its token.
pub(super) async fn links(st: &Stores, owner: &CustomerId) -> Result<Vec<ManifestLink>, Error> {
    let mut links = st.sharing.links_of(owner).await?;
    links.sort_by(|a, b| (a.created_at, &a.link_id).cmp(&(b.created_at, &b.link_id)));
    let mut out = Vec::with_capacity(links.len());
    for l in links {
        let expires =
            time::OffsetDateTime::from_unix_timestamp(l.expires_at).context("a link's expiry is a time")?;
        out.push(ManifestLink {
            link_id: l.link_id.to_string(),
            target: target(&l.target),
            created_at: l.created_at,
            expires_at: Timestamp::at(expires),
            allow_original: l.allow_original,
        });
    }
    Ok(out)
}

/// The groups `owner` is in, with whether they made each and every
/// member's address.
pub(super) async fn groups(st: &Stores, owner: &CustomerId) -> Result<Vec<ManifestGroup>, Error> {
    let mut out = Vec::new();
    for m in st.sharing.groups_of(owner).await? {
        // A group gone since the membership was read is left out.
        let Some(group) = st.sharing.group(&m.group_id).await? else {
            continue;
        };
        let members = st.sharing.members(&group.group_id).await?;
        out.push(ManifestGroup {
            group_id: group.group_id.to_string(),
            name: group.name,
            owner: &group.owner == owner,
            members: members.into_iter().map(|m| m.email).collect(),
        });
    }
    Ok(out)
}
