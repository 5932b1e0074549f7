//! What people read about the findings: one shape for the CLI, the API and
//! the result page, so the three always agree.
//!
//! [`answer`] adds to each [`Finding`] what the classifier does not know:
//! the article's title and URL in the reader's language, a plain-words
//! summary, and one-sentence explanations of the codes from
//! [`identify::tables`]. [`pasted_lines`] decides which lines of a paste the
//! result page highlights.

use std::borrow::Cow;
use std::collections::HashMap;

use aho_corasick::{AhoCorasick, AhoCorasickKind};
use serde::Serialize;

use crate::content::Library;
use crate::identify::{Actor, Facts, Finding, Kind, squeeze, tables, unjson};
use crate::lang::Lang;

/// The answer to one paste: every finding, best first.
#[derive(Clone, Debug, Serialize)]
pub struct Answer {
    pub findings: Vec<Explained>,
}

/// One finding, explained for people.
#[derive(Clone, Debug, Serialize)]
pub struct Explained {
    pub kind: Kind,
    /// The SMTP reply code or the HTTP status.
    pub code: Option<u16>,
    /// The enhanced status code as written; always `None` for HTTP.
    pub status: Option<String>,
    /// The bounce reason under Sisimai's names; always `None` for HTTP.
    pub reason: Option<&'static str>,
    pub article: Option<ArticleLink>,
    /// The lines of the paste that gave the answer, unwrapped.
    pub excerpt: String,
    pub facts: Facts,
    /// The error in plain words, in the reader's language.
    pub summary: String,
    /// Who has to act.
    pub actor: Actor,
    pub explanation: Explanation,
    /// Where to look the blocked address up on the blocklist named in the facts.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub blocklist_lookup: Option<&'static str>,
    /// Whether the failure is permanent (5xx) or temporary (4xx); `None` when
    /// the code says neither.
    #[serde(skip)]
    pub permanent: Option<bool>,
}

/// The article a finding leads to, in the reader's language.
#[derive(Clone, Debug, Serialize)]
pub struct ArticleLink {
    pub slug: String,
    /// `/{lang}/{slug}`.
    pub url: String,
    pub title: String,
    /// The id of the section that says what to do, when the article names one.
    pub section: Option<String>,
    /// The URL with the section's anchor, the link to give people.
    pub link: String,
}

/// One sentence for each code of a finding, from the built-in tables.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Explanation {
    /// The SMTP reply code or the HTTP status explained.
    pub code: Option<&'static str>,
    /// The enhanced status code explained.
    pub status: Option<&'static str>,
}

/// Explains every finding in the reader's language.
pub fn answer(findings: Vec<Finding>, library: &Library, lang: Lang) -> Answer {
    Answer {
        findings: findings
            .into_iter()
            .map(|f| explain(f, library, lang))
            .collect(),
    }
}

fn explain(f: Finding, library: &Library, lang: Lang) -> Explained {
    let pick = |en: &'static str, pl: &'static str| match lang {
        Lang::Pl => pl,
        Lang::En => en,
    };
    let article = f.article.as_ref().and_then(|m| {
        let a = library.get(&m.slug)?;
        let url = a.url(lang);
        let link = match &m.section {
            Some(s) => format!("{url}#{s}"),
            None => url.clone(),
        };
        Some(ArticleLink {
            slug: a.slug.clone(),
            title: a.in_lang(lang).title.clone(),
            url,
            section: m.section.clone(),
            link,
        })
    });
    let code_sentence = f.code.and_then(|c| match f.kind {
        Kind::Smtp => tables::reply(c).map(|e| pick(&e.en, &e.pl)),
        Kind::Http => tables::http(c).map(|e| pick(&e.en, &e.pl)),
    });
    let status_sentence = f
        .status
        .as_deref()
        .and_then(tables::enhanced)
        .map(|e| pick(&e.en, &e.pl));
    let reason_sentence = f
        .reason
        .and_then(tables::reason)
        .map(|r| pick(&r.en, &r.pl));
    let article_summary = f
        .article
        .as_ref()
        .and_then(|m| library.get(&m.slug))
        .map(|a| a.in_lang(lang).summary.as_str());
    // A case of an article (greylisting) has its own sentence. Otherwise,
    // mail: the reason says best what happened; the codes are the fallback.
    // Web: the status's sentence is written for the visitor already.
    let case_summary = f
        .article
        .as_ref()
        .and_then(|m| m.summary.as_ref())
        .map(|s| match lang {
            Lang::Pl => s.pl.as_str(),
            Lang::En => s.en.as_str(),
        });
    let summary = case_summary
        .or(match f.kind {
            Kind::Smtp => reason_sentence.or(status_sentence).or(code_sentence),
            Kind::Http => code_sentence,
        })
        .or(article_summary)
        .unwrap_or_default()
        .to_string();
    let permanent = match (f.kind, f.status.as_deref(), f.code) {
        (Kind::Smtp, Some(s), _) if s.starts_with('5') => Some(true),
        (Kind::Smtp, Some(s), _) if s.starts_with('4') => Some(false),
        (Kind::Smtp, _, Some(c)) if (500..600).contains(&c) => Some(true),
        (Kind::Smtp, _, Some(c)) if (400..500).contains(&c) => Some(false),
        _ => None,
    };
    let blocklist_lookup = f.facts.blocklist.as_deref().and_then(blocklist_lookup);
    Explained {
        kind: f.kind,
        code: f.code,
        status: f.status,
        reason: f.reason,
        article,
        excerpt: f.excerpt,
        facts: f.facts,
        summary,
        actor: f.actor,
        explanation: Explanation {
            code: code_sentence,
            status: status_sentence,
        },
        blocklist_lookup,
        permanent,
    }
}

