//! The local runner plays the parts of AWS that moto cannot: API Gateway (it
//! serves the api router over HTTP), the SQS event source mappings (it
//! long-polls each queue and calls the same handler crates, honouring partial
//! batch failures) and EventBridge schedules (it fires each sweep itself,
//! on a timer or for a chosen day, with a simulated clock if asked). It also
//! serves the customer web page next to the api ([`web`]), plays the
//! payment provider's hosted checkout ([`checkout`]), and lets a test move
//! the whole stack's clock ahead by hand ([`clock`]).
//!
//! The integration tests use this library too, so `make run` and `make test`
//! exercise the same wiring.

mod banner;
pub mod checkout;
pub mod clock;
mod drive;
pub mod moto;
mod notifications;
mod options;
pub mod pay;
pub mod poller;
pub mod presign;
pub mod provision;
pub mod queues;
pub mod schedule;
pub mod stack;
mod tables;
pub mod web;

pub use stack::{Stack, StackOptions};
