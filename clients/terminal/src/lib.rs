//! The store terminal (M33): a photo shop's scans of a customer's film,
//! developed into good photos in the customer's account.
//!
//! So far this crate holds the develop pipeline ([`develop`]): each step a
//! pure function over a frame in linear light at 16-bit precision, in the
//! order the issue sets; reading scans and writing the JPEG ([`scan`]); the
//! contact sheet ([`sheet`]); and the roll's journal that makes a rerun
//! after a crash safe ([`journal`]). The command-line tool (watching the scanner's
//! folder, the journal, the upload and the order) is still to come
//! (`docs/terminal.md`).

pub mod develop;
pub mod journal;
pub mod scan;
#[cfg(test)]
mod scan_tests;
pub mod sheet;