/// Lookup and delisting pages of well-known blocklists, by a word in their name.
///
/// Only pages that let anyone check an address and that have been stable for
/// years; an unknown list gets no link rather than a guess.
const BLOCKLISTS: &[(&str, &str)] = &[
    ("spamhaus", "https://check.spamhaus.org/"),
    ("spamcop", "https://www.spamcop.net/bl.shtml"),
    ("barracuda", "https://www.barracudacentral.org/lookups"),
    (
        "b.barracudacentral",
        "https://www.barracudacentral.org/lookups",
    ),
    ("uceprotect", "https://www.uceprotect.net/en/rblcheck.php"),
    ("psbl", "https://psbl.org/"),
    ("mailspike", "https://mailspike.org/iplookup.html"),
    ("spamrats", "https://www.spamrats.com/lookup.php"),
    ("abusix", "https://lookup.abusix.com/"),
    (
        "backscatterer",
        "https://www.backscatterer.org/?target=test",
    ),
    ("surbl", "https://surbl.org/surbl-analysis"),
    ("invaluement", "https://www.invaluement.com/lookup/"),
    ("cloudmark", "https://csi.cloudmark.com/en/reset/"),
    ("proofpoint", "https://ipcheck.proofpoint.com/"),
];

/// Returns the lookup page of a blocklist named in a bounce, when it is known.
pub fn blocklist_lookup(name: &str) -> Option<&'static str> {
    let name = name.to_ascii_lowercase();
    BLOCKLISTS
        .iter()
        .find(|(word, _)| name.contains(word))
        .map(|(_, url)| *url)
}

/// Returns the label of an actor in one language.
pub fn actor_label(actor: Actor, lang: Lang) -> &'static str {
    let ui = lang.ui();
    match actor {
        Actor::Sender => ui.actor_sender,
        Actor::RecipientAdmin => ui.actor_recipient_admin,
        Actor::Provider => ui.actor_provider,
        Actor::SiteOwner => ui.actor_site_owner,
        Actor::Visitor => ui.actor_visitor,
        Actor::Nobody => ui.actor_nobody,
    }
}

/// Returns the facts of a finding as (label, value) rows, in a fixed order.
pub fn fact_rows(facts: &Facts, lang: Lang) -> Vec<(&'static str, &str)> {
    let ui = lang.ui();
    [
        (ui.fact_recipient, &facts.recipient),
        (ui.fact_sender, &facts.sender),
        (ui.fact_remote_host, &facts.remote_host),
        (ui.fact_remote_ip, &facts.remote_ip),
        (ui.fact_client_ip, &facts.client_ip),
        (ui.fact_blocklist, &facts.blocklist),
        (ui.fact_smtp_command, &facts.smtp_command),
    ]
    .into_iter()
    .filter_map(|(label, value)| value.as_deref().map(|v| (label, v)))
    .collect()
}

/// One line of a paste, for the result page.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PastedLine<'a> {
    pub text: &'a str,
    /// Whether the line is part of what gave a finding.
    pub matched: bool,
}

/// The shortest line that is highlighted: shorter ones ("Hi,", "--") occur
/// in almost any excerpt by chance.
const MIN_HIGHLIGHT: usize = 8;

