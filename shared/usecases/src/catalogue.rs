//! The catalogue (M15, M11): what a customer may order, at what terms, and
//! where. Public: anyone may read it, without a session.

use printvault_domain::lab::{output_locations, OutputLocation};
use printvault_domain::settings::{PricingSettings, Settings};
use printvault_domain::Error;

use crate::Stores;

/// What a customer may order, at what terms, and where.
#[derive(Debug, Clone, PartialEq)]
pub struct Catalogue {
    /// Sizes, media, fees, points and owners' price bounds (settings `pricing`).
    pub pricing: PricingSettings,
    /// Every registered lab's output locations, in location order.
    pub locations: Vec<OutputLocation>,
}

/// The pricing of `settings`, and every output location of every
/// registered lab (one Query of the labs' listing, never a Scan).
pub async fn catalogue(st: &Stores, settings: &Settings) -> Result<Catalogue, Error> {
    let labs = st.labs.listed().await?;
    Ok(Catalogue {
        pricing: settings.pricing.clone(),
        locations: output_locations(&labs),
    })
}
