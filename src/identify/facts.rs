//! Facts in a diagnostic: the remote server, the blocked client address,
//! the blocklist that listed it, and the SMTP stage.

use std::net::IpAddr;
use std::sync::LazyLock;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use serde::Deserialize;

/// A DNS blocklist (or reputation service) a rejection can name.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Blocklist {
    /// The name people know it by.
    pub name: String,
    /// Lower-case words or zone names that identify it in a rejection.
    pub patterns: Vec<String>,
    /// Where to look an address up or ask for removal.
    pub lookup: String,
}

#[derive(Deserialize)]
struct BlocklistFile {
    list: Vec<Blocklist>,
}

static BLOCKLISTS: LazyLock<Vec<Blocklist>> = LazyLock::new(|| {
    toml::from_str::<BlocklistFile>(include_str!("tables/blocklists.toml"))
        .expect("tables/blocklists.toml parses")
        .list
});

/// Every blocklist pattern in one automaton, with the list each belongs to.
static BLOCKLIST_FINDER: LazyLock<(AhoCorasick, Vec<usize>)> = LazyLock::new(|| {
    let mut patterns = Vec::new();
    let mut owner = Vec::new();
    for (i, list) in BLOCKLISTS.iter().enumerate() {
        for p in &list.patterns {
            patterns.push(p.as_str());
            owner.push(i);
        }
    }
    (
        AhoCorasick::new(patterns).expect("blocklist patterns compile"),
        owner,
    )
});

/// Builds this module's tables and matchers now rather than on first use.
pub(super) fn prepare() {
    LazyLock::force(&BLOCKLIST_FINDER);
    LazyLock::force(&SERVER_FINDER);
    LazyLock::force(&STAGE_FINDER);
}

/// Returns the blocklist a folded diagnostic names, if any: the one listed
/// first in the table among those named.
pub fn blocklist(folded: &str) -> Option<&'static Blocklist> {
    let (finder, owner) = &*BLOCKLIST_FINDER;
    finder
        .find_overlapping_iter(folded)
        .map(|m| owner[m.pattern().as_usize()])
        .min()
        .map(|i| &BLOCKLISTS[i])
}

/// Finds a blocklist by the name it is reported under.
pub fn blocklist_named(name: &str) -> Option<&'static Blocklist> {
    BLOCKLISTS.iter().find(|b| b.name == name)
}

/// Words after which a report names the remote server: Postfix "host
/// mx.example.jp[192.0.2.1] said", Exim "host mx.example.jp [192.0.2.1]:",
/// log lines "relay=mx[192.0.2.1]:25" and "H=mx [192.0.2.1]", Gmail "by
/// mx.example.jp. [192.0.2.1]", qmail "remote host 192.0.2.1 said",
/// Sendmail "while talking to mx.example.jp.:", Postfix "lost connection
/// with mx.example.jp[192.0.2.1]". Exchange's "Generating
/// server" is the sender's own server, and "from" names the client, so
/// neither is read.
const SERVER_ANCHORS: [&str; 12] = [
    "host ",
    "connected to ",
    "relay=",
    "h=",
    "by ",
    "connect to ",
    "talking to ",
    "connection to ",
    "reported by ",
    "remote-mta: dns; ",
    "server ",
    "connection with ",
];

static SERVER_FINDER: LazyLock<AhoCorasick> = LazyLock::new(|| {
    AhoCorasickBuilder::new()
        .ascii_case_insensitive(true)
        .build(SERVER_ANCHORS)
        .expect("anchors compile")
});

/// Reads `name[ip]`, `name [ip]`, `name.` or `ip` at the start of a text.
fn server_at(text: &str) -> (Option<String>, Option<String>) {
    let end = text
        .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':')))
        .unwrap_or(text.len());
    let name = text[..end].trim_end_matches([':', '.']);
    let rest = text[end..].trim_start_matches(' ');
    let bracket = rest
        .strip_prefix('[')
        .and_then(|r| r.split_once(']'))
        .map(|(ip, _)| ip)
        .filter(|ip| is_ip(ip))
        .map(str::to_string);
    if is_ip(name) {
        return (None, Some(name.to_string()).or(bracket));
    }
    let host = (name.contains('.')
        && name.bytes().any(|b| b.is_ascii_alphabetic())
        && !name.starts_with(['.', '-']))
    .then(|| name.to_ascii_lowercase());
    (host, bracket)
}

