//! One of each thing the domain finds missing, for the walk in `errors.rs`;
//! the list ends in a `match` without a wildcard.

use printvault_domain::Thing;

pub fn every_thing() -> Vec<Thing> {
    let all = vec![
        Thing::Album,
        Thing::BlocklistEntry,
        Thing::Customer,
        Thing::Export,
        Thing::Grant,
        Thing::Group,
        Thing::Image,
        Thing::Invitation,
        Thing::Invoice,
        Thing::Job,
        Thing::Lab,
        Thing::Link,
        Thing::Member,
        Thing::Order,
        Thing::OrderLine,
        Thing::Profile,
        Thing::ProfileShare,
        Thing::Proposal,
        Thing::Quote,
    ];
    for t in &all {
        match t {
            Thing::Album
            | Thing::BlocklistEntry
            | Thing::Customer
            | Thing::Export
            | Thing::Grant
            | Thing::Group
            | Thing::Image
            | Thing::Invitation
            | Thing::Invoice
            | Thing::Job
            | Thing::Lab
            | Thing::Link
            | Thing::Member
            | Thing::Order
            | Thing::OrderLine
            | Thing::Profile
            | Thing::ProfileShare
            | Thing::Proposal
            | Thing::Quote => {}
        }
    }
    all
}