/// Splits a paste into lines and marks the lines that gave the findings.
///
/// A line's key is its text trimmed, without leading `>` quote marks and
/// with whitespace folded; keys under 8 characters are never marked. A line
/// is marked when its key occurs within a finding's excerpt (a line of a
/// wrapped reply), or when it holds a whole excerpt (a `Diagnostic-Code:`
/// field around the reply). Two automata, one over the lines and one over
/// the excerpts, keep this linear even for a 1 MiB paste with thousands of
/// findings.
pub fn pasted_lines<'a>(text: &'a str, findings: &[Explained]) -> Vec<PastedLine<'a>> {
    let lines: Vec<&str> = split_lines(text).collect();
    let mut index: HashMap<String, usize> = HashMap::new();
    let mut line_key: Vec<Option<usize>> = Vec::with_capacity(lines.len());
    for line in &lines {
        let key = squeeze(&as_read(unquote(line)));
        if key.chars().count() < MIN_HIGHLIGHT {
            line_key.push(None);
            continue;
        }
        let next = index.len();
        line_key.push(Some(*index.entry(key).or_insert(next)));
    }
    // Each distinct key once, at its number.
    let mut keys = vec![String::new(); index.len()];
    for (key, k) in index {
        keys[k] = key;
    }
    let mut matched = vec![false; keys.len()];
    if !keys.is_empty() && !findings.is_empty() {
        let excerpts: Vec<String> = findings.iter().map(|f| squeeze(&f.excerpt)).collect();
        // Excerpts are joined by newlines, which no folded line contains, so
        // a line never matches across two excerpts.
        let haystack = excerpts.join("\n");
        // A line longer than every excerpt together cannot be in one, and
        // leaving it out keeps a pasted megabyte-long line from becoming a
        // megabyte-long pattern. The NFA builds in time linear in the
        // patterns, where a DFA would multiply them by the alphabet.
        let inside: Vec<usize> = (0..keys.len())
            .filter(|&k| keys[k].len() <= haystack.len())
            .collect();
        if let Ok(automaton) = nfa(inside.iter().map(|&k| &keys[k])) {
            for m in automaton.find_overlapping_iter(&haystack) {
                matched[inside[m.pattern().as_usize()]] = true;
            }
        }
        // Excerpts (one line each, once folded) long enough to stand for
        // their finding, each once.
        let mut whole: Vec<&str> = excerpts
            .iter()
            .map(String::as_str)
            .filter(|e| e.chars().count() >= MIN_HIGHLIGHT)
            .collect();
        whole.sort_unstable();
        whole.dedup();
        if let Ok(automaton) = nfa(&whole) {
            for (k, key) in keys.iter().enumerate() {
                if !matched[k] && automaton.is_match(key) {
                    matched[k] = true;
                }
            }
        }
    }
    lines
        .into_iter()
        .zip(line_key)
        .map(|(text, key)| PastedLine {
            text,
            matched: key.is_some_and(|k| matched[k]),
        })
        .collect()
}

/// Builds a contiguous NFA: linear to build, whatever the patterns.
fn nfa<I, P>(patterns: I) -> Result<AhoCorasick, aho_corasick::BuildError>
where
    I: IntoIterator<Item = P>,
    P: AsRef<[u8]>,
{
    AhoCorasick::builder()
        .kind(Some(AhoCorasickKind::ContiguousNFA))
        .build(patterns)
}

/// Splits text at CRLF, LF or a bare CR, as bounces come with all three.
fn split_lines(text: &str) -> impl Iterator<Item = &str> {
    let mut rest = Some(text);
    std::iter::from_fn(move || {
        let s = rest?;
        match s.find(['\r', '\n']) {
            Some(i) => {
                let skip = if s[i..].starts_with("\r\n") { 2 } else { 1 };
                rest = Some(&s[i + skip..]).filter(|r| !r.is_empty());
                Some(&s[..i])
            }
            None => {
                rest = None;
                Some(s)
            }
        }
    })
}

/// The text of a line as the classifier read it: a JSON event's fields
/// are read as `key: value` (see [`crate::identify::unjson`]), whether the
/// event is on one line or one field a line (`"status": "5.7.1",`).
fn as_read(line: &str) -> Cow<'_, str> {
    if let Some(fields) = unjson(line) {
        return Cow::Owned(fields);
    }
    let field = line.trim_end_matches(',');
    if field.starts_with('"')
        && field.contains("\":")
        && let Some(fields) = unjson(&format!("{{{field}}}"))
    {
        return Cow::Owned(fields);
    }
    Cow::Borrowed(line)
}