/// Finds the remote server (host name and IP address) in a text: the first
/// anchor followed by a name with an address, else the first with a name.
pub fn remote_server(text: &str) -> (Option<String>, Option<String>) {
    let mut named = (None, None);
    for m in SERVER_FINDER.find_iter(text) {
        if m.start() > 0 && text.as_bytes()[m.start() - 1].is_ascii_alphanumeric() {
            continue;
        }
        // "Client host [192.0.2.1] blocked": the client, not the server.
        let before = text[..m.start()].trim_end();
        let tail = before.len().checked_sub(6).and_then(|at| before.get(at..));
        if tail.is_some_and(|t| t.eq_ignore_ascii_case("client")) {
            continue;
        }
        let found = server_at(&text[m.end()..]);
        if found.1.is_some() {
            return found;
        }
        if named.0.is_none() && found.0.is_some() {
            named = found;
        }
    }
    if named.0.is_none() {
        return bracketed_server(text)
            .or_else(|| said_server(text))
            .unwrap_or_default();
    }
    named
}

/// Reads Postfix's `mx.example.jp[192.0.2.1] said:` when the copy starts
/// after its anchor word ("host").
fn said_server(text: &str) -> Option<(Option<String>, Option<String>)> {
    let at = text.find("] said:")?;
    let start = text[..at]
        .rfind(|c: char| c.is_whitespace() || c == '(')
        .map_or(0, |i| i + 1);
    let (host, ip) = remote_mta(&text[start..=at]);
    (host.is_some() && ip.is_some()).then_some((host, ip))
}

/// Reads Gmail's `[mx.example.jp. 192.0.2.1: timed out]`: a host name and
/// its address, in brackets, with no anchor word before them.
fn bracketed_server(text: &str) -> Option<(Option<String>, Option<String>)> {
    text.match_indices('[').find_map(|(i, _)| {
        let inner = &text[i + 1..];
        let inner = &inner[..inner.find([']', '\n']).unwrap_or(inner.len())];
        let (name, rest) = inner.split_once(' ')?;
        let ip = rest.split(": ").next()?.trim();
        let name = name.trim_end_matches('.');
        (is_ip(ip) && name.contains('.') && name.bytes().any(|b| b.is_ascii_alphabetic()))
            .then(|| (Some(name.to_ascii_lowercase()), Some(ip.to_string())))
    })
}

/// Splits a DSN `Remote-MTA` value such as `mx.example.jp [192.0.2.1]`.
pub fn remote_mta(value: &str) -> (Option<String>, Option<String>) {
    let value = value.trim();
    let (host, ip) = match value.split_once('[') {
        Some((h, rest)) => (h.trim(), rest.split(']').next().map(str::trim)),
        None => match value.split_once(char::is_whitespace) {
            Some((h, rest)) => (
                h.trim(),
                Some(rest.trim().trim_matches(|c| c == '(' || c == ')')),
            ),
            None => (value, None),
        },
    };
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    let ip = ip.filter(|ip| is_ip(ip)).map(str::to_string);
    if is_ip(&host) {
        return (None, Some(host));
    }
    ((!host.is_empty() && host.contains('.')).then_some(host), ip)
}

/// Returns the hosts of the web addresses in a folded (lower-case) reply:
/// a provider that links its own help pages names itself, even when the
/// paste does not say which server replied.
pub fn url_hosts(folded: &str) -> impl Iterator<Item = &str> {
    let bytes = folded.as_bytes();
    let with_scheme = memchr::memchr_iter(b':', bytes).filter_map(move |i| {
        if bytes.get(i + 1..i + 3) != Some(b"//") {
            return None;
        }
        host_at(&folded[i + 3..])
    });
    // "please visit www.messagelabs.com/support/": an address without
    // its scheme.
    let bare = memchr::memmem::find_iter(bytes, b"www.").filter_map(move |i| {
        let starts_word = i == 0
            || !(bytes[i - 1].is_ascii_alphanumeric()
                || matches!(bytes[i - 1], b'/' | b'.' | b'-'));
        starts_word.then(|| host_at(&folded[i..])).flatten()
    });
    with_scheme.chain(bare)
}

/// The host name a URL's text starts with, if it has a dot.
fn host_at(rest: &str) -> Option<&str> {
    let end = rest
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '.' || c == '-'))
        .unwrap_or(rest.len());
    let host = rest[..end].trim_end_matches('.');
    host.contains('.').then_some(host)
}

