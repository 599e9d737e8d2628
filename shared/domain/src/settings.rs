//! Business settings: one validated structure with SPEC.md's defaults. The
//! operator overrides any part with JSON (`PRINTVAULT_SETTINGS`); invalid
//! settings are refused at start.

use serde::{Deserialize, Serialize};

use crate::money::Yen;
use crate::screening::MAX_SUPPORTED_DISTANCE;
use crate::SettingsError;

const MIB: u64 = 1024 * 1024;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Settings {
    pub uploads: UploadSettings,
    pub screening: ScreeningSettings,
    pub sessions: SessionSettings,
    pub accounts: AccountSettings,
    pub listing: ListingSettings,
    pub pricing: PricingSettings,
    pub links: LinkSettings,
    pub search: SearchSettings,
    pub quotas: QuotaSettings,
    pub orders: OrderSettings,
    pub mail: MailSettings,
    pub billing: crate::billing::BillingSettings,
    pub sweeps: crate::billing::SweepSettings,
    pub retention: crate::retention::RetentionSettings,
    pub anniversaries: crate::anniversary::AnniversarySettings,
    /// Archiving to a disc (M29-M32).
    pub archive: crate::archive::ArchiveSettings,
    /// The trash a deleted image waits in before it is purged.
    pub trash: crate::trash::TrashSettings,
    /// The full export (X3).
    pub exports: crate::export::job::ExportSettings,
}

/// Quotes and orders (M15-M20).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct OrderSettings {
    /// A quote can be ordered for this long.
    pub quote_ttl_minutes: u32,
    /// Lines in one quote (and order).
    pub max_lines: u32,
    /// An `Idempotency-Key` is remembered this long (the draft asks for at
    /// least 24 hours).
    pub idempotency_ttl_hours: u32,
    /// A request holding a key answers 409 to its twins this long; past it
    /// the key is taken to be abandoned (a crashed request) and may be reused.
    pub idempotency_lease_secs: u32,
    /// A guest's order waits this long for its emailed link to be opened.
    pub guest_confirm_ttl_minutes: u32,
    /// A lab job's image URLs work this long. Deployed, URLs signed by a
    /// Lambda role also stop when its session does (at most 12 hours).
    pub asset_url_ttl_hours: u32,
}

impl Default for OrderSettings {
    fn default() -> Self {
        Self {
            quote_ttl_minutes: 30,
            max_lines: 40,
            idempotency_ttl_hours: 24,
            idempotency_lease_secs: 60,
            guest_confirm_ttl_minutes: 60,
            asset_url_ttl_hours: 6,
        }
    }
}

/// Per-address limits on the mail anyone can make us send to an address
/// they name (issue 18, item 10): registering, changing an account's
/// address, and guests' order confirmations. Counted by the SHA-256 of the
/// normalised address, per clock hour and per UTC day. Past a limit the
/// mail is not sent and the caller gets the same answer as when it is (so
/// the limit tells nothing about the address); the api logs it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct MailSettings {
    pub per_address_per_hour: u32,
    pub per_address_per_day: u32,
}

impl Default for MailSettings {
    fn default() -> Self {
        Self {
            per_address_per_hour: 5,
            per_address_per_day: 20,
        }
    }
}

/// Per-customer limits (issue 7, item 6), so that nobody can grow storage
/// or another customer's lists without bound.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct QuotaSettings {
    /// Uploads asked for and not yet finalised (429 past it).
    pub pending_uploads: u32,
    /// Albums, manual and automatic (409 past it).
    pub albums: u32,
    /// Share links not yet expired (409 past it).
    pub live_links: u32,
    /// Open invitations of one group (409 past it). A customer is in at
    /// most 20 groups, so this bounds their open invitations too.
    pub open_invitations_per_group: u32,
    /// An invitation not accepted by then lapses.
    pub invitation_ttl_days: u32,
    /// A pending upload whose bytes never came is forgotten this long after
    /// its upload URL expired (its record has a TTL).
    pub pending_upload_grace_hours: u32,
}

