//! DynamoDB key formats and the S3 key layout.

use printvault_domain::ids::{BlocklistEntryId, CustomerId, ImageId, OrderId, ProposalId};

// accounts table
pub fn customer_pk(c: &CustomerId) -> String {
    format!("CUST#{c}")
}
pub const PROFILE_SK: &str = "PROFILE";
pub fn email_pk(email: &str) -> String {
    format!("EMAIL#{email}")
}
pub const EMAIL_SK: &str = "EMAIL";
pub fn session_pk(digest: &str) -> String {
    format!("SESSION#{digest}")
}
pub const SESSION_SK: &str = "SESSION";
/// A pending address verification, by the SHA-256 of its code.
pub fn verification_pk(digest: &str) -> String {
    format!("VERIFY#{digest}")
}
pub const VERIFICATION_SK: &str = "VERIFY";
/// The notifier's claim on a notice ID (sent once).
pub fn notice_pk(notice_id: &str) -> String {
    format!("NOTICE#{notice_id}")
}
pub const NOTICE_SK: &str = "NOTICE";
/// The partition of the notices flagged for an operator (a bounce or a
/// complaint), one item per notice ID.
pub const MAIL_FLAG_PK: &str = "MAILFLAG";
/// Failed logins counted against one account (by the SHA-256 of its
/// address) or one source address.
pub fn guess_account_pk(email_digest: &str) -> String {
    format!("GUESS#ACCOUNT#{email_digest}")
}
pub fn guess_source_pk(source: &str) -> String {
    format!("GUESS#SOURCE#{source}")
}
pub const GUESS_SK: &str = "GUESS";
/// The mails sent to one address (by the SHA-256 of it), one item per
/// window: `HOUR#<unix hour>` and `DAY#<unix day>`.
pub fn mail_count_pk(email_digest: &str) -> String {
    format!("MAILCOUNT#{email_digest}")
}

// images table: one partition per customer.
pub fn image_sk(i: &ImageId) -> String {
    format!("IMG#{i}")
}
pub const IMAGE_SK_PREFIX: &str = "IMG#";
/// Finds an image's owner from its ID alone, for callers who are not the owner.
pub fn image_ref_pk(i: &ImageId) -> String {
    format!("IMGREF#{i}")
}
pub const IMAGE_REF_SK: &str = "OWNER";
/// A pending upload, counted against the customer's quota until it settles
/// or lapses (`expires_at`, TTL).
pub fn pending_upload_sk(i: &ImageId) -> String {
    format!("PENDING#{i}")
}
pub const PENDING_UPLOAD_PREFIX: &str = "PENDING#";
pub fn hash_claim_sk(sha256_hex: &str) -> String {
    format!("SHA#{sha256_hex}")
}
/// A customer's archive schedule (M29): when the archive sweep looks at
/// them next, and their open proposal.
pub const ARCHIVE_SCHEDULE_SK: &str = "ARCHIVE";
/// The `due` index's bucket of archive schedules, by customer shard; its
/// sort key is [`archive_due_sk`], so a Query reads everything due by a day.
pub fn archive_due_pk(shard: u32) -> String {
    format!("ARCH#{shard}")
}
pub fn archive_due_sk(day: &str, c: &CustomerId) -> String {
    format!("{day}#{c}")
}
/// An archive proposal, in its owner's partition.
pub fn proposal_sk(p: &ProposalId) -> String {
    format!("{PROPOSAL_SK_PREFIX}{p}")
}
pub const PROPOSAL_SK_PREFIX: &str = "ARCHPROP#";

// blocklist table
pub fn blocklist_exact_pk(sha256_hex: &str) -> String {
    format!("SHA#{sha256_hex}")
}
pub const BLOCKLIST_EXACT_SK: &str = "ENTRY";
pub fn blocklist_band_pk(band: u8, value: u8) -> String {
    format!("BAND#{band}#{value:02x}")
}
pub fn blocklist_band_sk(e: &BlocklistEntryId) -> String {
    e.to_string()
}

// S3: prefixes follow customer IDs.
pub fn incoming_key(c: &CustomerId, i: &ImageId) -> String {
    format!("incoming/{c}/{i}")
}
pub fn original_key(c: &CustomerId, i: &ImageId) -> String {
    format!("originals/{c}/{i}")
}
pub fn thumb_key(c: &CustomerId, i: &ImageId) -> String {
    format!("thumbs/{c}/{i}.jpg")
}
/// The preview with the "cannot print" mark, made once for strangers (M10).
pub fn marked_preview_key(c: &CustomerId, i: &ImageId) -> String {
    format!("marked/{c}/{i}.jpg")
}
pub fn preview_key(c: &CustomerId, i: &ImageId) -> String {
    format!("previews/{c}/{i}.jpg")
}
/// The original without its location metadata, made once for anyone but
/// its owner (issue 7, item 5).
pub fn shared_original_key(c: &CustomerId, i: &ImageId) -> String {
    format!("shared-originals/{c}/{i}")
}

/// An archive disc's index sheet (M31), under its order.
pub fn disc_sheet_pdf_key(o: &OrderId) -> String {
    format!("discs/{o}/index-sheet.pdf")
}
/// Page `n` (from 1) of an archive disc's index sheet, as a PNG.
pub fn disc_sheet_page_key(o: &OrderId, n: usize) -> String {
    format!("discs/{o}/index-sheet-{n:02}.png")
}
/// An archive disc's label (M31).
pub fn disc_label_key(o: &OrderId) -> String {
    format!("discs/{o}/label.png")
}
/// A disc job's manifest (M32), named by its SHA-256 (hex).
pub fn disc_manifest_key(o: &OrderId, sha256: &str) -> String {
    format!("discs/{o}/manifest-{sha256}.json")
}

/// Every object an image may own, for deletion.
pub fn all_image_keys(c: &CustomerId, i: &ImageId) -> [String; 6] {
    [
        incoming_key(c, i),
        original_key(c, i),
        thumb_key(c, i),
        preview_key(c, i),
        marked_preview_key(c, i),
        shared_original_key(c, i),
    ]
}

/// Reads `incoming/<customer>/<image>` back; anything else is not ours.
pub fn parse_incoming_key(key: &str) -> Option<(CustomerId, ImageId)> {
    parse_under("incoming/", key)
}

/// Reads an original's key back (S3's restore events, M32).
pub fn parse_original_key(key: &str) -> Option<(CustomerId, ImageId)> {
    parse_under("originals/", key)
}

fn parse_under(prefix: &str, key: &str) -> Option<(CustomerId, ImageId)> {
    let (c, i) = key.strip_prefix(prefix)?.split_once('/')?;
    Some((CustomerId::parse(c).ok()?, ImageId::parse(i).ok()?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn incoming_keys_round_trip_and_strangers_are_refused() {
        let (c, i) = (CustomerId::generate(), ImageId::generate());
        assert_eq!(
            parse_incoming_key(&incoming_key(&c, &i)),
            Some((c.clone(), i.clone()))
        );
        assert_eq!(parse_incoming_key(&original_key(&c, &i)), None);
        assert_eq!(
            parse_original_key(&original_key(&c, &i)),
            Some((c.clone(), i.clone()))
        );
        assert_eq!(parse_original_key(&incoming_key(&c, &i)), None);
        assert_eq!(parse_incoming_key(&format!("incoming/{c}/{i}/x")), None);
        assert_eq!(parse_incoming_key("incoming/../etc"), None);
    }
}