/// Returns the IP addresses written in a text, in order.
pub fn ips(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for token in text.split(|c: char| !(c.is_ascii_hexdigit() || c == '.' || c == ':')) {
        let t = token.trim_matches(['.', ':']);
        if t.len() >= 7 && is_ip(t) && !out.iter().any(|o| o == t) {
            out.push(t.to_string());
        }
    }
    out
}

/// Finds the blocked client's address in a rejection: "Client host
/// [192.0.2.1]", "client [..]", "IP address ...", "your IP ...", else the
/// first address that is not the remote server's.
pub fn client_ip(text: &str, remote_ip: Option<&str>) -> Option<String> {
    const ANCHORS: [&str; 8] = [
        "client host [",
        "client host ",
        "client [",
        "client ",
        "ip address ",
        "your ip ",
        "ip=",
        "ip ",
    ];
    let lower = text.to_ascii_lowercase();
    for anchor in ANCHORS {
        let mut from = 0;
        while let Some(i) = lower[from..].find(anchor).map(|i| from + i) {
            from = i + anchor.len();
            let rest = text[from..].trim_start_matches(['[', '(', ' ', ':']);
            let end = rest
                .find(|c: char| !(c.is_ascii_hexdigit() || c == '.' || c == ':'))
                .unwrap_or(rest.len());
            let ip = rest[..end].trim_end_matches(['.', ':']);
            if is_ip(ip) && Some(ip) != remote_ip {
                return Some(ip.to_string());
            }
        }
    }
    ips(text)
        .into_iter()
        .find(|ip| Some(ip.as_str()) != remote_ip)
}

/// Tells whether a string is an IP address.
pub fn is_ip(s: &str) -> bool {
    s.parse::<IpAddr>().is_ok()
}

/// Wording that names the SMTP stage of a reply, and the stage's verb.
const STAGES: &[(&str, &str)] = &[
    ("in reply to rcpt to", "RCPT"),
    ("after rcpt to", "RCPT"),
    ("after pipelined rcpt to", "RCPT"),
    // Older Exim releases: "SMTP error from remote server after RCPT command".
    ("after rcpt command", "RCPT"),
    (">>> rcpt to", "RCPT"),
    ("rcpt to response", "RCPT"),
    // SMTP/32: "RCPT TO generated following response: 553 ...".
    ("rcpt to generated", "RCPT"),
    ("rcpt to command", "RCPT"),
    ("our rcpt to", "RCPT"),
    ("smtp:rcpt", "RCPT"),
    ("does not like recipient", "RCPT"),
    // Yahoo's reports end the reply with the stage: "... User Unknown
    // [RCPT_TO]".
    ("[rcpt_to]", "RCPT"),
    // Gmail's older reports end the remote reply with the state its client
    // was in: "550 Address unknown (state 14)".
    ("(state 14)", "RCPT"),
    ("(state 18)", "DATA"),
    ("[mail_from]", "MAIL"),
    // Receiving servers' own logs: Postfix's "NOQUEUE: reject: RCPT from
    // host[ip]: ...", Exim's "F=<a@b> rejected RCPT <c@d>: ...".
    ("reject: rcpt from", "RCPT"),
    ("rejected rcpt", "RCPT"),
    ("reject: mail from", "MAIL"),
    ("reject: data from", "DATA"),
    ("reject: end-of-message from", "DATA"),
    ("reject: connect from", "CONN"),
    // Roundcube's sending errors, in English and Polish (folded).
    ("failed to add recipient", "RCPT"),
    ("nie udalo sie dodac odbiorcy", "RCPT"),
    ("failed to set sender", "MAIL"),
    ("nie udalo sie ustawic nadawcy", "MAIL"),
    ("in reply to mail from", "MAIL"),
    ("but sender was rejected", "MAIL"),
    ("after mail from", "MAIL"),
    // Exim when the server pipelines: "after pipelined MAIL FROM:<a@b>".
    ("after pipelined mail from", "MAIL"),
    ("after mail command", "MAIL"),
    (">>> mail from", "MAIL"),
    ("mail from command", "MAIL"),
    ("our mail from", "MAIL"),
    ("smtp:mail", "MAIL"),
    ("does not like sender", "MAIL"),
    ("in reply to end of data", "DATA"),
    ("after end of data", "DATA"),
    ("in reply to data", "DATA"),
    ("after data", "DATA"),
    (">>> data", "DATA"),
    ("after pipelined data", "DATA"),
    ("data command", "DATA"),
    ("smtp:data", "DATA"),
    ("in reply to ehlo", "EHLO"),
    ("after ehlo", "EHLO"),
    (">>> ehlo", "EHLO"),
    ("in reply to helo", "HELO"),
    ("after helo", "HELO"),
    (">>> helo", "HELO"),
    ("after initial connection", "CONN"),
    ("refused to talk to me", "CONN"),
    ("greeting failed", "CONN"),
    ("[end-of-message]", "DATA"),
    ("in reply to initial greeting", "CONN"),
    ("in reply to starttls", "STARTTLS"),
    ("after starttls", "STARTTLS"),
    ("in reply to auth", "AUTH"),
    ("after auth", "AUTH"),
    ("in reply to quit", "QUIT"),
];

