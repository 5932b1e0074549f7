//! JSON for the API, with markup characters escaped.
//!
//! `<`, `>` and `&` inside strings are written as `\u003c`, `\u003e` and
//! `\u0026` (and the JavaScript line separators as `\u2028`, `\u2029`), so an
//! answer that echoes pasted markup stays inert even if someone embeds it in
//! a page. The JSON decodes to exactly the same strings.

use std::io;

use serde::Serialize;
use serde_json::ser::{Formatter, Serializer};

struct HtmlSafe;

impl Formatter for HtmlSafe {
    fn write_string_fragment<W: ?Sized + io::Write>(
        &mut self,
        writer: &mut W,
        fragment: &str,
    ) -> io::Result<()> {
        let mut start = 0;
        for (i, c) in fragment.char_indices() {
            let escaped = match c {
                '<' => "\\u003c",
                '>' => "\\u003e",
                '&' => "\\u0026",
                '\u{2028}' => "\\u2028",
                '\u{2029}' => "\\u2029",
                _ => continue,
            };
            writer.write_all(&fragment.as_bytes()[start..i])?;
            writer.write_all(escaped.as_bytes())?;
            start = i + c.len_utf8();
        }
        writer.write_all(&fragment.as_bytes()[start..])
    }
}

/// Serialises a value as JSON with markup characters escaped.
pub fn to_vec<T: Serialize + ?Sized>(value: &T) -> serde_json::Result<Vec<u8>> {
    let mut out = Vec::with_capacity(256);
    value.serialize(&mut Serializer::with_formatter(&mut out, HtmlSafe))?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_is_escaped_and_decodes_back() {
        let text = "<script>alert('x&y')</script>\u{2028}ż";
        let json =
            String::from_utf8(to_vec(&serde_json::json!({ "text": text })).unwrap()).unwrap();
        assert_eq!(
            json,
            "{\"text\":\"\\u003cscript\\u003ealert('x\\u0026y')\\u003c/script\\u003e\\u2028ż\"}"
        );
        let back: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(back["text"], text);
    }
}
