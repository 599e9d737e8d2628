//! The full export (X3): everything a customer has, in ZIP parts they can
//! read with any unzip tool. This module is the format, with no I/O: the
//! streaming ZIP writer ([`zip`]) and where each image goes ([`plan`]).

pub mod job;
pub mod manifest;
pub mod plan;
mod records;
pub mod zip;

pub use records::{entry_overhead, END_OVERHEAD};
