//! Bounce reasons under Sisimai's names, decided from the status code, the
//! wording of the diagnostic and the SMTP stage.
//!
//! The wording and the status table are data (`tables/reasons-rules.toml`);
//! this module holds the order they are tried in and the few conditions on
//! the SMTP stage that keep one reason from being mistaken for another (an
//! "unknown user" text after DATA is a filter, not a missing mailbox).

use std::collections::HashMap;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use serde::Deserialize;

use super::text;

/// What a reason is decided from.
pub struct Input<'a> {
    /// The diagnostic, lower-cased with whitespace folded.
    pub folded: &'a str,
    pub status: Option<&'a str>,
    pub code: Option<u16>,
    /// The SMTP stage: `RCPT`, `MAIL`, `DATA`, `CONN`, `EHLO`...
    pub command: Option<&'a str>,
    pub action: Option<&'a str>,
    pub diagnostic_type: Option<&'a str>,
    /// The remote server's name (else the reporting server's) and the
    /// recipient's domain, for rules of one provider.
    pub hosts: &'a [&'a str],
    /// Whether the diagnostic names a blocklist (Spamhaus, SpamCop...).
    pub names_blocklist: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleFile {
    first: Vec<String>,
    then: Vec<String>,
    not_rejected: Vec<String>,
    statuses: HashMap<String, String>,
    vendor: Vec<VendorRule>,
    reason: Vec<ReasonRule>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct VendorRule {
    #[expect(dead_code, reason = "names the provider for people reading the file")]
    name: String,
    /// Domain suffixes of the remote server or the recipient the rule is
    /// for; a rule without hosts applies everywhere.
    #[serde(default)]
    hosts: Vec<String>,
    /// A regular expression whose first group is the provider's code.
    #[serde(default)]
    pattern: Option<String>,
    #[serde(default)]
    codes: HashMap<String, String>,
    /// Numeric codes given as ranges, `[first, last, reason]`, for
    /// providers that document them that way.
    #[serde(default)]
    ranges: Vec<(u32, u32, String)>,
    /// The provider's own wording and what it means.
    #[serde(default)]
    phrases: Vec<(String, String)>,
}

/// A provider's rules, compiled.
struct Vendor {
    hosts: Vec<String>,
    pattern: Option<regex::Regex>,
    codes: HashMap<String, &'static str>,
    ranges: Vec<(u32, u32, &'static str)>,
    phrases: Vec<(String, &'static str)>,
}

impl Vendor {
    fn applies(&self, hosts: &[&str]) -> bool {
        self.hosts.is_empty()
            || hosts
                .iter()
                .any(|h| self.hosts.iter().any(|suffix| in_domain(h, suffix)))
    }

    fn reason(&self, folded: &str) -> Option<&'static str> {
        if let Some(re) = &self.pattern
            && let Some(r) = re
                .captures_iter(folded)
                .filter_map(|c| self.code(&c[1]))
                .last()
        {
            return Some(r);
        }
        self.phrases
            .iter()
            .find(|(p, _)| folded.contains(p.as_str()))
            .map(|(_, r)| *r)
    }

    /// The reason a provider's code means: listed alone, or in a range.
    fn code(&self, code: &str) -> Option<&'static str> {
        if let Some(r) = self.codes.get(code) {
            return Some(r);
        }
        let n: u32 = code.parse().ok()?;
        self.ranges
            .iter()
            .find(|(first, last, _)| (*first..=*last).contains(&n))
            .map(|(_, _, r)| *r)
    }
}

/// Tells whether a host is a domain (given in lower case) or under it.
fn in_domain(host: &str, domain: &str) -> bool {
    let Some(at) = host.len().checked_sub(domain.len()) else {
        return false;
    };
    host.get(at..)
        .is_some_and(|tail| tail.eq_ignore_ascii_case(domain))
        && (at == 0 || host.as_bytes()[at - 1] == b'.')
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ReasonRule {
    name: String,
    #[serde(default)]
    phrases: Vec<String>,
}

/// Reasons a status code names too vaguely to stop at.
const RETRY: &[&str] = &[
    "undefined",
    "onhold",
    "systemerror",
    "securityerror",
    "expired",
    "networkerror",
    "hostunknown",
    "userunknown",
];
/// Stages before the recipient is named.
const BEFORE_RCPT: &[&str] = &["CONN", "EHLO", "HELO", "MAIL", "AUTH", "STARTTLS"];
/// Stages other than DATA.
const EXCEPT_DATA: &[&str] = &["CONN", "EHLO", "HELO", "MAIL", "RCPT"];

/// The compiled reason rules.
pub struct Reasons {
    first: Vec<&'static str>,
    then: Vec<&'static str>,
    statuses: HashMap<String, &'static str>,
    /// The longest part of every phrase (its key), in one automaton: a
    /// rare key means few places to check the rest of the phrase at.
    keys: AhoCorasick,
    /// For each key: its phrase's reason and the parts before and after it.
    phrases: Vec<Phrase>,
    not_rejected: Vec<String>,
    vendors: Vec<Vendor>,
}

/// A phrase split at its key part.
struct Phrase {
    reason: &'static str,
    before: Vec<String>,
    after: Vec<String>,
}

impl Phrase {
    /// Tells whether the phrase is complete around its key at `start..end`.
    fn fits(&self, folded: &str, start: usize, end: usize) -> bool {
        ends_before(&folded[..start], &self.before) && starts_after(&folded[end..], &self.after)
    }
}

/// How far apart two parts of a phrase may be: `*` stands for some words
/// or a server's name, not for the rest of a long line (a sentence that
/// begins with "connection" and ends on "time limit" is not "connection
/// *limit"). Wrapped replies are unwrapped first, so this is about
/// distance in the text, not lines.
const GAP: usize = 80;

/// Tells whether the parts occur one after the other from the start of a
/// text, each at most [`GAP`] bytes after the one before.
fn starts_after(text: &str, parts: &[String]) -> bool {
    let mut at = 0;
    parts.iter().all(|part| {
        let mut cut = (at + GAP + part.len()).min(text.len());
        while !text.is_char_boundary(cut) {
            cut -= 1;
        }
        match text[at..cut].find(part.as_str()) {
            Some(i) => {
                at += i + part.len();
                true
            }
            None => false,
        }
    })
}

/// Tells whether the parts occur one after the other and end at the end of
/// a text, each at most [`GAP`] bytes before the one after it.
fn ends_before(text: &str, parts: &[String]) -> bool {
    let mut end = text.len();
    parts.iter().rev().all(|part| {
        let mut from = end.saturating_sub(GAP + part.len());
        while !text.is_char_boundary(from) {
            from += 1;
        }
        match text[from..end].rfind(part.as_str()) {
            Some(i) => {
                end = from + i;
                true
            }
            None => false,
        }
    })
}

/// Returns a name from the fixed list, so findings carry `&'static str`.
fn intern(name: &str) -> &'static str {
    super::REASONS
        .iter()
        .find(|r| **r == name)
        .copied()
        .unwrap_or_else(|| panic!("tables/reasons-rules.toml names an unknown reason {name:?}"))
}

/// The reasons whose wording a text holds.
struct Matched(Vec<&'static str>);

impl Matched {
    fn has(&self, reason: &str) -> bool {
        self.0.contains(&reason)
    }
}

impl Reasons {
    pub fn new() -> Reasons {
        let file: RuleFile = toml::from_str(include_str!("tables/reasons-rules.toml"))
            .expect("tables/reasons-rules.toml parses");
        let mut keys = Vec::new();
        let mut phrases = Vec::new();
        for rule in &file.reason {
            let reason = intern(&rule.name);
            for phrase in &rule.phrases {
                let mut parts: Vec<String> = phrase
                    .split('*')
                    .map(text::fold_letters)
                    .filter(|p| !p.is_empty())
                    .collect();
                let Some(k) =
                    (0..parts.len()).max_by_key(|&i| (parts[i].trim().len(), std::cmp::Reverse(i)))
                else {
                    continue;
                };
                let after = parts.split_off(k + 1);
                keys.push(parts.pop().expect("the key part"));
                phrases.push(Phrase {
                    reason,
                    before: parts,
                    after,
                });
            }
        }
        Reasons {
            first: file.first.iter().map(|n| intern(n)).collect(),
            then: file.then.iter().map(|n| intern(n)).collect(),
            statuses: file
                .statuses
                .iter()
                .map(|(k, v)| (k.clone(), intern(v)))
                .collect(),
            keys: AhoCorasickBuilder::new()
                .match_kind(MatchKind::Standard)
                .build(&keys)
                .expect("phrases compile"),
            phrases,
            not_rejected: file
                .not_rejected
                .iter()
                .map(|p| text::fold_letters(p))
                .collect(),
            vendors: file
                .vendor
                .iter()
                .map(|v| Vendor {
                    hosts: v.hosts.iter().map(|h| h.to_ascii_lowercase()).collect(),
                    pattern: v
                        .pattern
                        .as_ref()
                        .map(|p| regex::Regex::new(p).expect("vendor patterns compile")),
                    codes: v
                        .codes
                        .iter()
                        .map(|(k, r)| (k.clone(), intern(r)))
                        .collect(),
                    ranges: v
                        .ranges
                        .iter()
                        .map(|(first, last, r)| (*first, *last, intern(r)))
                        .collect(),
                    phrases: v
                        .phrases
                        .iter()
                        .map(|(p, r)| (text::fold_letters(p), intern(r)))
                        .collect(),
                })
                .collect(),
        }
    }

    /// Returns the reasons whose phrases appear in a folded text.
    fn matching(&self, folded: &str) -> Matched {
        let mut found = Vec::new();
        // Each phrase is checked at most twice, at the first and the last
        // place its key occurs, which keeps this linear in the text: the
        // first leaves the most room after the key, the last before it.
        // (phrase, first place of its key, last place of its key)
        type Places = Vec<(usize, (usize, usize), (usize, usize))>;
        let mut places: Places = Vec::new();
        for m in self.keys.find_overlapping_iter(folded) {
            let id = m.pattern().as_usize();
            if found.contains(&self.phrases[id].reason) {
                continue;
            }
            let here = (m.start(), m.end());
            match places.iter_mut().find(|(p, _, _)| *p == id) {
                Some((_, _, last)) => *last = here,
                None => places.push((id, here, here)),
            }
        }
        for (id, first, last) in places {
            let phrase = &self.phrases[id];
            if !found.contains(&phrase.reason)
                && (phrase.fits(folded, first.0, first.1)
                    || last != first && phrase.fits(folded, last.0, last.1))
            {
                found.push(phrase.reason);
            }
        }
        Matched(found)
    }

    /// Tells whether a text names a mail failure in words alone.
    pub fn names_failure(&self, folded: &str) -> bool {
        !self.matching(folded).0.is_empty()
    }

    /// Returns the reason a status code means, if it names one.
    pub fn by_status(&self, status: &str) -> Option<&'static str> {
        self.statuses.get(status).copied()
    }

    /// Decides the reason for one failure.
    pub fn classify(&self, input: &Input) -> &'static str {
        for vendor in self.vendors.iter().filter(|v| v.applies(input.hosts)) {
            if let Some(reason) = vendor.reason(input.folded) {
                return reason;
            }
        }
        let text = self.matching(input.folded);
        let st = input.status.and_then(|s| self.by_status(s));
        // Postfix types its own findings "X-Postfix": old releases a remote
        // server's reply too ("host mx.example.com said: 550 unknown
        // user"), and all of them a name that does not resolve. With a
        // status that says nothing, the wording is read as SMTP's.
        let smtp = input.diagnostic_type.is_none_or(|t| {
            t == "SMTP" || t == "X-POSTFIX" && input.status.is_none_or(|s| s.ends_with(".0.0"))
        });
        if smtp
            && let Some(r) = self
                .first
                .iter()
                .copied()
                .find(|r| self.probe(r, input, st, &text))
        {
            if r == "hostunknown" && input.status.is_some_and(|s| s.starts_with('4')) {
                return "networkerror";
            }
            return r;
        }
        let retry = st.is_none_or(|r| RETRY.contains(&r));
        let mut reason = if retry || !smtp {
            self.then
                .iter()
                .copied()
                .find(|r| text.has(r))
                // A security refusal that names a blocklist ("550 5.7.1
                // 192.0.2.9 listed at dnsbl-1.uceprotect.net") is a block.
                .or_else(|| {
                    (input.names_blocklist && st.is_none_or(|r| r == "securityerror"))
                        .then_some("blocked")
                })
                .or(st)
                .or_else(|| {
                    let class = input.status.map(|s| &s[..s.len().min(3)]);
                    if matches!(class, Some("5.6" | "4.6")) {
                        Some("contenterror")
                    } else if matches!(class, Some("5.7" | "4.7")) {
                        Some("securityerror")
                    } else if input
                        .diagnostic_type
                        .is_some_and(|t| t.starts_with("X-UNIX"))
                    {
                        Some("mailererror")
                    } else if input
                        .action
                        .is_some_and(|a| a.starts_with("delayed") || a.starts_with("expired"))
                    {
                        Some("expired")
                    } else if matches!(input.command, Some("EHLO" | "HELO" | "CONN")) {
                        Some("blocked")
                    } else {
                        None
                    }
                })
        } else {
            st
        };
        if reason == Some("hostunknown") && input.status.is_some_and(|s| s.starts_with('4')) {
            // A name that does not resolve *for now* is a DNS problem.
            return "networkerror";
        }
        if reason.is_none() && input.names_blocklist {
            // A refusal that says nothing but where to look the sender up
            // ("553 http://www.spamhaus.org/query/bl?ip=...") is a block.
            reason = Some("blocked");
        }
        if reason.is_none() {
            // The reply code alone still says something.
            reason = match input.code {
                Some(455 | 500..=504 | 555) => Some("syntaxerror"),
                Some(451) => Some("systemerror"),
                Some(452) => Some("systemfull"),
                Some(551) => Some("hasmoved"),
                Some(552) => Some("mailboxfull"),
                Some(521 | 556) => Some("notaccept"),
                Some(422 | 432 | 454 | 523 | 524 | 525 | 534 | 535 | 538) => Some("securityerror"),
                _ => None,
            };
        }
        reason.unwrap_or(if input.folded.is_empty() {
            "undefined"
        } else {
            "onhold"
        })
    }

    /// Tells whether the text says the sender was refused.
    fn rejected_text(&self, input: &Input, text: &Matched) -> bool {
        text.has("rejected")
            && !self
                .not_rejected
                .iter()
                .any(|g| input.folded.contains(g.as_str()))
    }

    /// Tells whether one reason of the first pass fits.
    fn probe(&self, reason: &str, input: &Input, st: Option<&str>, text: &Matched) -> bool {
        let command = input.command.unwrap_or("");
        let before_rcpt = BEFORE_RCPT.contains(&command);
        let except_data = EXCEPT_DATA.contains(&command);
        match reason {
            "mailboxfull" | "authfailure" | "requireptr" | "blocked" | "toomanyconn"
            | "speeding" => st == Some(reason) || text.has(reason),
            "mesgtoobig" => {
                st == Some("mesgtoobig") || st != Some("exceedlimit") && text.has("mesgtoobig")
            }
            "exceedlimit" => st == Some("exceedlimit"),
            "badreputation" | "notcompliantrfc" => text.has(reason),
            "suspend" => input.code == Some(525) || text.has("suspend"),
            "hasmoved" | "norelaying" => !before_rcpt && text.has(reason),
            "userunknown" => match st {
                Some("suspend") => false,
                // 5.1.10 is "null MX" (RFC 7505), but Exchange and Office
                // 365 send it for an address that does not exist, and say so.
                Some("notaccept") => text.has("userunknown"),
                Some("userunknown") => {
                    ![
                        "norelaying",
                        "blocked",
                        "mailboxfull",
                        "hasmoved",
                        "notaccept",
                    ]
                    .iter()
                    .any(|r| text.has(r))
                        && !self.rejected_text(input, text)
                }
                // Mail systems that do not say the stage report unknown
                // recipients at RCPT, where the address is checked.
                _ => {
                    let unstaged = command.is_empty()
                        && (input.status.is_some_and(|s| !s.ends_with(".0.0"))
                            && matches!(st, None | Some("filtered"))
                            || input.status.is_none() && input.code.is_none());
                    (command == "RCPT" || unstaged) && text.has("userunknown")
                }
            },
            "filtered" => match st {
                Some("suspend") => false,
                Some("filtered") => text.has("userunknown") || text.has("filtered"),
                _ => !except_data && (text.has("filtered") || text.has("userunknown")),
            },
            // "554 Sorry, this message appears to be spam (#5.6.0)" is spam.
            "contenterror" => {
                st == Some("contenterror")
                    && !(text.has("spamdetected") && input.folded.contains("spam"))
                    || text.has("contenterror")
            }
            "rejected" => {
                if st == Some("rejected") {
                    return true;
                }
                let eligible = command == "MAIL"
                    || command == "DATA" && st != Some("userunknown")
                    || matches!(
                        st,
                        None | Some("undefined" | "onhold" | "securityerror" | "systemerror")
                    );
                // A refusal at MAIL FROM is about the sender, whatever it says.
                eligible && self.rejected_text(input, text)
                    || command == "MAIL" && input.folded.contains("access denied")
            }
            "hostunknown" => {
                !before_rcpt
                    && if st == Some("hostunknown") {
                        !text.has("networkerror")
                    } else {
                        text.has("hostunknown")
                    }
            }
            "spamdetected" => {
                input.status.is_some()
                    && (st == Some("spamdetected") || !except_data && text.has("spamdetected"))
            }
            _ => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reason(text: &str, status: Option<&str>, command: Option<&str>) -> &'static str {
        let folded = super::super::text::fold(text);
        Reasons::new().classify(&Input {
            folded: &folded,
            status,
            code: super::super::smtp::find_reply(text),
            command,
            action: None,
            diagnostic_type: Some("SMTP"),
            hosts: &[],
            names_blocklist: super::super::facts::blocklist(&folded).is_some(),
        })
    }

    #[test]
    fn common_failures() {
        assert_eq!(
            reason("550 5.1.1 <a@b>: User unknown", Some("5.1.1"), Some("RCPT")),
            "userunknown"
        );
        assert_eq!(
            reason("552 5.2.2 Mailbox full", Some("5.2.2"), None),
            "mailboxfull"
        );
        assert_eq!(
            reason(
                "554 5.7.1 <a@b>: Relay access denied",
                Some("5.7.1"),
                Some("RCPT")
            ),
            "norelaying"
        );
        assert_eq!(
            reason(
                "554 5.7.1 Service unavailable; Client host [192.0.2.1] blocked using zen.spamhaus.org",
                Some("5.7.1"),
                Some("RCPT")
            ),
            "blocked"
        );
        assert_eq!(
            reason(
                "550 5.7.1 Message rejected as spam",
                Some("5.7.1"),
                Some("DATA")
            ),
            "spamdetected"
        );
    }

    #[test]
    fn stage_decides_between_unknown_and_filtered() {
        assert_eq!(
            reason("550 Unknown user", None, Some("RCPT")),
            "userunknown"
        );
        assert_eq!(reason("550 Unknown user", None, Some("DATA")), "filtered");
    }

    #[test]
    fn wildcards_match_in_order() {
        let r = Reasons::new();
        assert!(
            r.matching("your mailbox is over the quota")
                .has("mailboxfull")
        );
        assert!(!r.matching("quota... mailbox").has("nothing"));
        // A few words may come between the parts, not a long line.
        assert!(
            r.matching("connection rate limit exceeded")
                .has("toomanyconn")
        );
        assert!(
            !r.matching(
                "the connection to the database was closed by the shop while the nightly export of all orders was still running past its time limit"
            )
            .has("toomanyconn")
        );
    }

    #[test]
    fn provider_rules_match_whole_domain_labels() {
        assert!(in_domain("mta7.am0.Yahoodns.net", "yahoodns.net"));
        assert!(in_domain("yahoodns.net", "yahoodns.net"));
        assert!(!in_domain("notyahoodns.net", "yahoodns.net"));
        assert!(!in_domain("net", "yahoodns.net"));
        assert!(!in_domain("mx.żółw.pl", "w.pl"));
    }

    #[test]
    fn fallbacks() {
        assert_eq!(
            reason("501 Syntax error in parameters", None, None),
            "syntaxerror"
        );
        assert_eq!(reason("something odd happened", None, None), "onhold");
        assert_eq!(reason("", None, None), "undefined");
    }
}