static STAGE_FINDER: LazyLock<AhoCorasick> = LazyLock::new(|| {
    AhoCorasickBuilder::new()
        .match_kind(MatchKind::LeftmostLongest)
        .ascii_case_insensitive(true)
        .build(STAGES.iter().map(|(words, _)| words))
        .expect("stage wording compiles")
});

/// Names the SMTP stage a diagnostic reports, as the command's verb: the
/// first stage it mentions, in any letter case.
pub fn smtp_command(folded: &str) -> Option<&'static str> {
    STAGE_FINDER
        .find(folded)
        .map(|m| STAGES[m.pattern().as_usize()].1)
}

/// Wording in which a server refuses the sender rather than a recipient.
const SENDER_REFUSALS: &[&str] = &[
    "sender address rejected",
    "sender rejected",
    "sender verify failed",
    "not owned by user",
];

/// The sender a diagnostic names. Postfix's log writes it as `from=<a@b>`,
/// Exim's as `F=<a@b>`; a reply that refuses the sender ("553 5.7.1 <a@b>: Sender address
/// rejected", or any refusal of MAIL FROM) gives it in angle brackets.
pub fn sender(excerpt: &str, folded: &str, command: Option<&str>) -> Option<String> {
    let bracketed = |s: &str| {
        s.split('<')
            .skip(1)
            .filter_map(|s| s.split_once('>').map(|(a, _)| a))
            .find(|a| a.contains('@'))
            .and_then(super::message::clean_address)
    };
    if let Some((_, rest)) = excerpt
        .split_once("from=<")
        .or_else(|| excerpt.split_once(" F=<"))
    {
        // Postfix writes the null sender of a bounce as `from=<>`.
        return rest
            .split_once('>')
            .and_then(|(a, _)| super::message::clean_address(a));
    }
    let refused = command == Some("MAIL") || SENDER_REFUSALS.iter().any(|w| folded.contains(w));
    refused.then(|| bracketed(excerpt)).flatten()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn senders_named_in_replies() {
        let s = |t: &str, c| sender(t, &t.to_lowercase(), c);
        assert_eq!(
            s(
                "553 5.7.1 <biuro@firma.pl>: Sender address rejected: not owned by user kontakt@firma.pl",
                None
            ),
            Some("biuro@firma.pl".into())
        );
        assert_eq!(
            s(
                "NOQUEUE: reject: RCPT from x[192.0.2.1]: 554 5.7.1 <jan@b.pl>: Relay access denied; from=<ola@a.pl> to=<jan@b.pl> proto=ESMTP",
                Some("RCPT")
            ),
            Some("ola@a.pl".into())
        );
        assert_eq!(
            s(
                "SMTP error from remote mail server after MAIL FROM:<ola@a.pl> SIZE=1200: 550 Access denied",
                Some("MAIL")
            ),
            Some("ola@a.pl".into())
        );
        assert_eq!(
            s(
                "2026-11-28 10:14:22 H=(pc) [192.0.2.7]:51234 F=<ola@a.pl> rejected RCPT <jan@b.pl>: relay not permitted",
                Some("RCPT")
            ),
            Some("ola@a.pl".into())
        );
        // A refused recipient is not the sender.
        assert_eq!(
            s("554 5.7.1 <jan@b.pl>: Relay access denied", Some("RCPT")),
            None
        );
        assert_eq!(s("550 5.1.0 <>: Sender rejected", None), None);
        assert_eq!(
            s(
                "reject: RCPT from x[192.0.2.1]: 550 5.1.1 <jan@b.pl>: User unknown; from=<> to=<jan@b.pl>",
                Some("RCPT")
            ),
            None
        );
    }

    #[test]
    fn remote_servers_in_common_forms() {
        assert_eq!(
            remote_server("host mx.example.jp[192.0.2.1] said: 550"),
            (Some("mx.example.jp".into()), Some("192.0.2.1".into()))
        );
        assert_eq!(
            remote_server("host mx.example.jp [192.0.2.20]: 550 5.7.0"),
            (Some("mx.example.jp".into()), Some("192.0.2.20".into()))
        );
        assert_eq!(
            remote_server("relay=mx.example.com[192.0.2.7]:25, delay=1"),
            (Some("mx.example.com".into()), Some("192.0.2.7".into()))
        );
        assert_eq!(
            remote_server("... while talking to mx.example.org.:"),
            (Some("mx.example.org".into()), None)
        );
        assert_eq!(
            remote_server("remote host 192.0.2.32 said: 550"),
            (None, Some("192.0.2.32".into()))
        );
        // Postfix's line copied from after "host".
        assert_eq!(
            remote_server("mx00.example.de[192.0.2.8] said: 554 IP=198.51.100.3"),
            (Some("mx00.example.de".into()), Some("192.0.2.8".into()))
        );
    }

    #[test]
    fn remote_mta_values_split() {
        assert_eq!(
            remote_mta("mx.example.jp"),
            (Some("mx.example.jp".into()), None)
        );
        assert_eq!(
            remote_mta("mx.example.jp [192.0.2.1]"),
            (Some("mx.example.jp".into()), Some("192.0.2.1".into()))
        );
        assert_eq!(remote_mta("192.0.2.1"), (None, Some("192.0.2.1".into())));
    }

    #[test]
    fn web_addresses_name_their_hosts() {
        let reply = "550 dmarc check failed. https://service.mail.qq.com/detail/122/72 see also http://example.org:8080/x";
        assert_eq!(
            url_hosts(reply).collect::<Vec<_>>(),
            ["service.mail.qq.com", "example.org"]
        );
        assert_eq!(url_hosts("550 see file:///tmp").count(), 0);
        // An address without its scheme, from "www." on; not inside a URL
        // already read.
        assert_eq!(
            url_hosts("please visit www.messagelabs.com/support/ for more").collect::<Vec<_>>(),
            ["www.messagelabs.com"]
        );
        assert_eq!(url_hosts("see https://www.example.org/x").count(), 1);
    }

    #[test]
    fn ips_are_found() {
        assert_eq!(
            ips("Client host [192.0.2.10] blocked using zen.spamhaus.org"),
            ["192.0.2.10"]
        );
        assert_eq!(ips("version 1.2.3.4.5 and 999.1.1.1"), Vec::<String>::new());
        assert_eq!(ips("from 2001:db8::1 said"), ["2001:db8::1"]);
    }

    #[test]
    fn gmails_bracketed_server_is_read() {
        let text = "did not accept our requests to connect. [MX.example.jp. 192.0.2.1: timed out]";
        assert_eq!(
            remote_server(text),
            (Some("mx.example.jp".into()), Some("192.0.2.1".into()))
        );
        assert_eq!(
            remote_server("[mx.example.jp 2001:db8::1: socket error]"),
            (Some("mx.example.jp".into()), Some("2001:db8::1".into()))
        );
        assert_eq!(remote_server("[note 192.0.2.1] and [a b]"), (None, None));
        // An anchored server wins.
        assert_eq!(
            remote_server("host mx.example.jp said: [other.example.com 192.0.2.9: x]").0,
            Some("mx.example.jp".into())
        );
    }

    #[test]
    fn stages_are_named() {
        assert_eq!(
            smtp_command("... (in reply to rcpt to command)"),
            Some("RCPT")
        );
        assert_eq!(
            smtp_command("smtp error from remote mail server after initial connection: 554"),
            Some("CONN")
        );
        assert_eq!(smtp_command("nothing"), None);
    }

    #[test]
    fn blocklists_are_recognised() {
        assert_eq!(
            blocklist("blocked using zen.spamhaus.org").map(|b| b.name.as_str()),
            Some("Spamhaus")
        );
        assert_eq!(
            blocklist("listed at bl.spamcop.net").map(|b| b.name.as_str()),
            Some("SpamCop")
        );
        assert!(blocklist("user unknown").is_none());
    }
}
