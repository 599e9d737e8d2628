//! M14 search results.

use printvault_domain::access::{Class, Preview};
use printvault_domain::classification::Prices;
use printvault_domain::ids::ImageId;
use printvault_usecases::search::{Found, Relation};
use serde::Serialize;
use utoipa::ToSchema;

/// How the caller comes to see a result.
#[derive(Serialize, ToSchema, Clone, Copy)]
#[serde(rename_all = "lowercase")]
pub enum RelationView {
    Own,
    Group,
    Granted,
    Public,
}

#[derive(Serialize, ToSchema)]
pub struct SearchResult {
    pub image_id: ImageId,
    pub relation: RelationView,
    pub class: Class,
    pub width: u32,
    pub height: u32,
    pub preview_marked: bool,
    pub printable: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub taken_at: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub prices: Option<Prices>,
}

impl From<Found> for SearchResult {
    fn from(f: Found) -> Self {
        let e = f.entry;
        Self {
            image_id: e.image_id,
            relation: match f.relation {
                Relation::Own => RelationView::Own,
                Relation::Group => RelationView::Group,
                Relation::Granted => RelationView::Granted,
                Relation::Public => RelationView::Public,
            },
            class: e.class,
            width: e.width,
            height: e.height,
            preview_marked: f.access.preview == Some(Preview::Marked),
            printable: f.access.print.is_some(),
            taken_at: e.taken_at,
            prices: e.prices.filter(|_| e.class == Class::Printable),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct SearchPageView {
    pub results: Vec<SearchResult>,
    /// Pass back as `cursor` for the next page; null when there is none.
    pub next_cursor: Option<String>,
}
