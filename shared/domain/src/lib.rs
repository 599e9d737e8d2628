//! printvault's domain: models, newtypes and rules. It knows nothing of AWS or
//! Lambda, so its tests run in milliseconds.
//!
//! Types are parsed at the edge (`Email::parse`, `ImageId::parse`, …), so a value
//! of one of these types is valid by construction.

pub mod access;
pub mod account;
pub mod album;
pub mod anniversary;
pub mod archive;
pub mod attributes;
pub mod billing;
pub mod catalogue;
pub mod classification;
pub mod dispatch;
pub mod error;
pub mod export;
pub mod guessing;
pub mod ids;
pub mod image;
pub mod image_event;
pub mod lab;
pub mod lab_report;
pub mod ledger;
pub mod money;
pub mod notice;
pub mod order;
pub mod payment;
pub mod pricing;
pub mod profile;
pub mod retention;
pub mod screening;
pub mod search;
pub mod settings;
pub mod sharing;
pub mod trash;
pub mod upload;
pub mod when;
pub mod xmp;

pub use error::{
    CannotApply, Clash, Counted, Error, Form, Limit, Problem, Result, Rule, SettingsError, Thing,
    Unauthenticated, WebhookRefusal,
};