impl Default for QuotaSettings {
    fn default() -> Self {
        Self {
            pending_uploads: 100,
            albums: 2000,
            live_links: 500,
            open_invitations_per_group: 50,
            invitation_ttl_days: 14,
            pending_upload_grace_hours: 24,
        }
    }
}

/// Search (M14).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SearchSettings {
    /// Write shards of each public index term. Changing it needs a reindex.
    pub public_shards: u32,
    pub default_page_size: u32,
    pub max_page_size: u32,
    /// Index items one page may read; a page that reaches it returns the
    /// results found so far (maybe none) with a cursor, so a filter that
    /// matches little of a popular term never runs a request long.
    pub max_items_per_page: u32,
    /// Images shared with the caller (granted, or in granted albums) that a
    /// search considers.
    pub max_granted_images: u32,
}

impl Default for SearchSettings {
    fn default() -> Self {
        Self {
            public_shards: 4,
            default_page_size: 20,
            max_page_size: 100,
            max_items_per_page: 1000,
            max_granted_images: 200,
        }
    }
}

/// Share links (X4).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LinkSettings {
    pub default_ttl_hours: u64,
    pub max_ttl_hours: u64,
}

impl Default for LinkSettings {
    fn default() -> Self {
        Self {
            default_ttl_hours: 24 * 7,
            max_ttl_hours: 24 * 90,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct UploadSettings {
    /// Largest upload, signed into the PUT URL and re-checked on finalise.
    pub max_bytes: u64,
    /// Lifetime of a presigned upload URL.
    pub url_ttl_secs: u64,
    /// Decoder limits, checked from the header before any big allocation.
    pub max_pixels: u64,
    pub max_width: u32,
    pub max_height: u32,
    pub max_alloc_bytes: u64,
    /// Long edge of the thumbnail and of the preview, in pixels.
    pub thumb_long_edge: u32,
    pub preview_long_edge: u32,
    pub jpeg_quality: u8,
    /// Make previews of large progressive JPEGs without their final AC refinement scans
    /// (`printvault_imaging::Renditions::fast_progressive`): 35–50 % faster, a fraction of
    /// a dB in the preview. `false` decodes every scan.
    pub fast_progressive_previews: bool,
    /// Lifetime of presigned image (GET) URLs.
    pub image_url_ttl_secs: u64,
    /// upload-finalise starts a message only with this much of its Lambda
    /// time left (the longest one upload takes); the rest of the batch is
    /// handed back, to come again in a fresh invocation.
    pub finalise_reserve_secs: u64,
    /// upload-finalise handles up to this many messages of one batch at once:
    /// their S3 and DynamoDB calls overlap, and with more than one vCPU their
    /// decoding too. The reserve above must then cover an upload that shares
    /// the CPU with the others.
    pub finalise_in_flight: u32,
    /// The share of upload-finalise's memory (`AWS_LAMBDA_FUNCTION_MEMORY_SIZE`)
    /// that uploads in flight may reserve: each its bytes plus what decoding
    /// it takes (`printvault_imaging::memory_needed`). The rest is the
    /// runtime's, and that of downloads waiting for their turn (at most
    /// `finalise_in_flight` × `max_bytes`).
    pub finalise_memory_percent: u8,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ScreeningSettings {
    /// Perceptual hashes within this Hamming distance of a blocklist entry match it.
    pub max_phash_distance: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SessionSettings {
    pub ttl_hours: u64,
}

/// Accounts (M1): address verification.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AccountSettings {
    /// Lifetime of an emailed verification code, for a new account or a
    /// new address.
    pub verification_ttl_minutes: u64,
    /// Failed-login limits (`crate::guessing`).
    pub guessing: GuessingSettings,
}

impl Default for AccountSettings {
    fn default() -> Self {
        Self {
            verification_ttl_minutes: 60,
            guessing: GuessingSettings::default(),
        }
    }
}

/// Failed logins allowed before each further one locks, and the locks.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct GuessingSettings {
    pub free_failures_per_account: u32,
    /// Higher: many customers can share one address (an office, a carrier's NAT).
    pub free_failures_per_source: u32,
    /// The first lock; each further failure doubles it.
    pub base_delay_secs: u64,
    pub max_delay_secs: u64,
    /// A count is forgotten this long after its last failure.
    pub forget_after_hours: u64,
}

impl Default for GuessingSettings {
    fn default() -> Self {
        Self {
            free_failures_per_account: 5,
            free_failures_per_source: 20,
            base_delay_secs: 2,
            max_delay_secs: 15 * 60,
            forget_after_hours: 24,
        }
    }
}

/// The range an owner's price per print must fall in (M11).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PriceBounds {
    pub min: Yen,
    pub max: Yen,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PricingSettings {
    /// Bounds on the owner's price of a printable image, per print.
    pub image_price: PriceBounds,
    /// Print fees, points and the owner's share (M16, M17).
    pub prints: crate::pricing::PrintRates,
    /// Record media and their fees and points (M15).
    pub media: crate::catalogue::MediaRates,
}

impl Default for PricingSettings {
    fn default() -> Self {
        Self {
            image_price: PriceBounds {
                min: Yen(10),
                max: Yen(100_000),
            },
            prints: Default::default(),
            media: Default::default(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ListingSettings {
    pub default_page_size: u32,
    pub max_page_size: u32,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            uploads: UploadSettings::default(),
            screening: ScreeningSettings {
                max_phash_distance: 6,
            },
            sessions: SessionSettings { ttl_hours: 24 * 7 },
            accounts: AccountSettings::default(),
            listing: ListingSettings {
                default_page_size: 50,
                max_page_size: 200,
            },
            pricing: PricingSettings::default(),
            links: LinkSettings::default(),
            search: SearchSettings::default(),
            quotas: QuotaSettings::default(),
            orders: OrderSettings::default(),
            mail: MailSettings::default(),
            billing: Default::default(),
            sweeps: Default::default(),
            retention: Default::default(),
            anniversaries: Default::default(),
            archive: Default::default(),
            trash: Default::default(),
            exports: Default::default(),
        }
    }
}

impl Default for UploadSettings {
    fn default() -> Self {
        Self {
            max_bytes: 50 * MIB,
            url_ttl_secs: 15 * 60,
            max_pixels: 100_000_000,
            max_width: 20_000,
            max_height: 20_000,
            max_alloc_bytes: 512 * MIB,
            thumb_long_edge: 256,
            preview_long_edge: 1600,
            jpeg_quality: 82,
            fast_progressive_previews: true,
            image_url_ttl_secs: 5 * 60,
            finalise_reserve_secs: 10,
            finalise_in_flight: 4,
            finalise_memory_percent: 70,
        }
    }
}

impl Default for ScreeningSettings {
    fn default() -> Self {
        Settings::default().screening
    }
}
impl Default for SessionSettings {
    fn default() -> Self {
        Settings::default().sessions
    }
}
impl Default for ListingSettings {
    fn default() -> Self {
        Settings::default().listing
    }
}

fn check(ok: bool, field: &'static str, rule: &str) -> Result<(), SettingsError> {
    SettingsError::unless(ok, field, rule)
}

impl Settings {
    /// Parses operator JSON over the defaults; an empty string means defaults.
    pub fn from_json(json: &str) -> Result<Self, SettingsError> {
        let s: Settings = if json.trim().is_empty() {
            Settings::default()
        } else {
            serde_json::from_str(json).map_err(|e| SettingsError {
                field: "settings",
                rule: format!("not settings JSON: {e}"),
            })?
        };
        s.validate()?;
        Ok(s)
    }

    pub fn validate(&self) -> Result<(), SettingsError> {
        let u = &self.uploads;
        check(
            u.max_bytes >= 1 && u.max_bytes <= 5 * 1024 * MIB,
            "uploads.max_bytes",
            "uploads.max_bytes must be between 1 byte and 5 GiB (one S3 PUT)",
        )?;
        check(
            (60..=7 * 24 * 3600).contains(&u.url_ttl_secs),
            "uploads.url_ttl_secs",
            "uploads.url_ttl_secs must be between 60 s and 7 days (SigV4's limit)",
        )?;
        check(
            (60..=7 * 24 * 3600).contains(&u.image_url_ttl_secs),
            "uploads.image_url_ttl_secs",
            "uploads.image_url_ttl_secs must be between 60 s and 7 days",
        )?;
        check(
            u.max_pixels >= 1,
            "uploads.max_pixels",
            "uploads.max_pixels must be positive",
        )?;
        check(
            u.max_width >= 1 && u.max_height >= 1,
            "uploads.max_width",
            "uploads.max_width and max_height must be positive",
        )?;
        check(
            u.max_alloc_bytes >= 16 * MIB,
            "uploads.max_alloc_bytes",
            "uploads.max_alloc_bytes must be at least 16 MiB",
        )?;
        check(
            u.thumb_long_edge >= 16 && u.thumb_long_edge <= u.preview_long_edge,
            "uploads.thumb_long_edge",
            "uploads.thumb_long_edge must be at least 16 and at most preview_long_edge",
        )?;
        check(
            u.preview_long_edge <= 8192,
            "uploads.preview_long_edge",
            "uploads.preview_long_edge must be at most 8192",
        )?;
        check(
            (1..=10).contains(&u.finalise_in_flight),
            "uploads.finalise_in_flight",
            "uploads.finalise_in_flight must be 1 to 10 (an SQS batch's size)",
        )?;
        check(
            (10..=90).contains(&u.finalise_memory_percent),
            "uploads.finalise_memory_percent",
            "uploads.finalise_memory_percent must be 10 to 90",
        )?;
        check(
            (1..=100).contains(&u.jpeg_quality),
            "uploads.jpeg_quality",
            "uploads.jpeg_quality must be 1 to 100",
        )?;
        check(self.screening.max_phash_distance <= MAX_SUPPORTED_DISTANCE, "screening.max_phash_distance", &format!("screening.max_phash_distance must be at most {MAX_SUPPORTED_DISTANCE}, the distance the blocklist index guarantees"))?;
        check(
            self.sessions.ttl_hours >= 1,
            "sessions.ttl_hours",
            "sessions.ttl_hours must be at least 1",
        )?;
        check(
            (1..=7 * 24 * 60).contains(&self.accounts.verification_ttl_minutes),
            "accounts.verification_ttl_minutes",
            "accounts.verification_ttl_minutes must be 1 to 10080 (a week)",
        )?;
        self.billing.validate()?;
        self.sweeps.validate()?;
        self.retention.validate()?;
        self.anniversaries.validate()?;
        self.archive.validate()?;
        self.trash.validate()?;
        self.exports.validate()?;
        self.pricing.prints.validate()?;
        self.pricing.media.validate()?;
        let o = &self.orders;
        check(
            (1..=24 * 60).contains(&o.quote_ttl_minutes)
                && (1..=7 * 24 * 60).contains(&o.guest_confirm_ttl_minutes),
            "orders",
            "orders.quote_ttl_minutes must be 1 to 1440, and orders.guest_confirm_ttl_minutes 1 to 10080",
        )?;
        check(
            (1..=40).contains(&o.max_lines),
            "orders.max_lines",
            "orders.max_lines must be 1 to 40 (an order is placed in one DynamoDB transaction of at most 100 items)",
        )?;
        check(
            (1..=12).contains(&o.asset_url_ttl_hours),
            "orders.asset_url_ttl_hours",
            "orders.asset_url_ttl_hours must be 1 to 12 (a Lambda role's session lasts at most 12 hours)",
        )?;
        check(
            o.idempotency_ttl_hours >= 24 && (1..=900).contains(&o.idempotency_lease_secs),
            "orders",
            "orders.idempotency_ttl_hours must be at least 24, and orders.idempotency_lease_secs 1 to 900",
        )?;
        let m = &self.mail;
        check(
            m.per_address_per_hour >= 1 && m.per_address_per_hour <= m.per_address_per_day,
            "mail",
            "mail needs 1 <= per_address_per_hour <= per_address_per_day",
        )?;
        let q = &self.quotas;
        check(
            [
                q.pending_uploads,
                q.albums,
                q.live_links,
                q.open_invitations_per_group,
                q.invitation_ttl_days,
            ]
            .iter()
            .all(|v| *v >= 1),
            "quotas",
            "every quota and invitation_ttl_days must be at least 1",
        )?;
        let g = &self.accounts.guessing;
        check(
            g.free_failures_per_account >= 1 && g.free_failures_per_source >= g.free_failures_per_account,
            "accounts.guessing",
            "accounts.guessing needs 1 <= free_failures_per_account <= free_failures_per_source",
        )?;
        check(
            g.base_delay_secs >= 1 && g.base_delay_secs <= g.max_delay_secs && g.forget_after_hours >= 1,
            "accounts.guessing",
            "accounts.guessing needs 1 <= base_delay_secs <= max_delay_secs and forget_after_hours >= 1",
        )?;
        let l = &self.listing;
        check(
            l.default_page_size >= 1 && l.default_page_size <= l.max_page_size && l.max_page_size <= 1000,
            "listing.default_page_size",
            "listing page sizes must satisfy 1 <= default <= max <= 1000",
        )?;
        let k = &self.links;
        check(
            k.default_ttl_hours >= 1 && k.default_ttl_hours <= k.max_ttl_hours,
            "links.default_ttl_hours",
            "links need 1 <= default_ttl_hours <= max_ttl_hours",
        )?;
        let q = &self.search;
        check(
            (1..=64).contains(&q.public_shards),
            "search.public_shards",
            "search.public_shards must be 1 to 64",
        )?;
        check(
            q.default_page_size >= 1 && q.default_page_size <= q.max_page_size && q.max_page_size <= 500,
            "search.default_page_size",
            "search page sizes must satisfy 1 <= default <= max <= 500",
        )?;
        check(
            q.max_items_per_page >= 2 * q.max_page_size,
            "search.max_items_per_page",
            "search.max_items_per_page must be at least twice search.max_page_size",
        )?;
        let p = &self.pricing.image_price;
        check(
            p.min.0 >= 0 && p.min <= p.max,
            "pricing.image_price",
            "pricing.image_price needs 0 <= min <= max",
        )?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_readme_shows_the_real_defaults() {
        let readme = include_str!("../../../README.md");
        let block = readme
            .split("`PRINTVAULT_SETTINGS` defaults")
            .nth(1)
            .and_then(|rest| rest.split("```json").nth(1))
            .and_then(|rest| rest.split("```").next())
            .expect("README has a JSON block of the settings defaults");
        let shown: serde_json::Value = serde_json::from_str(block).expect("README's defaults are JSON");
        let real = serde_json::to_value(Settings::default()).unwrap();
        assert_eq!(
            shown, real,
            "README.md's PRINTVAULT_SETTINGS defaults are out of date"
        );
    }

    #[test]
    fn defaults_follow_the_spec_and_validate() {
        let s = Settings::from_json("").unwrap();
        assert_eq!(s.uploads.max_bytes, 50 * MIB);
        assert_eq!(s.uploads.thumb_long_edge, 256);
        assert_eq!(s.uploads.preview_long_edge, 1600);
    }

    #[test]
    fn partial_overrides_keep_other_defaults() {
        let s = Settings::from_json(r#"{"uploads":{"max_bytes":1048576}}"#).unwrap();
        assert_eq!(s.uploads.max_bytes, MIB);
        assert_eq!(s.uploads.url_ttl_secs, 900);
    }

    #[test]
    fn invalid_settings_are_refused_with_a_reason() {
        for bad in [
            r#"{"screening":{"max_phash_distance":9}}"#,
            r#"{"uploads":{"thumb_long_edge":4000}}"#,
            r#"{"uploads":{"max_byts":1}}"#,
            r#"{"uploads":{"jpeg_quality":0}}"#,
            r#"not json"#,
            r#"{"pricing":{"image_price":{"min":100,"max":10}}}"#,
            r#"{"mail":{"per_address_per_hour":0}}"#,
            r#"{"mail":{"per_address_per_hour":30,"per_address_per_day":20}}"#,
        ] {
            let e = Settings::from_json(bad).unwrap_err();
            assert!(e.to_string().contains("settings"), "{bad}: {e}");
        }
    }
}