/// Removes surrounding whitespace and the `>` marks of quoted mail.
fn unquote(line: &str) -> &str {
    line.trim()
        .trim_start_matches(|c: char| c == '>' || c.is_whitespace())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finding(excerpt: &str) -> Explained {
        Explained {
            kind: Kind::Smtp,
            code: Some(554),
            status: Some("5.7.1".into()),
            reason: None,
            article: None,
            excerpt: excerpt.into(),
            facts: Facts::default(),
            summary: String::new(),
            actor: Actor::Sender,
            explanation: Explanation::default(),
            blocklist_lookup: None,
            permanent: Some(true),
        }
    }

    /// The lines of a paste marked for one finding with this excerpt.
    fn marked<'a>(text: &'a str, excerpt: &str) -> Vec<&'a str> {
        pasted_lines(text, &[finding(excerpt)])
            .into_iter()
            .filter(|l| l.matched)
            .map(|l| l.text)
            .collect()
    }

    #[test]
    fn quoted_and_wrapped_lines_are_highlighted() {
        let text = "Hello,\r\n> > 554 5.7.1 <jan@example.com>:\n>    Relay access denied\n\nbye\n";
        let lines = pasted_lines(
            text,
            &[finding("554 5.7.1 <jan@example.com>: Relay access denied")],
        );
        let marked: Vec<_> = lines.iter().filter(|l| l.matched).map(|l| l.text).collect();
        assert_eq!(
            marked,
            [
                "> > 554 5.7.1 <jan@example.com>:",
                ">    Relay access denied"
            ]
        );
        assert_eq!(lines.len(), 5);
    }

    #[test]
    fn lines_holding_a_whole_excerpt_are_highlighted() {
        let text = "Final-Recipient: rfc822; jan@example.com\nStatus: 5.7.1\nDiagnostic-Code: smtp; 554 5.7.1 <jan@example.com>: Relay access denied\n";
        assert_eq!(
            marked(text, "554 5.7.1 <jan@example.com>: Relay access denied"),
            ["Diagnostic-Code: smtp; 554 5.7.1 <jan@example.com>: Relay access denied"]
        );
    }

    #[test]
    fn json_fields_are_highlighted() {
        let excerpt = "status: 5.1.1 diagnosticCode: smtp; 550 5.1.1 <a@example.com>: unknown";
        let pretty = "{\n  \"status\": \"5.1.1\",\n  \"diagnosticCode\": \"smtp; 550 5.1.1 <a@example.com>: unknown\",\n  \"timestamp\": \"2026-11-29\"\n}\n";
        assert_eq!(
            marked(pretty, excerpt),
            [
                "  \"status\": \"5.1.1\",",
                "  \"diagnosticCode\": \"smtp; 550 5.1.1 <a@example.com>: unknown\","
            ]
        );
        let one_line = "{\"email\": \"a@example.com\", \"status\": \"5.1.1\", \"diagnosticCode\": \"smtp; 550 5.1.1 <a@example.com>: unknown\"}";
        assert_eq!(marked(one_line, excerpt), [one_line]);
    }

    #[test]
    fn short_lines_are_never_highlighted() {
        let lines = pasted_lines("554\n5.7.1\n", &[finding("554 5.7.1 Relay access denied")]);
        assert!(lines.iter().all(|l| !l.matched));
    }

    #[test]
    fn nothing_is_highlighted_without_findings() {
        let lines = pasted_lines("554 5.7.1 Relay access denied", &[]);
        assert_eq!(
            lines,
            [PastedLine {
                text: "554 5.7.1 Relay access denied",
                matched: false
            }]
        );
    }

    #[test]
    fn bare_carriage_returns_end_lines() {
        let lines: Vec<_> = split_lines("a\rb\r\nc\nd").collect();
        assert_eq!(lines, ["a", "b", "c", "d"]);
        assert_eq!(split_lines("").count(), 1);
    }

    #[test]
    fn known_blocklists_get_a_lookup_page() {
        assert_eq!(
            blocklist_lookup("zen.spamhaus.org"),
            Some("https://check.spamhaus.org/")
        );
        assert_eq!(
            blocklist_lookup("SpamCop"),
            Some("https://www.spamcop.net/bl.shtml")
        );
        assert_eq!(blocklist_lookup("bl.example.net"), None);
    }
}
