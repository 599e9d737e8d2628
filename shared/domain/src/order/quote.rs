//! A quote: lines priced for one buyer, at one location, on one medium.

use crate::when::Timestamp;
use crate::{Problem, Rule};
use serde::{Deserialize, Serialize};
use std::collections::HashSet;

use super::{BuyerRef, Slug};
use crate::catalogue::{MediaRates, Medium};
use crate::ids::{CustomerId, ImageId, QuoteId};
use crate::money::Yen;
use crate::pricing::{price_line, Buyer, LinePrice, PrintRates, PrintSize, Source, MAX_COPIES};
use crate::Error;

/// One line asked for: prints of an image at a size.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LineRequest {
    pub image_id: ImageId,
    pub size: PrintSize,
    /// Copies, 1 to 1000.
    pub quantity: u32,
}

/// The body of `POST /v1/quotes`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({"lines": [{"image_id": "img_01JDQ3V6ZK8R2M4N5P6Q7R8S9T", "size": "L", "quantity": 2}], "location": "tokyo-shibuya", "medium": "photo_paper"})))]
pub struct QuoteRequest {
    pub lines: Vec<LineRequest>,
    /// The output location: which lab prints it, and where it goes.
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "tokyo-shibuya"))]
    pub location: Slug,
    #[serde(default)]
    pub medium: Medium,
}

impl QuoteRequest {
    /// 1 to `max_lines` lines, each image and size at most once, each
    /// quantity 1 to 1000.
    pub fn validate(&self, max_lines: usize) -> Result<(), Error> {
        if self.lines.is_empty() || self.lines.len() > max_lines {
            return Err(Error::invalid(
                "lines",
                Problem::Count {
                    min: 1,
                    max: max_lines,
                },
            ));
        }
        let mut seen = HashSet::new();
        for l in &self.lines {
            if !seen.insert((&l.image_id, l.size)) {
                return Err(Error::rule(
                    "lines",
                    Rule::LineTwice {
                        image: l.image_id.clone(),
                        size: l.size,
                    },
                ));
            }
            if l.quantity == 0 || l.quantity > MAX_COPIES {
                return Err(Error::invalid("quantity", Problem::range(1, MAX_COPIES)));
            }
        }
        Ok(())
    }
}

/// A priced line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuotedLine {
    /// 1-based, in the order asked.
    pub line: u32,
    pub image_id: ImageId,
    pub owner: CustomerId,
    pub size: PrintSize,
    pub copies: u32,
    /// A stranger's image, at its owner's price (M17); otherwise the
    /// buyer's own or their group's (M16).
    pub market: bool,
    /// The owner's price per print for a stranger's image; 0 for one's own.
    pub image_price: Yen,
    pub amount: Yen,
    pub points: i64,
    pub owner_share: Yen,
    pub commission: Yen,
}

impl QuotedLine {
    pub fn price(&self) -> LinePrice {
        LinePrice {
            amount: self.amount,
            points: self.points,
            owner_share: self.owner_share,
            commission: self.commission,
        }
    }
}

/// A line the permission model allows, with its owner and terms.
#[derive(Debug, Clone)]
pub struct Printable {
    pub request: LineRequest,
    pub owner: CustomerId,
    pub source: Source,
}

/// A priced offer, kept until `expires_at`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Quote {
    pub quote_id: QuoteId,
    pub buyer: BuyerRef,
    pub location: Slug,
    pub lab_id: Slug,
    pub medium: Medium,
    pub lines: Vec<QuotedLine>,
    pub medium_fee: Yen,
    /// The prints and the medium.
    pub total: Yen,
    /// Points the buyer earns once everything is printed.
    pub points: i64,
    pub created_at: Timestamp,
    pub expires_at: Timestamp,
    /// Unix seconds of `expires_at` (the table's TTL attribute).
    pub ttl: i64,
    /// An archive disc (M30) instead of prints: then it has no lines, and
    /// its medium is the disc.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub archive: Option<super::ArchiveTerms>,
}

/// What a quote is made at: where, on what, and when.
pub struct QuoteTerms<'a> {
    pub quote_id: QuoteId,
    pub buyer: BuyerRef,
    pub location: Slug,
    pub lab_id: Slug,
    pub medium: Medium,
    pub rates: &'a PrintRates,
    pub media: &'a MediaRates,
    pub created_at: Timestamp,
    pub expires_at: Timestamp,
    pub ttl: i64,
}

impl Quote {
    /// Prices every line and the medium, and adds them up.
    pub fn build(t: QuoteTerms<'_>, lines: Vec<Printable>) -> Result<Self, Error> {
        let buyer = t.buyer.pricing();
        let mut quoted = Vec::with_capacity(lines.len());
        for (i, p) in lines.into_iter().enumerate() {
            let price = price_line(t.rates, p.request.size, p.source, buyer, p.request.quantity)?;
            quoted.push(QuotedLine {
                line: i as u32 + 1,
                image_id: p.request.image_id,
                owner: p.owner,
                size: p.request.size,
                copies: p.request.quantity,
                market: matches!(p.source, Source::Stranger { .. }),
                image_price: match p.source {
                    Source::Own => Yen(0),
                    Source::Stranger { price } => price,
                },
                amount: price.amount,
                points: price.points,
                owner_share: price.owner_share,
                commission: price.commission,
            });
        }
        let medium = t.media.of(t.medium);
        let medium_points = match buyer {
            Buyer::Customer => medium.points,
            Buyer::Guest => 0,
        };
        Ok(Self {
            total: Yen(quoted.iter().map(|l| l.amount.0).sum::<i64>() + medium.fee.0),
            points: quoted.iter().map(|l| l.points).sum::<i64>() + medium_points,
            quote_id: t.quote_id,
            buyer: t.buyer,
            location: t.location,
            lab_id: t.lab_id,
            medium: t.medium,
            lines: quoted,
            medium_fee: medium.fee,
            created_at: t.created_at,
            expires_at: t.expires_at,
            ttl: t.ttl,
            archive: None,
        })
    }

    /// A quote for an archive disc (M30): no prints, the disc's fee and
    /// points (the medium `t` names must be the disc's).
    pub fn for_archive(t: QuoteTerms<'_>, terms: super::ArchiveTerms) -> Result<Self, Error> {
        debug_assert_eq!(t.medium, terms.disc.medium());
        let mut q = Self::build(t, Vec::new())?;
        q.archive = Some(terms);
        Ok(q)
    }

    /// The points the medium earns (what the lines do not).
    pub fn medium_points(&self) -> i64 {
        self.points - self.lines.iter().map(|l| l.points).sum::<i64>()
    }
}
