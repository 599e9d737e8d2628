//! M15, M11: the public catalogue of sizes, media, terms and output locations.

use printvault_domain::catalogue::Medium;
use printvault_domain::money::Yen;
use printvault_domain::pricing::PrintSize;
use printvault_usecases::catalogue::Catalogue;
use serde::Serialize;
use utoipa::ToSchema;

/// What a customer may order, at what terms, and where, as the settings
/// (`pricing`) and the registered labs have it now.
#[derive(Serialize, ToSchema)]
#[schema(example = json!({
    "sizes": [
        {"size": "L", "width_mm": 89, "height_mm": 127, "fee": 20, "points": 2, "owner_price": {"min": 10, "max": 100000}},
        {"size": "2L", "width_mm": 127, "height_mm": 178, "fee": 50, "points": 5, "owner_price": {"min": 10, "max": 100000}}
    ],
    "market": {"points_percent": 5},
    "media": [
        {"medium": "photo_paper", "fee": 0, "points": 0},
        {"medium": "cd", "fee": 300, "points": 3},
        {"medium": "dvd", "fee": 500, "points": 5}
    ],
    "locations": [
        {"location": "delivery-kanto", "lab_name": "Shibuya Photo Lab"},
        {"location": "tokyo-shibuya", "lab_name": "Shibuya Photo Lab"}
    ]
}))]
pub struct CatalogueView {
    /// The print sizes, smallest first.
    pub sizes: Vec<SizeView>,
    pub market: MarketView,
    /// What an order is recorded on.
    pub media: Vec<MediumView>,
    /// Every output location a quote may name, in location order.
    pub locations: Vec<LocationView>,
}

/// A print size and its terms, per print.
#[derive(Serialize, ToSchema)]
pub struct SizeView {
    pub size: PrintSize,
    /// The paper's width in millimetres.
    #[schema(example = 89)]
    pub width_mm: u32,
    /// The paper's height in millimetres.
    #[schema(example = 127)]
    pub height_mm: u32,
    /// The fixed fee per print (M16), whoever's image it is.
    pub fee: Yen,
    /// Points a customer earns per print (M16); a guest earns none.
    #[schema(example = 2)]
    pub points: i64,
    /// The range an owner's price per print of this size must fall in
    /// (M11), both ends included.
    pub owner_price: PriceRangeView,
}

/// An owner's price per print: at least `min`, at most `max` yen.
#[derive(Serialize, ToSchema)]
pub struct PriceRangeView {
    pub min: Yen,
    pub max: Yen,
}

/// The terms of a stranger's printable image (M17): the buyer pays its
/// owner's price per print on top of the size's fee, and earns the size's
/// points plus `points_percent` of the price (rounded down, per print).
#[derive(Serialize, ToSchema)]
pub struct MarketView {
    #[schema(example = 5)]
    pub points_percent: u8,
}

/// A record medium and its terms, once per order (M15).
#[derive(Serialize, ToSchema)]
pub struct MediumView {
    pub medium: Medium,
    /// Added once to an order on this medium.
    pub fee: Yen,
    /// Points a customer earns once per order on it; a guest earns none.
    pub points: i64,
}

/// An output location a quote may name (`location`), and the lab that
/// prints there.
#[derive(Serialize, ToSchema)]
pub struct LocationView {
    #[schema(example = "tokyo-shibuya")]
    pub location: String,
    #[schema(example = "Shibuya Photo Lab")]
    pub lab_name: String,
}

impl From<&Catalogue> for CatalogueView {
    fn from(c: &Catalogue) -> Self {
        let p = &c.pricing;
        let bounds = p.image_price;
        Self {
            sizes: PrintSize::ALL
                .into_iter()
                .map(|size| {
                    let terms = p.prints.size(size);
                    let (width_mm, height_mm) = size.millimetres();
                    SizeView {
                        size,
                        width_mm,
                        height_mm,
                        fee: terms.fee,
                        points: terms.points,
                        owner_price: PriceRangeView {
                            min: bounds.min,
                            max: bounds.max,
                        },
                    }
                })
                .collect(),
            market: MarketView {
                points_percent: p.prints.stranger_points_percent,
            },
            media: Medium::ALL
                .into_iter()
                .map(|medium| {
                    let terms = p.media.of(medium);
                    MediumView {
                        medium,
                        fee: terms.fee,
                        points: terms.points,
                    }
                })
                .collect(),
            locations: c
                .locations
                .iter()
                .map(|l| LocationView {
                    location: l.location.to_string(),
                    lab_name: l.lab_name.clone(),
                })
                .collect(),
        }
    }
}
