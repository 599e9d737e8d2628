//! The catalogue (M15): print sizes and record media, and the stock-keeping
//! unit a lab is sent for each pair. Sizes and their fees are in
//! [`crate::pricing`]; the media and theirs are here. Both are settings
//! (`pricing.prints`, `pricing.media`) with SPEC.md's defaults.

use crate::SettingsError;
use serde::{Deserialize, Serialize};

use crate::money::Yen;
use crate::pricing::{PrintSize, SizeTerms};

/// What an order is recorded on (M15): prints on photo paper, or a disc
/// holding the files.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Medium {
    #[default]
    PhotoPaper,
    Cd,
    Dvd,
    /// Blu-ray, single layer: archives (M30) and print files alike.
    Bd,
}

impl Medium {
    pub const ALL: [Medium; 4] = [Medium::PhotoPaper, Medium::Cd, Medium::Dvd, Medium::Bd];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::PhotoPaper => "photo_paper",
            Self::Cd => "cd",
            Self::Dvd => "dvd",
            Self::Bd => "bd",
        }
    }

    /// The packaging a lab uses for it.
    pub fn packaging(self) -> &'static str {
        match self {
            Self::PhotoPaper => "print_envelope",
            Self::Cd | Self::Dvd | Self::Bd => "disc_case",
        }
    }
}

impl PrintSize {
    /// Every size, smallest first.
    pub const ALL: [PrintSize; 2] = [PrintSize::L, PrintSize::TwoL];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::L => "L",
            Self::TwoL => "2L",
        }
    }

    /// The paper size in millimetres (width, height), as labs size a print.
    pub fn millimetres(self) -> (u32, u32) {
        match self {
            Self::L => (89, 127),
            Self::TwoL => (127, 178),
        }
    }
}

/// The stock-keeping unit a lab is sent: size and medium, `L-photo_paper`.
pub fn sku(size: PrintSize, medium: Medium) -> String {
    format!("{}-{}", size.as_str(), medium.as_str())
}

/// Each medium's fee and points, per order (M15). Photo paper is in the
/// price of the prints; a disc is one more item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct MediaRates {
    pub photo_paper: SizeTerms,
    pub cd: SizeTerms,
    pub dvd: SizeTerms,
    pub bd: SizeTerms,
}

impl Default for MediaRates {
    fn default() -> Self {
        Self {
            photo_paper: SizeTerms {
                fee: Yen(0),
                points: 0,
            },
            cd: SizeTerms {
                fee: Yen(300),
                points: 3,
            },
            dvd: SizeTerms {
                fee: Yen(500),
                points: 5,
            },
            bd: SizeTerms {
                fee: Yen(1200),
                points: 12,
            },
        }
    }
}

impl MediaRates {
    pub fn of(&self, m: Medium) -> SizeTerms {
        match m {
            Medium::PhotoPaper => self.photo_paper,
            Medium::Cd => self.cd,
            Medium::Dvd => self.dvd,
            Medium::Bd => self.bd,
        }
    }

    pub fn validate(&self) -> Result<(), SettingsError> {
        if Medium::ALL
            .iter()
            .any(|m| self.of(*m).fee.0 < 0 || self.of(*m).points < 0)
        {
            return Err(SettingsError {
                field: "pricing.media",
                rule: "media fees and points must not be negative".into(),
            });
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn skus_name_size_and_medium() {
        assert_eq!(sku(PrintSize::TwoL, Medium::PhotoPaper), "2L-photo_paper");
        assert_eq!(sku(PrintSize::L, Medium::Dvd), "L-dvd");
        assert_eq!(
            serde_json::to_string(&Medium::PhotoPaper).unwrap(),
            "\"photo_paper\""
        );
    }

    #[test]
    fn negative_media_fees_are_refused() {
        let mut m = MediaRates::default();
        assert!(m.validate().is_ok());
        m.cd.fee = Yen(-1);
        assert!(m.validate().is_err());
    }
}
