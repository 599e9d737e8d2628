//! The use cases: one function per thing a customer, an operator or a
//! schedule does. Each takes typed input, the stores it needs and `now`, and
//! returns a typed result or the domain's [`Error`](printvault_domain::Error).
//!
//! The layers, top to bottom: `functions/*` (parse an event or request, call
//! one use case, map the result) → this crate → `printvault-adapters` (AWS)
//! and `printvault-domain` (rules, no I/O). Where a use case's order of
//! steps or its retries matter, it is written over the narrow [`ports`] and
//! unit-tested with in-memory fakes; the rest take [`Stores`] directly.

pub mod access;
pub mod accounts;
pub mod albums;
pub mod anniversaries;
pub mod archive;
pub mod archive_moves;
pub mod billing;
pub mod blocklist;
pub mod catalogue;
#[cfg(test)]
mod crashing;
pub mod export;
pub mod images;
mod mail_limits;
pub mod notices;
pub mod orders;
pub mod ports;
pub mod search;
pub mod sharing;
pub mod stores;
pub mod sweeps;
pub mod trash;
pub mod uploads;

pub use stores::Stores;
