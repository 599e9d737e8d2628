//! Adapters between the domain's ports and AWS.
pub mod names;
