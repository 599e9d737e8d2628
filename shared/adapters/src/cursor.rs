//! The one paging cursor codec. A cursor is the sort key of the last item a
//! page returned, base64url-encoded: opaque to clients, and checked on the
//! way back in, so it can only ever continue the listing that issued it
//! (the partition comes from the caller, never from the cursor).

use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine};
use printvault_domain::Error;
use printvault_domain::{Form, Problem};

/// The cursor that continues after `sort_key`.
pub fn encode(sort_key: &str) -> String {
    URL_SAFE_NO_PAD.encode(sort_key)
}

/// The sort key a cursor continues after, if `valid` accepts it as one the
/// listing could have issued; `Invalid` otherwise.
pub fn decode(cursor: &str, valid: impl FnOnce(&str) -> bool) -> Result<String, Error> {
    URL_SAFE_NO_PAD
        .decode(cursor)
        .ok()
        .and_then(|b| String::from_utf8(b).ok())
        .filter(|sk| valid(sk))
        .ok_or_else(|| Error::invalid("cursor", Problem::Form(Form::Cursor)))
}

/// Whether `sk` is `<prefix><ID>` for an ID that `parse` accepts.
pub fn is_prefixed_id<T>(sk: &str, prefix: &str, parse: impl FnOnce(&str) -> Result<T, Error>) -> bool {
    sk.strip_prefix(prefix).is_some_and(|id| parse(id).is_ok())
}

#[cfg(test)]
mod tests {
    use super::*;
    use printvault_domain::ids::ImageId;

    #[test]
    fn a_cursor_decodes_to_the_key_it_encodes_and_nothing_else_passes() {
        let id = ImageId::generate();
        let sk = format!("IMG#{id}");
        let valid = |s: &str| is_prefixed_id(s, "IMG#", ImageId::parse);
        assert_eq!(decode(&encode(&sk), valid).unwrap(), sk);
        assert!(decode(&encode("SHA#abc"), valid).is_err());
        assert!(decode(&encode("IMG#nope"), valid).is_err());
        assert!(decode("%%%", valid).is_err());
        assert!(decode(&URL_SAFE_NO_PAD.encode([0xff, 0xfe]), |_| true).is_err());
    }
}
