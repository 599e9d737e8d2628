//! Sharing (M3, M4, M12, M13, X4): party groups, grants of one image or
//! album to one named customer, share links, and profile shares. The types
//! carry their rules; the adapters only map them to items.

mod grant;
mod group;
mod link;
mod profile_share;
mod waiting;

pub use grant::{Grant, Target};
pub use group::{check_room, group_name, Group, Invitation, Member, Membership, MAX_GROUPS};
pub use link::Link;
pub use profile_share::{share_fields, ProfileShare, SHAREABLE};
pub use waiting::{GivenGrant, GivenProfileShare, Recipient, WaitingGrant, WaitingProfileShare};
