//! Built-in code tables: one sentence per code, in Polish and English.
//!
//! The data is in `tables/*.toml` beside this file: IANA's enhanced status
//! code registry (RFC 3463 and later), the SMTP reply codes of RFC 5321 and
//! its extensions, the HTTP statuses of RFC 9110 plus common non-standard
//! ones, and the bounce reasons. Parsed once, on first use.

use std::collections::HashMap;
use std::sync::LazyLock;

use serde::Deserialize;

use super::Actor;

/// A code explained in both languages.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry<C> {
    pub code: C,
    /// The name the code has in its registry.
    pub name: String,
    pub en: String,
    pub pl: String,
}

/// A bounce reason explained in both languages, with who usually acts.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Reason {
    pub name: String,
    pub actor: Actor,
    pub en: String,
    pub pl: String,
}

#[derive(Deserialize)]
struct CodeFile<C> {
    code: Vec<Entry<C>>,
}

#[derive(Deserialize)]
struct ReasonFile {
    reason: Vec<Reason>,
}

struct Tables {
    /// Keyed by "X.s.d": the class digit is explained apart.
    enhanced: HashMap<String, Entry<String>>,
    reply: HashMap<u16, Entry<u16>>,
    http: HashMap<u16, Entry<u16>>,
    reasons: HashMap<String, Reason>,
}

static TABLES: LazyLock<Tables> = LazyLock::new(|| {
    // The files are part of the source and covered by tests: a parse error
    // is a build defect, not an input error.
    let enhanced: CodeFile<String> =
        toml::from_str(include_str!("tables/enhanced.toml")).expect("tables/enhanced.toml parses");
    let reply: CodeFile<u16> =
        toml::from_str(include_str!("tables/reply.toml")).expect("tables/reply.toml parses");
    let http: CodeFile<u16> =
        toml::from_str(include_str!("tables/http.toml")).expect("tables/http.toml parses");
    let reasons: ReasonFile =
        toml::from_str(include_str!("tables/reasons.toml")).expect("tables/reasons.toml parses");
    Tables {
        enhanced: enhanced
            .code
            .into_iter()
            .map(|e| (e.code.clone(), e))
            .collect(),
        reply: reply.code.into_iter().map(|e| (e.code, e)).collect(),
        http: http.code.into_iter().map(|e| (e.code, e)).collect(),
        reasons: reasons
            .reason
            .into_iter()
            .map(|r| (r.name.clone(), r))
            .collect(),
    }
});

/// Parses every table now rather than on the first request.
pub fn load() {
    LazyLock::force(&TABLES);
}

/// Explains an enhanced status code such as `5.7.1` (looked up as `X.7.1`).
pub fn enhanced(status: &str) -> Option<&'static Entry<String>> {
    let (_, rest) = status.split_once('.')?;
    TABLES.enhanced.get(&format!("X.{rest}"))
}

/// Explains an SMTP reply code.
pub fn reply(code: u16) -> Option<&'static Entry<u16>> {
    TABLES.reply.get(&code)
}

/// Explains an HTTP status.
pub fn http(code: u16) -> Option<&'static Entry<u16>> {
    TABLES.http.get(&code)
}

/// Explains a bounce reason.
pub fn reason(name: &str) -> Option<&'static Reason> {
    TABLES.reasons.get(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_parse_and_answer() {
        assert!(enhanced("5.7.1").is_some());
        assert!(enhanced("4.2.2").is_some());
        assert!(reply(554).is_some());
        assert!(http(503).is_some());
        assert!(http(403).is_some());
        assert!(enhanced("9.9.9").is_none());
    }

    #[test]
    fn every_reason_is_explained() {
        for r in super::super::REASONS {
            assert!(reason(r).is_some(), "no sentence for reason {r}");
        }
    }

    #[test]
    fn every_sentence_is_present_in_both_languages() {
        let t = &*TABLES;
        let sentences = t
            .enhanced
            .values()
            .map(|e| (&e.name, &e.en, &e.pl))
            .chain(t.reply.values().map(|e| (&e.name, &e.en, &e.pl)))
            .chain(t.http.values().map(|e| (&e.name, &e.en, &e.pl)))
            .chain(t.reasons.values().map(|e| (&e.name, &e.en, &e.pl)));
        for (name, en, pl) in sentences {
            assert!(
                !en.trim().is_empty() && !pl.trim().is_empty(),
                "{name} lacks a sentence"
            );
        }
    }
}
