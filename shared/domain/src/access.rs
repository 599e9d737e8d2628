//! The one permission model (M3, M10-M13, X4): what a caller may do with an
//! image. Every route that shows, lists, searches, links or prints an image
//! asks [`decide`], and answers 404 for anything it does not allow.

use serde::{Deserialize, Serialize};

/// An image's visibility (M10).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Class {
    /// Only the owner and the owner's group.
    #[default]
    Private,
    /// Strangers may look (a preview marked "cannot print"), never print.
    Viewable,
    /// Strangers may look and order prints at the owner's prices.
    Printable,
}

impl Class {
    pub const ALL: [Class; 3] = [Class::Private, Class::Viewable, Class::Printable];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Private => "private",
            Self::Viewable => "viewable",
            Self::Printable => "printable",
        }
    }
}

/// Who is asking, before any relation to the image is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Principal {
    Anonymous,
    Customer,
    Operator,
}

/// Everything that decides access, gathered by the caller of [`decide`]
/// from storage. Each field is a fact about this caller and this image.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Facts {
    pub principal: Principal,
    /// The image is finalised (`ready`). Nobody but its owner sees anything else.
    pub ready: bool,
    /// The owner is in arrears (M24): their shares, grants and public
    /// images stop serving until they pay, to everyone but themselves.
    pub owner_in_arrears: bool,
    pub class: Class,
    pub is_owner: bool,
    /// The caller and the owner are in the same party group (M3).
    pub same_group: bool,
    /// The caller holds a grant of this image (M13).
    pub image_grant: bool,
    /// The caller holds a grant of an album that contains this image (M12).
    pub album_grant: bool,
    /// The request carries a live share link covering this image (X4).
    pub link: Option<LinkTerms>,
}

/// What a share link allows beyond seeing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LinkTerms {
    pub allow_original: bool,
}

/// Which preview the caller gets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Preview {
    Clean,
    /// With a visible "cannot print" mark drawn into the pixels (M10).
    Marked,
}

/// At which price the caller may print.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PrintTerms {
    /// Their own or their group's image: the fixed print fee (M16).
    Own,
    /// Someone else's printable image: the owner's price plus the fee (M17).
    Market,
}

/// The decision. `preview == None` means the image does not exist for the caller.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Access {
    pub preview: Option<Preview>,
    /// Metadata (attributes, class, prices) and the thumbnail.
    pub metadata: bool,
    pub original: bool,
    pub print: Option<PrintTerms>,
}

impl Access {
    pub const NONE: Access = Access {
        preview: None,
        metadata: false,
        original: false,
        print: None,
    };

    pub fn can_see(&self) -> bool {
        self.preview.is_some()
    }

    pub fn allows(&self, action: Action) -> bool {
        match action {
            Action::See => self.can_see(),
            Action::SeeOriginal => self.original,
            Action::Print => self.print.is_some(),
        }
    }
}

/// The actions the matrix tests walk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    See,
    SeeOriginal,
    Print,
}

impl Action {
    pub const ALL: [Action; 3] = [Action::See, Action::SeeOriginal, Action::Print];
}

/// Decides what the caller may do with the image.
pub fn decide(f: &Facts) -> Access {
    let full = |print| Access {
        preview: Some(Preview::Clean),
        metadata: true,
        original: true,
        print,
    };
    if f.is_owner && f.principal == Principal::Customer {
        return full(Some(PrintTerms::Own));
    }
    // Not ready, or its owner in arrears: for anyone else it does not
    // exist (the same answer as for an image that never did).
    if !f.ready || f.owner_in_arrears {
        return Access::NONE;
    }
    let market = (f.class == Class::Printable).then_some(PrintTerms::Market);
    match f.principal {
        // Operators moderate: they see everything, and print nothing.
        Principal::Operator => full(None),
        Principal::Customer if f.same_group => full(Some(PrintTerms::Own)),
        Principal::Customer if f.image_grant || f.album_grant => full(market),
        _ => {
            if let Some(link) = f.link {
                return Access {
                    original: link.allow_original,
                    ..full(market)
                };
            }
            match f.class {
                Class::Private => Access::NONE,
                Class::Viewable => Access {
                    preview: Some(Preview::Marked),
                    metadata: true,
                    original: false,
                    print: None,
                },
                Class::Printable => Access {
                    preview: Some(Preview::Clean),
                    metadata: true,
                    original: false,
                    print: market,
                },
            }
        }
    }
}

#[cfg(test)]
mod tests;
