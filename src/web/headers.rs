//! Response headers as data: the security headers every response carries,
//! and the content negotiation of pre-rendered pages.
//!
//! The security headers are built once; pre-rendered pages carry them in
//! their precomputed header maps, and one cheap layer adds them to every
//! other response (see [`add_security`]).

use axum::http::header::{
    CONTENT_SECURITY_POLICY, HeaderName, REFERRER_POLICY, STRICT_TRANSPORT_SECURITY,
    X_CONTENT_TYPE_OPTIONS,
};
use axum::http::{HeaderMap, HeaderValue};

use crate::site::Encoding;

/// No inline script or style anywhere; nothing from other origins; no framing.
pub const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
pub const REFERRER: &str = "strict-origin-when-cross-origin";
/// The site uses none of these browser features, so it denies them all.
pub const PERMISSIONS: &str = "accelerometer=(), autoplay=(), camera=(), display-capture=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), midi=(), payment=(), usb=()";
/// Two years, as the HSTS preload list asks; sent only when configured.
pub const HSTS: &str = "max-age=63072000; includeSubDomains";

pub static PERMISSIONS_POLICY: HeaderName = HeaderName::from_static("permissions-policy");

/// Returns the security headers of every response.
pub fn security(hsts: bool) -> HeaderMap {
    let mut h = HeaderMap::with_capacity(8);
    h.insert(CONTENT_SECURITY_POLICY, HeaderValue::from_static(CSP));
    h.insert(X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(REFERRER_POLICY, HeaderValue::from_static(REFERRER));
    h.insert(
        PERMISSIONS_POLICY.clone(),
        HeaderValue::from_static(PERMISSIONS),
    );
    if hsts {
        h.insert(STRICT_TRANSPORT_SECURITY, HeaderValue::from_static(HSTS));
    }
    h
}

/// Adds the security headers to a response that lacks them.
///
/// Pre-rendered pages already have them, so for those this is one look-up.
pub fn add_security(headers: &mut HeaderMap, security: &HeaderMap) {
    if headers.contains_key(CONTENT_SECURITY_POLICY) {
        return;
    }
    for (name, value) in security {
        headers.insert(name.clone(), value.clone());
    }
}

/// Picks the encoding of a pre-rendered body from `Accept-Encoding`.
///
/// Brotli is preferred to gzip and gzip to identity; a coding with `q=0`
/// (directly or through `*;q=0`) is never chosen. Identity is the answer
/// when nothing else is acceptable, even if refused: a page is more useful
/// than a 406.
pub fn negotiate_encoding(accept: Option<&HeaderValue>) -> Encoding {
    let Some(value) = accept.and_then(|v| v.to_str().ok()) else {
        return Encoding::Identity;
    };
    let (mut br, mut gzip, mut any) = (None::<f32>, None::<f32>, None::<f32>);
    for item in value.split(',') {
        let mut parts = item.split(';');
        let coding = parts.next().unwrap_or("").trim();
        let mut q = 1.0;
        for param in parts {
            if let Some((k, v)) = param.split_once('=')
                && k.trim().eq_ignore_ascii_case("q")
            {
                // An unreadable weight counts as a refusal, not as a wish.
                q = v
                    .trim()
                    .parse::<f32>()
                    .ok()
                    .filter(|q| q.is_finite())
                    .unwrap_or(0.0);
            }
        }
        let slot = if coding.eq_ignore_ascii_case("br") {
            &mut br
        } else if coding.eq_ignore_ascii_case("gzip") || coding.eq_ignore_ascii_case("x-gzip") {
            &mut gzip
        } else if coding == "*" {
            &mut any
        } else {
            continue;
        };
        *slot = Some(slot.map_or(q, |old: f32| old.max(q)));
    }
    let br = br.or(any).unwrap_or(0.0);
    let gzip = gzip.or(any).unwrap_or(0.0);
    if br > 0.0 && br >= gzip {
        Encoding::Brotli
    } else if gzip > 0.0 {
        Encoding::Gzip
    } else {
        Encoding::Identity
    }
}

/// Tells whether `If-None-Match` names the given strong ETag (or is `*`).
///
/// Comparison is weak, as RFC 9110 asks for `If-None-Match`: `W/"x"`
/// matches `"x"`.
pub fn etag_matches(if_none_match: &HeaderValue, etag: &HeaderValue) -> bool {
    let Ok(value) = if_none_match.to_str() else {
        return false;
    };
    let etag = etag.as_bytes();
    value.split(',').any(|tag| {
        let tag = tag.trim();
        tag == "*" || tag.strip_prefix("W/").unwrap_or(tag).as_bytes() == etag
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pick(accept: &str) -> Encoding {
        negotiate_encoding(Some(&HeaderValue::from_str(accept).unwrap()))
    }

    #[test]
    fn brotli_beats_gzip_beats_identity() {
        assert_eq!(negotiate_encoding(None), Encoding::Identity);
        assert_eq!(pick("gzip, deflate, br, zstd"), Encoding::Brotli);
        assert_eq!(pick("gzip, deflate"), Encoding::Gzip);
        assert_eq!(pick("identity"), Encoding::Identity);
        assert_eq!(pick(""), Encoding::Identity);
        assert_eq!(pick("*"), Encoding::Brotli);
    }

    #[test]
    fn weights_are_honoured() {
        assert_eq!(pick("br;q=0, gzip"), Encoding::Gzip);
        assert_eq!(pick("br;q=0.5, gzip;q=0.8"), Encoding::Gzip);
        assert_eq!(pick("BR;Q=1, gzip;q=0.8"), Encoding::Brotli);
        assert_eq!(pick("*;q=0, identity"), Encoding::Identity);
        assert_eq!(pick("gzip;q=0, br;q=0"), Encoding::Identity);
        assert_eq!(pick("gzip;q=nonsense"), Encoding::Identity);
        assert_eq!(pick("*;q=0.1, br;q=0"), Encoding::Gzip);
    }

    #[test]
    fn etags_compare_weakly() {
        let etag = HeaderValue::from_static("\"abc\"");
        let matches = |v: &'static str| etag_matches(&HeaderValue::from_static(v), &etag);
        assert!(matches("\"abc\""));
        assert!(matches("W/\"abc\""));
        assert!(matches("\"x\", \"abc\""));
        assert!(matches("*"));
        assert!(!matches("\"abcd\""));
        assert!(!matches("abc"));
    }
}
