//! Filing an image into its automatic albums (M12): the rules classify
//! follows, without the storage.
//!
//! - The image belongs in exactly the automatic albums its attributes (and
//!   its owner's dates) call for now: [`super::auto_albums_for`].
//! - It comes out of an automatic album classify filed it in that it no
//!   longer belongs in; never out of an album its owner put it in by hand
//!   (those memberships carry no automatic key), whatever its name.
//! - It goes into each album it belongs in and is not in yet, while it is
//!   in fewer than [`super::MAX_ALBUMS_PER_IMAGE`] albums.

use super::MAX_ALBUMS_PER_IMAGE;
use crate::ids::AlbumId;

/// One filing of one image: what to take it out of, and what it may go in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Filing {
    /// `(key, display name)` of each automatic album it belongs in.
    pub wanted: Vec<(String, String)>,
    /// Automatic albums it is in and no longer belongs in.
    pub stale: Vec<AlbumId>,
    /// The albums it stays in, and those it was admitted to since.
    held: Vec<AlbumId>,
}

/// Whether the image goes into an album it belongs in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Admit {
    /// Put it in (and it now counts as held).
    Yes,
    /// It is in it already.
    AlreadyIn,
    /// It is in as many albums as an image may be.
    Full,
}

impl Filing {
    /// Plans a filing from the automatic albums the image belongs in and
    /// its memberships now: each album it is in, with the automatic key
    /// classify filed it under (`None`: its owner put it there).
    pub fn plan(wanted: Vec<(String, String)>, memberships: &[(AlbumId, Option<String>)]) -> Self {
        let (stale, held) = memberships.iter().partition::<Vec<_>, _>(|(_, key)| {
            key.as_ref().is_some_and(|k| !wanted.iter().any(|(w, _)| w == k))
        });
        Self {
            wanted,
            stale: stale.into_iter().map(|(a, _)| a.clone()).collect(),
            held: held.into_iter().map(|(a, _)| a.clone()).collect(),
        }
    }

    /// Whether the image goes into `album`, one it belongs in.
    pub fn admit(&mut self, album: &AlbumId) -> Admit {
        if self.held.contains(album) {
            Admit::AlreadyIn
        } else if self.held.len() >= MAX_ALBUMS_PER_IMAGE {
            Admit::Full
        } else {
            self.held.push(album.clone());
            Admit::Yes
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wanted(keys: &[&str]) -> Vec<(String, String)> {
        keys.iter().map(|k| (k.to_string(), k.to_string())).collect()
    }

    #[test]
    fn only_automatic_memberships_that_no_longer_fit_go() {
        let (old, manual, still) = (AlbumId::generate(), AlbumId::generate(), AlbumId::generate());
        let f = Filing::plan(
            wanted(&["month:2026-05", "event:wedding"]),
            &[
                (old.clone(), Some("month:2026-04".into())),
                (manual.clone(), None),
                (still.clone(), Some("event:wedding".into())),
            ],
        );
        assert_eq!(f.stale, [old]);
        let mut f = f;
        assert_eq!(f.admit(&manual), Admit::AlreadyIn, "a manual add is held");
        assert_eq!(f.admit(&still), Admit::AlreadyIn);
        let new = AlbumId::generate();
        assert_eq!(f.admit(&new), Admit::Yes);
        assert_eq!(f.admit(&new), Admit::AlreadyIn, "admitted once");
    }

    #[test]
    fn an_image_in_as_many_albums_as_allowed_goes_in_no_more() {
        let mine: Vec<_> = (0..MAX_ALBUMS_PER_IMAGE)
            .map(|_| (AlbumId::generate(), None))
            .collect();
        let mut f = Filing::plan(wanted(&["event:x"]), &mine);
        assert!(f.stale.is_empty());
        assert_eq!(f.admit(&AlbumId::generate()), Admit::Full);
        let mut room = Filing::plan(wanted(&["event:x"]), &mine[1..]);
        assert_eq!(room.admit(&AlbumId::generate()), Admit::Yes);
        assert_eq!(room.admit(&AlbumId::generate()), Admit::Full);
    }
}
